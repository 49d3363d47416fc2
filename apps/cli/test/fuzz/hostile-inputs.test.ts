import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/run.ts';
import { captureIo } from '../capture-io.ts';

// Hostile input never costs data: real inputs (XES, CSV, Jira JSONL, a charter), mutated the way a
// careless user or an attacker would, run through the CLI in-process. Every mutation kind the issue
// names runs on every format: truncation, bit flips, huge fields, control characters, prototype keys,
// Unicode edge cases, and a mix of them. For every run: no uncaught exception (no "internal error"),
// an exit code the README documents, no input file changed, nothing unescaped on the terminal,
// outputs complete (every file, run.json's hashes matching) or absent; and every record of the
// unmutated part kept: a case none of whose records a mutation touched, and whose id no touched
// record could now carry, is in cases.csv with all its events (for a charter: the log's every case
// and event replayed). Bounded: a fixed seed, a few runs per format and kind, and a time limit
// (BATON_FUZZ_RUNS raises the runs for a longer local session).

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const RUNS = Number(process.env['BATON_FUZZ_RUNS'] ?? 5);
const SEED = Number(process.env['BATON_FUZZ_SEED'] ?? 14);
const TIME_LIMIT_MS = 15_000;
const property = { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true };

const bytes = (...b: number[]) => Buffer.from(b);
const text = (s: string) => Buffer.from(s, 'utf8');

/** What each kind inserts (or puts in place of a word). */
const PAYLOADS = {
  huge: [text('x'.repeat(300_000)), text('y'.repeat((1 << 20) + 10)), text('9'.repeat(400)), text('a,'.repeat(5000))],
  control: [
    text('\u001b]0;pwned\u0007'),
    text('\u001b[2J\rAll good\n'),
    bytes(0),
    bytes(0x7f),
    text('\r\n'),
    text('\r'),
    text('\n'),
    text('"'),
    text('""\n"'),
    text(','),
    text('\t'),
  ],
  proto: [
    text('__proto__'),
    text('constructor'),
    text('toString'),
    text('hasOwnProperty'),
    text('prototype'),
    text('{"__proto__":{"polluted":1}}'),
    text('\n__proto__: { polluted: 1 }\n'),
  ],
  unicode: [
    text('&#x110000;'),
    text('&#0;'),
    text('&#xD800;'),
    text('&amp'),
    text('\uD800'),
    text('\uFEFF'),
    text('\u202E'),
    text('\uFFFF'),
    text('𝔘𝔫𝔦𝔠𝔬𝔡𝔢'),
    text('e\u0301\u0301\u0301'),
    bytes(0xc0, 0x80), // overlong NUL
    bytes(0xed, 0xa0, 0x80), // a UTF-16 surrogate as UTF-8
    bytes(0xf4, 0x90, 0x80, 0x80), // beyond U+10FFFF
    bytes(0xff, 0xfe), // a UTF-16 byte-order mark in the middle
    bytes(0x80), // a lone continuation byte
    bytes(0xe2, 0x82), // a sequence cut short
  ],
} as const;

/** One local change, at a byte offset of the original file. */
type Local =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'insert'; readonly at: number; readonly payload: Buffer }
  /** The word (letters, digits, `_`) around `at` replaced by the payload (an insert outside a word). */
  | { readonly kind: 'word'; readonly at: number; readonly payload: Buffer };

interface Plan {
  readonly locals: readonly Local[];
  /** The file cut at this offset (before the local changes, which fall inside what is left). */
  readonly cut?: number;
}

// Offsets spread over the whole file (fast-check leans towards small numbers: all at the header).
const offset = fc.noBias(fc.nat());
const insert = (payloads: readonly Buffer[]) =>
  fc.record({ kind: fc.constant('insert' as const), at: offset, payload: fc.constantFrom(...payloads) });
const word = (payloads: readonly Buffer[]) =>
  fc.record({ kind: fc.constant('word' as const), at: offset, payload: fc.constantFrom(...payloads) });
const flip = fc.record({ kind: fc.constant('flip' as const), at: offset, bit: fc.integer({ min: 0, max: 7 }) });
const locals = (arb: fc.Arbitrary<Local>, max = 3) =>
  fc.array(arb, { minLength: 1, maxLength: max }).map((l): Plan => ({ locals: l }));

