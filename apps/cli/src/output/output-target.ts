import { mkdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { CliError } from '../command.ts';

/** A file the command reads: where it is and what it is called in messages. */
export interface ReadFile {
  readonly path: string;
  /** How the file is named in messages: `input`, `charter`, `costs file`… */
  readonly role: string;
}

const errorCode = (error: unknown): string =>
  (error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error);

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
    throw error;
  }
}

const sameFile = (a: Stats, b: Stats): boolean => a.dev === b.dev && a.ino === b.ino;

/**
 * Creates `dir` and its missing parents one level at a time. `mkdir({ recursive: true })` loops
 * for ever under /proc (Node 20); one level at a time fails at once with the reason.
 */
async function makeDirectory(dir: string, label: string): Promise<void> {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    const s = await statOrNull(at).catch(() => null);
    if (s !== null) {
      if (!s.isDirectory()) throw new CliError(`${label}: ${at} is not a directory`);
      break;
    }
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const level of missing) {
    try {
      await mkdir(level);
    } catch (error) {
      if (errorCode(error) === 'EEXIST') continue;
      throw new CliError(`${label}: cannot create the directory ${level} (${errorCode(error)})`);
    }
  }
}

/**
 * Checks an output directory before anything is written: the value is not empty, the directory is
 * not an input, and none of the files the command will write there is one of the files it reads
 * (same inode, so a symbolic or hard link counts too). Then creates the directory's parent, where
 * the run is staged. Returns the absolute directory.
 */
export async function prepareOutputDir(
  value: string,
  cwd: string,
  outputs: readonly string[],
  reads: readonly ReadFile[],
): Promise<string> {
  if (value.trim() === '') throw new CliError('--out: expected a directory, got an empty value', 2);
  const dir = resolve(cwd, value);
  const shown = (p: string) => {
    const r = relative(cwd, p);
    return r === '' ? '.' : r.startsWith('..') ? p : r;
  };
  const read: { file: ReadFile; stats: Stats }[] = [];
  for (const file of reads) {
    const stats = await statOrNull(file.path);
    if (stats === null) throw new CliError(`${file.role} ${shown(file.path)}: no such file`);
    read.push({ file, stats });
  }
  const existing = await statOrNull(dir);
  if (existing !== null && !existing.isDirectory()) {
    const input = read.find((r) => sameFile(r.stats, existing));
    throw new CliError(
      input === undefined
        ? `--out ${shown(dir)}: expected a directory, and this is a file`
        : `--out ${shown(dir)} is the ${input.file.role} ${shown(input.file.path)}: choose another directory`,
      2,
    );
  }
  if (existing !== null) {
    for (const name of outputs) {
      const there = await statOrNull(join(dir, name));
      const input = there === null ? undefined : read.find((r) => sameFile(r.stats, there));
      if (input !== undefined) {
        throw new CliError(
          `--out ${shown(dir)}: writing ${name} would replace the ${input.file.role} ${shown(input.file.path)}` +
            `${basename(input.file.path) === name ? '' : ` (the same file)`}; choose another --out or move the ${input.file.role}`,
          2,
        );
      }
    }
    const real = await realpath(dir);
    const inside = read.find((r) => r.stats.isDirectory() && r.file.path === real);
    if (inside !== undefined) throw new CliError(`--out ${shown(dir)} is the ${inside.file.role} directory`, 2);
  }
  // The run is staged beside the directory (see createStagedOutput): its parent must exist.
  await makeDirectory(dirname(dir), `--out ${shown(dir)}`);
  return dir;
}

/**
 * Checks an output file that replaces whatever is at its path when the command ends (`pull`'s
 * JSONL.gz): the value is not empty, not a directory, and not an existing file unless `replace` is
 * given (the command has no input files, so any file already there is someone's data). Creates the
 * missing parent directories one level at a time. Returns the absolute path.
 */
export async function prepareOutputFile(
  value: string,
  cwd: string,
  options: { readonly label: string; readonly replace: boolean },
): Promise<string> {
  const { label } = options;
  if (value.trim() === '') throw new CliError(`${label}: expected a file name, got an empty value`, 2);
  const path = resolve(cwd, value);
  const existing = await statOrNull(path);
  if (existing?.isDirectory()) throw new CliError(`${label} ${value} is a directory: name the file to write`, 2);
  if (existing !== null && !options.replace) {
    throw new CliError(
      `${label} ${value} already exists; it would be replaced: choose another file, or give --replace to replace it`,
      2,
    );
  }
  await makeDirectory(dirname(path), `${label} ${value}`);
  return path;
}

/**
 * Checks a single output file (a saved model, a cache) against the files the command reads.
 */
export async function refuseOverwritingInputs(path: string, label: string, reads: readonly ReadFile[]): Promise<void> {
  if (path.trim() === '') throw new CliError(`${label}: expected a file name, got an empty value`, 2);
  const there = await statOrNull(path);
  if (there === null) return;
  for (const file of reads) {
    const stats = await statOrNull(file.path);
    if (stats !== null && sameFile(stats, there))
      throw new CliError(`${label} ${path} is the ${file.role} ${file.path}: writing it would destroy the input`, 2);
  }
}
