import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { VERSION } from '../version.ts';
import type { ReadFile } from './output-target.ts';
import { MANIFEST, type StagedOutput } from './staged-output.ts';

/** A file named in run.json: its name (never a local path), size and SHA-256. */
export interface ManifestFile {
  readonly role: string;
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** A file's size and SHA-256, as run.json records it. */
export interface FileDigest {
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Reads a file through one reused 1 MiB buffer: hashing the 30–100 MB a large analysis reads and
 * writes then leaves no garbage chunks behind (a read stream's chunks were the run's peak memory).
 */
export function digestFile(path: string): FileDigest {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}

function describeFile(path: string, role: string, known?: FileDigest): ManifestFile {
  const { bytes, sha256 } = known ?? digestFile(path);
  return { role, name: basename(path), bytes, sha256 };
}

/**
 * Writes run.json into the staged run: what was read (names, sizes, SHA-256), the options, the
 * version, when the run completed and every output with its SHA-256, so that a reader can tell
 * which files belong together and that none was changed since.
 */
export async function writeRunManifest(
  staged: StagedOutput,
  run: {
    readonly command: string;
    readonly reads: readonly ReadFile[];
    readonly options: Readonly<Record<string, unknown>>;
    readonly outputs: readonly string[];
    readonly completedAt: number;
    readonly extra?: Readonly<Record<string, unknown>>;
    /** Outputs whose digest was taken as they were written (by name): not read again. */
    readonly written?: ReadonlyMap<string, FileDigest>;
    /** Files read whose digest was taken as they were read (by path): not read again. */
    readonly readDigests?: ReadonlyMap<string, FileDigest>;
  },
): Promise<void> {
  const inputs = [];
  for (const r of run.reads) inputs.push(describeFile(r.path, r.role, run.readDigests?.get(r.path)));
  const outputs = [];
  for (const name of run.outputs) outputs.push(describeFile(staged.path(name), 'output', run.written?.get(name)));
  const manifest = {
    tool: 'baton',
    version: VERSION,
    command: run.command,
    completedAt: new Date(run.completedAt).toISOString(),
    inputs,
    options: run.options,
    outputs,
    ...run.extra,
  };
  await writeFile(staged.path(MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Option values for run.json: file options reduced to their names, so no local path is written. */
export function manifestOptions(
  values: Readonly<Record<string, unknown>>,
  fileOptions: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(values).sort()) {
    const v = values[key];
    if (v === undefined || key === 'out') continue;
    out[key] = fileOptions.includes(key) && typeof v === 'string' ? basename(v) : v;
  }
  return { ...out };
}