const ALL_PAYLOADS = [...PAYLOADS.huge, ...PAYLOADS.control, ...PAYLOADS.proto, ...PAYLOADS.unicode];
const KINDS: Record<string, fc.Arbitrary<Plan>> = {
  truncation: offset.map((cut): Plan => ({ locals: [], cut })),
  'bit flips': locals(flip),
  'huge fields': locals(fc.oneof(insert(PAYLOADS.huge), word(PAYLOADS.huge)), 2),
  'control characters': locals(fc.oneof(insert(PAYLOADS.control), word(PAYLOADS.control))),
  'prototype keys': locals(fc.oneof(word(PAYLOADS.proto), insert(PAYLOADS.proto))),
  'Unicode edge cases': locals(fc.oneof(insert(PAYLOADS.unicode), word(PAYLOADS.unicode))),
  'a mix, cut short': fc
    .tuple(fc.array(fc.oneof(flip, insert(ALL_PAYLOADS), word(ALL_PAYLOADS)), { maxLength: 3 }), offset)
    .map(([l, cut]): Plan => ({ locals: l, cut })),
};

const isWordByte = (b: number | undefined) =>
  b !== undefined && ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95);

/** A byte range of the original file a change touched: [from, to). */
interface Touch {
  readonly from: number;
  readonly to: number;
  /** The bytes now in its place (what a reader sees there). */
  readonly now: Buffer;
}

/** The mutated file and where the original was touched (offsets of the original). */
function apply(original: Buffer, plan: Plan): { data: Buffer; touched: Touch[]; cut: number } {
  const cut = plan.cut === undefined ? original.length : plan.cut % (original.length + 1);
  let data = Buffer.from(original.subarray(0, cut));
  const placed = plan.locals.map((l) => {
    const at = l.at % (cut + 1);
    if (l.kind === 'word' && isWordByte(data[at])) {
      let from = at;
      let to = at;
      while (isWordByte(data[from - 1])) from--;
      while (isWordByte(data[to])) to++;
      return { from, to, now: l.payload };
    }
    if (l.kind === 'flip') {
      if (at === cut) return undefined;
      return { from: at, to: at + 1, now: bytes(data[at]! ^ (1 << l.bit)) };
    }
    return { from: at, to: at, now: l.payload };
  });
  // Applied from the end, so the offsets of the changes still to apply hold; overlaps are dropped.
  const touched: Touch[] = [];
  let limit = Infinity;
  for (const t of placed.filter((p) => p !== undefined).sort((a, b) => b.from - a.from || b.to - a.to)) {
    if (t.to > limit || (t.to === limit && t.from === t.to && touched.at(-1)?.from === t.to)) continue;
    data = Buffer.concat([data.subarray(0, t.from), t.now, data.subarray(t.to)]);
    touched.push(t);
    limit = t.from;
  }
  return { data, touched, cut };
}

/** A record of the original file: a byte range and whose case it is. */
interface Span {
  readonly start: number;
  /** Exclusive, its terminator (and for a trace, the white space after it) included. */
  readonly end: number;
  readonly caseId: string;
}

/**
 * The cases of the original that must be kept: those none of whose records a change touched (a
 * change at an edge of a record, its terminator or the start of the next, may join the two: both
 * count) or the cut left short, and whose id none of the touched records could now carry (a
 * broken record naming a case may cost that case: a bad record skips its case). `undefined` when
 * the header was touched (then nothing is owed but the general rules).
 */
