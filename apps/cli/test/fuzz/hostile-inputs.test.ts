import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/run.ts';
import { captureIo } from '../capture-io.ts';

// Hostile input never costs data: real inputs (XES, CSV, Jira JSONL, a charter), mutated the way a
// careless user or an attacker would (truncated, bits flipped, huge fields, control characters,
// prototype keys, Unicode edge cases), run through the CLI in-process. For every run: no uncaught
// exception (no "internal error"), an exit code the README documents, no input file changed,
// outputs complete (every file, run.json's hashes matching) or absent, and the valid records
// before a truncation kept. Bounded: a fixed seed, a few runs per format and a time limit
// (BATON_FUZZ_RUNS raises the runs for a longer local session).

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const RUNS = Number(process.env['BATON_FUZZ_RUNS'] ?? 12);
const SEED = Number(process.env['BATON_FUZZ_SEED'] ?? 14);
const TIME_LIMIT_MS = 40_000;

const HOSTILE = [
  '\u001b]0;pwned\u0007',
  '\u001b[2J\rAll good\n',
  '\u0000',
  '"',
  '""\n"',
  ',',
  '\r\n',
  '__proto__',
  'constructor',
  '{"__proto__":{"polluted":1}}',
  '&#x110000;',
  '&#0;',
  '&#xD800;',
  '&amp',
  '<trace>',
  '</log>',
  '\uD800',
  '\uFEFF',
  '\u202E',
  '\uFFFF',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  ': &a [*a, *a]\n',
  'x'.repeat(300_000),
  '9'.repeat(400),
] as const;

type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...HOSTILE) }),
);

function mutate(original: Buffer, mutations: readonly Mutation[]): Buffer {
  let bytes = Buffer.from(original);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
    else if (m.kind === 'flip') {
      if (bytes.length > 0) bytes[at] = bytes[at]! ^ (1 << m.bit);
    } else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.text, 'utf8'), bytes.subarray(at)]);
  }
  return bytes;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Outcome {
  readonly code: number;
  readonly err: string;
  readonly out: string;
  readonly outDir: string;
}

/** Runs one command with the input placed inside --out's parent, and checks what must always hold. */
async function runHostile(
  args: (input: string, out: string) => string[],
  name: string,
  input: Buffer,
  outputs: readonly string[],
): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-fuzz-'));
  const inputPath = join(dir, name);
  writeFileSync(inputPath, input);
  const outDir = join(dir, 'out');
  const c = captureIo();
  const code = await runCli(args(inputPath, outDir), { ...c.io, cwd: dir });
  const err = c.err();
  expect(err, 'an unexpected exception').not.toContain('internal error');
  expect([0, 1, 2], `exit code ${code}: ${err}`).toContain(code);
  expect(sha256(readFileSync(inputPath)), 'the input was changed').toBe(sha256(input));
  // eslint-disable-next-line no-control-regex -- control characters are what is checked
  expect(c.out() + err, 'a control character reached the terminal').not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  const left = readdirSync(dir).sort();
  if (code === 0) {
    expect(left).toEqual([name, 'out'].sort());
    const run = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')) as {
      outputs: { name: string; sha256: string }[];
    };
    expect(run.outputs.map((o) => o.name).sort()).toEqual([...outputs].sort());
    for (const o of run.outputs) expect(sha256(readFileSync(join(outDir, o.name))), o.name).toBe(o.sha256);
  } else {
    // Nothing written, nothing left behind (no staging directory, no partial output).
    expect(left).toEqual([name]);
  }
  return { code, err, out: c.out(), outDir };
}

const ANALYZE_OUTPUTS = ['report.html', 'kpis.json', 'cases.csv', 'states.csv', 'events.csv'];
const REPLAY_OUTPUTS = ['decisions.csv', 'audit.jsonl', 'summary.json', 'replay.html'];
const analyze = (input: string, out: string) => ['analyze', input, '--out', out, '--quiet'];

/** Case ids of cases.csv (first column, header dropped). */
function caseIds(outDir: string): Set<string> {
  const text = readFileSync(join(outDir, 'cases.csv'), 'utf8');
  return new Set(
    text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]!),
  );
}

const property = { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true };

