import { stat } from 'node:fs/promises';
import { readCsv } from './csv-reader.ts';
import { detectFormat } from './detect-format.ts';
import type { InputFormat, ReadItem, ReadOptions, Reader } from './types.ts';
import { readXes } from './xes-reader.ts';

/** The reader of each format. */
export const READERS: Readonly<Record<InputFormat, Reader>> = {
  xes: readXes,
  csv: readCsv,
  // Replaced by the Jira reader in the next change.
  jira: async function* (path) {
    yield { type: 'skip', skipped: { code: 'format.unsupported', location: { file: path }, message: 'Jira JSON is not read yet' } };
  },
};

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/**
 * Reads several inputs one after the other as one stream of items. Progress is cumulative over all
 * inputs; a case id seen twice (the same case in two exports) is kept once and the repeat reported.
 */
export async function* readInputs(paths: readonly string[], options: ReadOptions): AsyncGenerator<ReadItem> {
  const sizes = await Promise.all(paths.map(sizeOf));
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  const seen = new Map<string, string>();
  let before = 0;
  for (const [i, path] of paths.entries()) {
    const format = await detectFormat(path, options.format);
    for await (const item of READERS[format](path, options)) {
      if (item.type === 'progress') {
        yield { type: 'progress', bytesRead: before + item.bytesRead, bytesTotal };
      } else if (item.type === 'case') {
        const first = seen.get(item.record.id);
        if (first !== undefined) {
          yield {
            type: 'skip',
            skipped: {
              code: 'case.duplicate',
              location: { file: path, record: item.record.id },
              message: `case '${item.record.id}' was already read from ${first}; this copy is skipped`,
            },
          };
          continue;
        }
        seen.set(item.record.id, path);
        yield item;
      } else {
        yield item;
      }
    }
    before += sizes[i] ?? 0;
  }
}
