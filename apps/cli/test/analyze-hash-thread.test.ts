import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRequest } from '../src/analyze/analyze-options.ts';
import { runAnalysis } from '../src/analyze/run-analysis.ts';
import { DEFAULT_HASH_THREAD_MIN_BYTES, type HashThreadFault } from '../src/output/hash-thread.ts';
import { cliWith, output, OUTPUTS, tempDirOf } from './two-ways.ts';

// run.json's digests of the input, cases.csv and events.csv are taken on a thread of their own for
// inputs of 24 MiB of content or more (ADR 0017, eighth pass). Whether they are taken there or here, run.json must
// be the same and each digest the file's; a thread that fails leaves run.json to hash the files itself.

const BPIC2013 = join(import.meta.dirname, '..', 'data', 'bpic2013-incidents.xes.gz');
const SHARED = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'eventlogs');
const RECEIPT = join(SHARED, 'receipt.csv');
const tempDir = tempDirOf('hash-thread');

interface RunJson {
  inputs: { name: string; bytes: number; sha256: string }[];
  outputs: { name: string; bytes: number; sha256: string }[];
}
const runOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunJson;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every digest of run.json is the one of its file (`input` for the input). */
function expectDigestsOfFiles(dir: string, input: string): void {
  const run = runOf(dir);
  expect(run.inputs).toEqual([
    { role: 'input', name: input.split('/').pop(), bytes: readFileSync(input).length, sha256: sha256(input) },
  ]);
  expect(run.outputs.map((o) => o.name).sort()).toEqual([...OUTPUTS].sort());
  for (const o of run.outputs) {
    expect(o.sha256, o.name).toBe(sha256(join(dir, o.name)));
    expect(o.bytes, o.name).toBe(readFileSync(join(dir, o.name)).length);
  }
}

describe('run.json digests on the hashing thread', () => {
  it.each([
    ['XES', BPIC2013],
    ['CSV', RECEIPT],
  ])('are those of the files, the same as hashed on the main thread (%s)', async (_, input) => {
    const cwd = tempDir();
    const here = join(cwd, 'here');
    const there = join(cwd, 'there');
    // A threshold above the input's size: no thread; 0: the thread from the first chunk.
    expect((await cliWith({ BATON_HASH_THREAD_MIN_BYTES: 1 << 30 })(['analyze', input, '--out', here], cwd)).code).toBe(
      0,
    );
    expect((await cliWith({ BATON_HASH_THREAD_MIN_BYTES: 0 })(['analyze', input, '--out', there], cwd)).code).toBe(0);
    for (const name of OUTPUTS) expect(output(there, name), name).toBe(output(here, name));
    expectDigestsOfFiles(here, input);
    expectDigestsOfFiles(there, input);
    const digests = (dir: string) => runOf(dir).outputs.filter((o) => o.name !== 'report.html');
    expect(digests(there)).toEqual(digests(here));
  });

  it.each<HashThreadFault>([
    { after: 3, how: 'exit' },
    { after: 0, how: 'throw' },
  ])('are still those of the files when the thread fails (%o): run.json hashes them itself', async (fault) => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    const io = { stdout: () => undefined, stderr: () => undefined, interactive: false, cwd };
    const request = await analyzeRequest(
      { out, quiet: true },
      [BPIC2013],
      { ...io, env: { BATON_HASH_THREAD_MIN_BYTES: 0 } },
      { out, title: 't' },
    );
    expect(request).toMatchObject({ hashThreadMinBytes: 0, hashThreadWhenBusy: true });
    await runAnalysis({ ...request, hashThreadFault: fault }, io);
    expectDigestsOfFiles(out, BPIC2013);
  });

  it('by default, for inputs of 24 MiB of content or more, and only when a core is free', async () => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    const io = { stdout: () => undefined, stderr: () => undefined, interactive: false, cwd, env: {} };
    const request = await analyzeRequest({ out, quiet: true }, [BPIC2013], io, { out, title: 't' });
    expect(request).toMatchObject({ hashThreadMinBytes: DEFAULT_HASH_THREAD_MIN_BYTES, hashThreadWhenBusy: false });
    expect(DEFAULT_HASH_THREAD_MIN_BYTES).toBe(24 << 20);
  });
});
