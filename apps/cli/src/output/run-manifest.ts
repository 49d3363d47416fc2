import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
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

async function describeFile(path: string, role: string): Promise<ManifestFile> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { role, name: basename(path), bytes: (await stat(path)).size, sha256: hash.digest('hex') };
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
  },
): Promise<void> {
  const inputs = [];
  for (const r of run.reads) inputs.push(await describeFile(r.path, r.role));
  const outputs = [];
  for (const name of run.outputs) outputs.push(await describeFile(staged.path(name), 'output'));
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
