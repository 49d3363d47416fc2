import { stat } from 'node:fs/promises';
import { createCaseIds } from './case-ids.ts';
import { readCsvBatches } from './csv-reader.ts';
import { detectFormat } from './detect-format.ts';
import type { RawTap } from './input-digest.ts';
import { peekText } from './open-text.ts';
import type { BatchReader, InputFormat, ReadItem, ReadOptions } from './types.ts';
import { readXesBatches } from './xes-reader.ts';

/**
 * The Jira reader (with the Jira package's schemas and zod) is loaded only when a Jira input is read:
 * a thread reading an XES or CSV log starts without it.
 */
const jiraReader = () => import('./jira-reader.ts');
const readJiraBatches: BatchReader = async function* (path, options, tap) {
  yield* (await jiraReader()).readJiraBatches(path, options, tap);
};

/** The reader of each format. */
export const READERS: Readonly<Record<InputFormat, BatchReader>> = {
  xes: readXesBatches,
  csv: readCsvBatches,
  jira: readJiraBatches,
};

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** `readInputBatches` one item at a time. */
export async function* readInputs(paths: readonly string[], options: ReadOptions): AsyncGenerator<ReadItem> {
  for await (const batch of readInputBatches(paths, options)) yield* batch;
}

/**
 * Reads several inputs one after the other as one stream of items, in batches (one await per
 * chunk of input, not per case). Progress is cumulative over all
 * inputs; a case id seen twice (the same case in two exports) is kept once and the repeat reported.
 * Jira bulk changelog responses among the inputs are joined to the issues of the other inputs.
 * `tap` watches the raw bytes of a single input (see `readBytes`).
 */
export async function* readInputBatches(
  paths: readonly string[],
  options: ReadOptions,
  tap?: RawTap,
): AsyncGenerator<readonly ReadItem[]> {
  const sizes = await Promise.all(paths.map(sizeOf));
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  const formats = await Promise.all(paths.map((p) => detectFormat(p, options.format)));
  // One CSV cannot repeat a case (its reader makes one case of all rows with an id): no set to keep.
  const seen = paths.length === 1 && formats[0] === 'csv' ? undefined : createCaseIds();

  // Bulk changelog responses are joined to issues by id, whatever the order of the inputs: read
  // them first (they hold only histories, so their size is that of the history itself).
  const changelogs = new Map<string, unknown[]>();
  const isChangelog = await Promise.all(
    paths.map(async (p, i) => formats[i] === 'jira' && /"issueChangeLogs"/.test(await peekText(p, 512))),
  );
  let before = 0;
  for (const [i, path] of paths.entries()) {
    if (!isChangelog[i]) continue;
    const { index, skips } = await (await jiraReader()).readChangelogs(path);
    for (const [id, histories] of index) changelogs.set(id, [...(changelogs.get(id) ?? []), ...histories]);
    yield skips.map((skipped): ReadItem => ({ type: 'skip', skipped }));
    before += sizes[i] ?? 0;
    yield [{ type: 'progress', bytesRead: before, bytesTotal }];
  }
  const jira = changelogs.size > 0 ? (await jiraReader()).createJiraBatchReader(changelogs) : readJiraBatches;

  for (const [i, path] of paths.entries()) {
    if (isChangelog[i]) continue;
    const format = formats[i] ?? 'csv';
    const reader = format === 'jira' ? jira : READERS[format];
    for await (const batch of reader(path, options, paths.length === 1 ? tap : undefined)) {
      // Most batches pass as they are: only progress and repeated cases change them.
      let items: ReadItem[] | undefined;
      for (let k = 0; k < batch.length; k++) {
        const item = batch[k]!;
        let replaced: ReadItem | undefined;
        if (item.type === 'progress') {
          if (before !== 0 || item.bytesTotal !== bytesTotal)
            replaced = { type: 'progress', bytesRead: before + item.bytesRead, bytesTotal };
        } else if (item.type === 'case' && seen !== undefined) {
          const firstInput = seen.inputOfOrAdd(item.record.id, i);
          if (firstInput >= 0) {
            const first = paths[firstInput] ?? 'an earlier input';
            replaced = {
              type: 'skip',
              skipped: {
                code: 'case.duplicate',
                location: { file: path, record: item.record.id },
                message: `case '${item.record.id}' was already read from ${first}; this copy is skipped`,
              },
            };
          }
        }
        if (replaced === undefined) items?.push(item);
        else {
          items ??= batch.slice(0, k);
          items.push(replaced);
        }
      }
      yield items ?? batch;
    }
    before += sizes[i] ?? 0;
  }
}
