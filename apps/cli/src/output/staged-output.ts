import { rmSync } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
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

/**
 * Stages a run's outputs in a hidden directory beside `dir` (same file system, so renames are
 * atomic): an interrupted or failed run leaves the previous complete run as it was.
 */
export async function createStagedOutput(dir: string): Promise<StagedOutput> {
  let staging: string;
  try {
    staging = await mkdtemp(join(dirname(dir), `.${basename(dir)}.baton-`));
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
