import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createGunzip, gzipSync } from 'node:zlib';
import * as z from 'zod';
import { CliError } from '../command.ts';

/**
 * Where a pull stands, written beside the output after every page: the search's next page token,
 * how many bytes of the partial output are whole pages, and what was fetched. Never the token.
 */
export const PullCheckpointSchema = z.object({
  version: z.literal(1),
  site: z.string(),
  jql: z.string(),
  /**
   * The next page's cursor: Cloud's `nextPageToken`, or Data Center's next `startAt`; `null` when
   * every page is written and the pull only has to finish.
   */
  nextPageToken: z.string().nullable(),
  /** Bytes of `<out>.partial` that hold whole pages; anything after them is from a killed run. */
  bytes: z.number().int().min(0),
  pages: z.number().int().min(0),
  issues: z.number().int().min(0),
  histories: z.number().int().min(0),
  comments: z.number().int().min(0),
});
export type PullCheckpoint = z.infer<typeof PullCheckpointSchema>;

/** The files of one pull: the output, its partial form while the pull runs, and the checkpoint. */
export interface PullFiles {
  readonly out: string;
  readonly partial: string;
  readonly checkpoint: string;
}

export function pullFiles(out: string): PullFiles {
  return { out, partial: `${out}.partial`, checkpoint: `${out}.checkpoint.json` };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Replaces `path` whole or not at all: a temporary file beside it, flushed, then renamed over it. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/** The checkpoint left by an earlier run, if any; one that cannot be read is an error naming the file. */
export async function readCheckpoint(files: PullFiles): Promise<PullCheckpoint | undefined> {
  let text: string;
  try {
    text = await readFile(files.checkpoint, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${files.checkpoint}: not a pull checkpoint (malformed JSON); delete it or use --restart`);
  }
  const parsed = PullCheckpointSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new CliError(
      `${files.checkpoint}: not a pull checkpoint (${first?.path.join('.') || 'root'}: ${first?.message}); delete it or use --restart`,
    );
  }
  return parsed.data;
}

export async function writeCheckpoint(files: PullFiles, checkpoint: PullCheckpoint): Promise<void> {
  await writeFileAtomic(files.checkpoint, `${JSON.stringify(checkpoint, null, 2)}\n`);
}

/** Starts a fresh pull: no partial output, no checkpoint. */
export async function startFresh(files: PullFiles): Promise<void> {
  await mkdir(dirname(files.out), { recursive: true });
  await rm(files.partial, { force: true });
  await rm(files.checkpoint, { force: true });
  await writeFile(files.partial, '');
}

/**
 * Prepares a resumed pull: drops whatever a killed run wrote after its last checkpoint (a page
 * half-written, or written but not checkpointed, which the resumed run fetches again), and returns
 * the ids of the issues already written, so that an issue Jira serves twice is written once.
 */
export async function resumePartial(files: PullFiles, checkpoint: PullCheckpoint): Promise<Set<string>> {
  if (!(await exists(files.partial))) {
    throw new CliError(
      `${files.checkpoint} says ${checkpoint.issues} issues were written, but ${files.partial} is missing; use --restart`,
    );
  }
  const size = (await stat(files.partial)).size;
  if (size < checkpoint.bytes) {
    throw new CliError(
      `${files.partial} is shorter (${size} bytes) than its checkpoint says (${checkpoint.bytes}); use --restart`,
    );
  }
  if (size > checkpoint.bytes) await truncate(files.partial, checkpoint.bytes);
  const ids = new Set<string>();
  if (checkpoint.bytes === 0) return ids;
  let pending = '';
  const gunzip = createReadStream(files.partial).pipe(createGunzip());
  try {
    for await (const chunk of gunzip) {
      pending += (chunk as Buffer).toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line !== '') ids.add(String((JSON.parse(line) as { id: unknown }).id));
    }
  } catch (error) {
    throw new CliError(`${files.partial} cannot be read back (${(error as Error).message}); use --restart`);
  }
  if (ids.size !== checkpoint.issues) {
    throw new CliError(
      `${files.partial} holds ${ids.size} issues where its checkpoint says ${checkpoint.issues}; use --restart`,
    );
  }
  return ids;
}

/**
 * Appends one page of issues as its own gzip member (a file of members is one gzip stream to every
 * reader) and flushes it to disk; returns the partial file's new size.
 */
export async function appendPage(files: PullFiles, lines: readonly string[]): Promise<number> {
  const handle = await open(files.partial, 'a');
  try {
    if (lines.length > 0) {
      await handle.writeFile(gzipSync(Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8')));
      await handle.sync();
    }
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** Ends a pull: the partial output becomes the output, and the checkpoint goes. */
export async function finishPull(files: PullFiles): Promise<void> {
  const size = (await stat(files.partial)).size;
  // An empty result is still a valid gzip file (of nothing), so every reader can open it.
  if (size === 0) await writeFile(files.partial, gzipSync(Buffer.alloc(0)));
  await rename(files.partial, files.out);
  await rm(files.checkpoint, { force: true });
}