describe('hostile input never costs data (fuzz, bounded)', () => {
  it('XES (the running example)', async () => {
    const xes = readFileSync(join(FIXTURES, 'eventlogs', 'running-example.xes'));
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        await runHostile(analyze, 'log.xes', mutate(xes, ms), ANALYZE_OUTPUTS);
      }),
      property,
    );
  }, 120_000);

  it('CSV (the running example): every case whose rows all precede a truncation is kept', async () => {
    const csv = readFileSync(join(FIXTURES, 'eventlogs', 'running-example.csv'));
    const lines = csv.toString('utf8').split('\n');
    const header = lines[0]!.split(',');
    const caseColumn = header.indexOf('case:concept:name');
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        const r = await runHostile(analyze, 'log.csv', mutate(csv, ms), ANALYZE_OUTPUTS);
        const m = ms[0];
        if (ms.length !== 1 || m === undefined || m.kind !== 'truncate') return;
        const at = m.at % csv.length;
        // Rows complete before the cut; the row the cut falls in may be skipped, its case with it.
        let offset = 0;
        const complete = new Set<string>();
        let cut: string | undefined;
        for (const [i, line] of lines.entries()) {
          const end = offset + line.length + 1;
          if (i > 0 && line !== '') {
            const id = line.split(',')[caseColumn]!;
            if (end <= at) complete.add(id);
            else if (offset < at) cut = id;
          }
          offset = end;
        }
        if (cut !== undefined) complete.delete(cut);
        if (complete.size === 0) return;
        expect(r.code).toBe(0);
        const kept = caseIds(r.outDir);
        for (const id of complete) expect(kept.has(id), `case ${id} lost`).toBe(true);
      }),
      property,
    );
  }, 120_000);

  it('Jira JSONL (real Appcelerator issues): every issue on a line before a truncation is kept', async () => {
    const all = gunzipSync(readFileSync(join(FIXTURES, 'jira-export', 'appcelerator-300.jsonl.gz')))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
    const sample = all.slice(0, 12);
    const jsonl = Buffer.from(`${sample.join('\n')}\n`, 'utf8');
    const keys = sample.map((l) => (JSON.parse(l) as { key: string }).key);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        const r = await runHostile(analyze, 'issues.jsonl', mutate(jsonl, ms), ANALYZE_OUTPUTS);
        const m = ms[0];
        if (ms.length !== 1 || m === undefined || m.kind !== 'truncate') return;
        const at = m.at % jsonl.length;
        let offset = 0;
        const complete: string[] = [];
        for (const [i, line] of sample.entries()) {
          offset += Buffer.byteLength(line, 'utf8') + 1;
          if (offset - 1 <= at) complete.push(keys[i]!);
        }
        if (complete.length === 0) return;
        expect(r.code).toBe(0);
        const kept = caseIds(r.outDir);
        for (const key of complete) expect(kept.has(key), `issue ${key} lost`).toBe(true);
      }),
      property,
    );
  }, 120_000);

  it('a charter (replay): refused with the reason, or replayed whole', async () => {
    const charter = readFileSync(join(FIXTURES, 'charters', 'receipt.yaml'));
    const log = join(FIXTURES, 'eventlogs', 'receipt-40-cases.csv');
    const logHash = sha256(readFileSync(log));
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        const r = await runHostile(
          (input, out) => ['replay', log, '--charter', input, '--out', out, '--tick', '4h'],
          'charter.yaml',
          mutate(charter, ms),
          REPLAY_OUTPUTS,
        );
        expect([0, 1]).toContain(r.code);
        if (r.code === 1) expect(r.err).toMatch(/charter/);
      }),
      { ...property, numRuns: Math.max(4, Math.floor(RUNS / 2)) },
    );
    expect(sha256(readFileSync(log))).toBe(logHash);
  }, 120_000);

  it('an input inside --out named like an output is never written, whatever its content', async () => {
    const csv = readFileSync(join(FIXTURES, 'eventlogs', 'running-example.csv'));
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { maxLength: 2 }), fc.constantFrom(...ANALYZE_OUTPUTS), async (ms, name) => {
        const dir = mkdtempSync(join(tmpdir(), 'baton-fuzz-'));
        const out = join(dir, 'out');
        mkdirSync(out);
        const input = mutate(csv, ms);
        writeFileSync(join(out, name), input);
        const c = captureIo();
        const code = await runCli(['analyze', join(out, name), '--out', out, '--format', 'csv'], { ...c.io, cwd: dir });
        expect(code).toBe(2);
        expect(readFileSync(join(out, name))).toEqual(input);
        expect(readdirSync(out)).toEqual([name]);
        expect(existsSync(join(out, 'run.json'))).toBe(false);
      }),
      { ...property, numRuns: 6 },
    );
  }, 120_000);
});