function untouchedCases(
  spans: readonly Span[],
  header: number,
  m: { readonly touched: readonly Touch[]; readonly cut: number; readonly data: Buffer },
  claims: (touchedText: string) => Iterable<string>,
  spread: (damaged: Set<number>) => void = () => {},
): Set<string> | undefined {
  const hits = (s: { start: number; end: number }, t: Touch) =>
    s.start <= Math.max(t.to, t.from + 1) && t.from <= s.end;
  if (m.cut < header || m.touched.some((t) => hits({ start: 0, end: header }, t))) return undefined;
  const damaged = new Set<number>();
  for (const [i, s] of spans.entries()) if (s.end > m.cut || m.touched.some((t) => hits(s, t))) damaged.add(i);
  spread(damaged);
  // Where an offset of the original is in the mutated file.
  const shifted = (pos: number) =>
    Math.min(
      m.data.length,
      pos + m.touched.filter((t) => t.to <= pos).reduce((sum, t) => sum + t.now.length - (t.to - t.from), 0),
    );
  const lost = new Set<string>();
  const touchedText: string[] = [];
  for (const i of damaged) {
    const s = spans[i]!;
    lost.add(s.caseId);
    touchedText.push(m.data.subarray(shifted(s.start), shifted(s.end)).toString('utf8'));
  }
  for (const c of claims(touchedText.join('\n'))) lost.add(c);
  return new Set(spans.filter((s) => !lost.has(s.caseId)).map((s) => s.caseId));
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

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

/** RFC 4180 rows of a CSV the CLI wrote. */
function csvRows(content: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < content.length; i++) {
    const ch = content[i]!;
    if (quoted && ch === '"' && content[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (quoted) field += ch;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Events per case in the run's cases.csv. */
function eventsPerCase(outDir: string): Map<string, number> {
  const [header, ...rows] = csvRows(readFileSync(join(outDir, 'cases.csv'), 'utf8'));
  const events = header!.indexOf('events');
  return new Map(rows.map((r) => [r[0]!, Number(r[events])]));
}

/** The untouched cases must all be in the run's cases.csv, each with as many events as unmutated. */
function expectKept(r: Outcome, kept: Set<string> | undefined, baseline: Map<string, number>): void {
  if (kept === undefined || kept.size === 0) return;
  expect(r.code, r.err).toBe(0);
  const now = eventsPerCase(r.outDir);
  for (const id of kept) expect(now.get(id), `case ${id} (untouched) lost or changed: ${r.err}`).toBe(baseline.get(id));
}

async function baselineOf(name: string, input: Buffer): Promise<Map<string, number>> {
  const r = await runHostile(analyze, name, input, ANALYZE_OUTPUTS);
  expect(r.code).toBe(0);
  return eventsPerCase(r.outDir);
}

/** Lines of a file as spans: [start, end) with the newline. */
function lineSpans(data: Buffer): { start: number; end: number; text: string }[] {
  const spans: { start: number; end: number; text: string }[] = [];
  let start = 0;
  while (start < data.length) {
    const nl = data.indexOf(10, start);
    const end = nl === -1 ? data.length : nl + 1;
    spans.push({ start, end, text: data.subarray(start, nl === -1 ? end : nl).toString('utf8') });
    start = end;
  }
  return spans;
}

/** The mutation `apply` made: the bytes and where they changed. */
type Mutated = ReturnType<typeof apply>;

/**
 * One bounded property per mutation kind: `analyze` on `data` mutated keeps, with all its events,
 * every case `keptOf` finds untouched by the mutation (undefined: none can be named).
 */
function keepsEveryUntouchedCase(file: string, data: Buffer, keptOf: (m: Mutated) => Set<string> | undefined): void {
  let baseline = new Map<string, number>();
  beforeAll(async () => {
    baseline = await baselineOf(file, data);
  });
  for (const [kind, plans] of Object.entries(KINDS)) {
    it(
      kind,
      async () => {
        await fc.assert(
          fc.asyncProperty(plans, async (plan) => {
            const m = apply(data, plan);
            const r = await runHostile(analyze, file, m.data, ANALYZE_OUTPUTS);
            expectKept(r, keptOf(m), baseline);
          }),
          property,
        );
      },
      60_000,
    );
  }
}

describe('hostile input never costs data (fuzz, bounded)', () => {
  describe('XES (the running example): every untouched trace kept', () => {
    const xes = readFileSync(join(FIXTURES, 'eventlogs', 'running-example.xes'));
    const source = xes.toString('latin1');
    const found = [...source.matchAll(/<trace>[\s\S]*?<\/trace>/g)];
    const traces: Span[] = found.map((t, i) => ({
      start: t.index,
      // The white space up to the next trace is this trace's: a change there touches it.
      end: found[i + 1]?.index ?? xes.length,
      caseId: /<string key="concept:name" value="([^"]*)"\/>/.exec(t[0])![1]!,
    }));
    keepsEveryUntouchedCase('log.xes', xes, (m) =>
      untouchedCases(traces, traces[0]!.start, m, (t) => [...t.matchAll(/value="([^"]*)"/g)].map((v) => v[1]!)),
    );
  });

  describe('CSV (the running example): every untouched case kept', () => {
    const csv = readFileSync(join(FIXTURES, 'eventlogs', 'running-example.csv'));
    const lines = lineSpans(csv);
    const caseColumn = lines[0]!.text.split(',').indexOf('case:concept:name');
    const rows: Span[] = lines.slice(1).map((l) => ({ ...l, caseId: l.text.split(',')[caseColumn]! }));
    keepsEveryUntouchedCase('log.csv', csv, (m) => {
      // A quote opened on one touched row and closed on a later one makes one field of the
      // rows between them (RFC 4180): those rows are the change's too.
      const quoted = rows.flatMap((s, i) =>
        m.touched.some((t) => t.now.includes(34) && s.start <= t.from && t.from < s.end) ? [i] : [],
      );
      return untouchedCases(
        rows,
        lines[0]!.end,
        m,
        (t) => t.split(/[\r\n,;\t]/).map((c) => c.replaceAll('"', '')),
        (damaged) => {
          for (let i = Math.min(...quoted); i <= Math.max(...quoted); i++) damaged.add(i);
        },
      );
    });
  });

  describe('Jira JSONL (real Appcelerator issues): every untouched issue kept', () => {
    const all = gunzipSync(readFileSync(join(FIXTURES, 'jira-export', 'appcelerator-300.jsonl.gz')))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
    const jsonl = Buffer.from(`${all.slice(0, 12).join('\n')}\n`, 'utf8');
    const issues: Span[] = lineSpans(jsonl).map((l) => ({ ...l, caseId: (JSON.parse(l.text) as { key: string }).key }));
    keepsEveryUntouchedCase('issues.jsonl', jsonl, (m) =>
      untouchedCases(issues, 0, m, (t) => t.match(/[A-Za-z][A-Za-z0-9_]{0,30}-\d{1,12}/g) ?? []),
    );
  });

  describe('a charter (replay): refused naming the charter, or the whole log replayed', () => {
    const charter = readFileSync(join(FIXTURES, 'charters', 'receipt.yaml'));
    const log = join(FIXTURES, 'eventlogs', 'receipt-40-cases.csv');
    const logHash = sha256(readFileSync(log));
    const replay = (input: string, out: string) => ['replay', log, '--charter', input, '--out', out, '--tick', '4h'];
    let whole: { cases: number; events: number } = { cases: 0, events: 0 };
    beforeAll(async () => {
      const r = await runHostile(replay, 'charter.yaml', charter, REPLAY_OUTPUTS);
      expect(r.code).toBe(0);
      whole = JSON.parse(readFileSync(join(r.outDir, 'summary.json'), 'utf8')) as typeof whole;
      expect(whole.cases).toBe(40);
    });
    for (const [kind, plans] of Object.entries(KINDS)) {
      it(
        kind,
        async () => {
          await fc.assert(
            fc.asyncProperty(plans, async (plan) => {
              const r = await runHostile(replay, 'charter.yaml', apply(charter, plan).data, REPLAY_OUTPUTS);
              expect([0, 1], r.err).toContain(r.code);
              if (r.code === 1) {
                // Refused with the reason: the file, and where in it (a line or a field's path).
                expect(r.err).toMatch(/charter(\.yaml)?\b/);
                return;
              }
              const summary = JSON.parse(readFileSync(join(r.outDir, 'summary.json'), 'utf8')) as typeof whole;
              expect({ cases: summary.cases, events: summary.events }).toEqual({
                cases: whole.cases,
                events: whole.events,
              });
            }),
            { ...property, numRuns: Math.max(3, Math.ceil(RUNS / 2)) },
          );
          expect(sha256(readFileSync(log))).toBe(logHash);
        },
        60_000,
      );
    }
  });

  it('an input inside --out named like an output is never written, whatever its content', async () => {
    const csv = readFileSync(join(FIXTURES, 'eventlogs', 'running-example.csv'));
    await fc.assert(
      fc.asyncProperty(fc.oneof(...Object.values(KINDS)), fc.constantFrom(...ANALYZE_OUTPUTS), async (plan, name) => {
        const dir = mkdtempSync(join(tmpdir(), 'baton-fuzz-'));
        const out = join(dir, 'out');
        mkdirSync(out);
        const input = apply(csv, plan).data;
        writeFileSync(join(out, name), input);
        const c = captureIo();
        const code = await runCli(['analyze', join(out, name), '--out', out, '--format', 'csv'], {
          ...c.io,
          cwd: dir,
        });
        expect(code).toBe(2);
        expect(readFileSync(join(out, name))).toEqual(input);
        expect(readdirSync(out)).toEqual([name]);
        expect(existsSync(join(out, 'run.json'))).toBe(false);
      }),
      { ...property, numRuns: 6 },
    );
  }, 60_000);
});
