import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../command.ts';

/** The manifest written last into every output directory: a run without it is not complete. */
export const MANIFEST = 'run.json';

/** Staging directories of this process not yet committed or removed (removed on SIGINT/SIGTERM). */
const pending = new Set<string>();

/** Removes every staging directory still open; for main.ts's signal handlers (synchronous on purpose). */
export function removePendingStagingSync(): void {
  for (const dir of pending) rmSync(dir, { recursive: true, force: true });
  pending.clear();
}

export interface StagedOutput {
  /** Where a file of the run is written while it runs. */
  path(name: string): string;
  /** Where the file will be once the run is committed. */
  finalPath(name: string): string;
  /**
   * Moves the run into place. `names` are the files written (the manifest among them, moved last).
   * Into a missing directory the staging directory is renamed whole (one atomic step); into an
   * existing one the previous manifest is removed first, then each file replaced by rename, the
   * manifest last, so that a directory with a manifest always holds one complete run. Other files
   * in the directory are left alone.
   */
  commit(names: readonly string[]): Promise<void>;
  /** Removes what was written; the previous run in the directory is untouched. */
  abort(): Promise<void>;
}

/** The prefix of the staging directories of `dir`, each named after the process that made it. */
const stagingPrefix = (dir: string) => `.${basename(dir)}.baton-`;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists and belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the staging directories of `dir` left by runs that were killed (SIGKILL, a power cut:
 * nothing ran to remove them), known by the process id in their name. A directory of a process
 * still running (another run into the same `--out`) is left alone. Returns the names removed.
 */
export async function removeStaleStaging(dir: string): Promise<string[]> {
  const prefix = stagingPrefix(dir);
  const names = await readdir(dirname(dir)).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
    await rm(join(dirname(dir), name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Stages a run's outputs in a hidden directory beside `dir` (same file system, so renames are
 * atomic): an interrupted or failed run leaves the previous complete run as it was. The staging
 * directories of killed runs into `dir` are removed first.
 */
export async function createStagedOutput(dir: string): Promise<StagedOutput> {
  let staging: string;
  try {
    await removeStaleStaging(dir);
    staging = await mkdtemp(join(dirname(dir), `${stagingPrefix(dir)}${process.pid}-`));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(`--out ${dir}: cannot create a directory in ${dirname(dir)} (${code})`);
  }
  pending.add(staging);
  const done = () => pending.delete(staging);
  return {
    path: (name) => join(staging, name),
    finalPath: (name) => join(dir, name),
    async commit(names) {
      const exists = await stat(dir).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await rename(staging, dir);
        done();
        return;
      }
      await rm(join(dir, MANIFEST), { force: true });
      for (const name of names) if (name !== MANIFEST) await rename(join(staging, name), join(dir, name));
      if (names.includes(MANIFEST)) await rename(join(staging, MANIFEST), join(dir, MANIFEST));
      await rm(staging, { recursive: true, force: true });
      done();
    },
    async abort() {
      await rm(staging, { recursive: true, force: true });
      done();
    },
  };
}
