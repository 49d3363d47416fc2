import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRequest } from '../src/analyze/analyze-options.ts';
import { formatSummary, runAnalysis } from '../src/analyze/run-analysis.ts';
import { CliError, type CliIO } from '../src/command.ts';
import type { CliEnv } from '../src/env.ts';
import { CsvNeedsTwoPasses, readCsvBatches } from '../src/readers/csv-reader.ts';
import { defineReadOptions } from '../src/readers/index.ts';
import { BPIC2013_CSV_HEADER, bpic2013CsvRows, summary, tempDirOf } from './two-ways.ts';

// `analyze` reads a CSV once when it is grouped by case, and when it is not (a case id comes back),
// drops all it did and reads it again in two passes (ADR 0017, "One pass when grouped"). Either
// way every output is the two-pass run's, byte for byte: here the same request is run both ways.

const SHARED = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'eventlogs');
const RECEIPT = join(SHARED, 'receipt.csv');
const BPIC2013 = join(import.meta.dirname, '..', 'data', 'bpic2013-incidents.xes.gz');
const tempDir = tempDirOf('one-pass');

interface Run {
  readonly files: Record<string, string>;
  readonly summary?: string;
  readonly failure?: string;
}

/** Runs `analyze` on `input` through `runAnalysis` (the clock fixed), in one pass first or in two passes from the start. */
async function analyse(
  input: string,
  flags: Record<string, unknown>,
  how: { readonly twoPasses: boolean; readonly env?: CliEnv },
): Promise<Run> {
  const cwd = tempDir();
  const io: CliIO = { stdout: () => undefined, stderr: () => undefined, interactive: false, cwd, env: how.env ?? {} };
  const request = await analyzeRequest({ out: 'out', quiet: true, ...flags }, [input], io, { out: 'out', title: 't' });
  const read = how.twoPasses ? { ...request.read, csvOnePass: false } : request.read;
  const files = () => {
    const out = join(cwd, 'out');
    const names = existsSync(out) ? readdirSync(out).sort() : [];
    const all = Object.fromEntries(names.map((n) => [n, readFileSync(join(out, n), 'utf8')]));
    if (existsSync(join(cwd, 'p.json'))) all['p.json'] = readFileSync(join(cwd, 'p.json'), 'utf8');
    // Nothing left beside --out (a staging directory of a dropped attempt).
    expect(readdirSync(cwd).filter((n) => n !== 'out' && n !== 'p.json')).toEqual([]);
    return all;
  };
  try {
    const outcome = await runAnalysis({ ...request, read, now: () => Date.UTC(2026, 0, 1) }, io);
    return { files: files(), summary: summary(formatSummary(outcome, cwd)) };
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { files: files(), failure: `${error.exitCode}: ${error.message}` };
  }
}

/** The same run in one pass (the default) and in two: equal in every byte. */
async function expectSame(input: string, flags: Record<string, unknown> = {}, env?: CliEnv): Promise<Run> {
  const two = await analyse(input, flags, { twoPasses: true, ...(env === undefined ? {} : { env }) });
  const one = await analyse(input, flags, { twoPasses: false, ...(env === undefined ? {} : { env }) });
  expect(Object.keys(one.files)).toEqual(Object.keys(two.files));
  for (const name of Object.keys(two.files)) expect(one.files[name], name).toBe(two.files[name]);
  expect(one.summary).toBe(two.summary);
  expect(one.failure).toBe(two.failure);
  return one;
}

/** Whether a one-pass read of the file finishes (grouped by case) or stops. */
async function readsInOnePass(path: string): Promise<boolean> {
  try {
    for await (const batch of readCsvBatches(path, { ...defineReadOptions(), csvOnePass: true })) void batch;
    return true;
  } catch (error) {
    if (error instanceof CsvNeedsTwoPasses) return false;
    throw error;
  }
}

const runJson = (run: Run) =>
  JSON.parse(run.files['run.json']!) as {
    inputs: { sha256: string }[];
    pipeline: boolean;
    threads: number;
    reruns: number;
  };
const inputDigest = (run: Run) => runJson(run).inputs[0];

/** The receipt log's rows sorted by time, as an export by time (not by case) has them. */
function receiptByTime(): string {
  const [header, ...rows] = readFileSync(RECEIPT, 'utf8').trimEnd().split('\n');
  const at = header!.split(',').indexOf('time:timestamp');
  const byTime = rows.sort((x, y) => (x.split(',')[at]! < y.split(',')[at]! ? -1 : 1));
  const path = join(tempDir(), 'receipt-by-time.csv');
  writeFileSync(path, `${[header, ...byTime].join('\n')}\n`);
  return path;
}

/** BPIC 2013 incidents as a CSV, rows of a case together (65,533 rows), with bad rows planted, and one case split at the end. */
async function bpicCsv(): Promise<{ grouped: string; split: string }> {
  const rows = await bpic2013CsvRows(BPIC2013);
  rows[100] = rows[100]!.replace(/,20\d\d-/, ',not a time 20'); // a bad timestamp: its case skipped
  rows[30_000] = `,${rows[30_000]}`.replace(/^,[^,]*/, ''); // no case id: the row skipped alone
  rows.splice(60_000, 0, rows[60_000]!.replace(/,([^,]*)$/, ',"$1')); // an unclosed quote: its case held, skipped
  rows.splice(40_000, 0, `${rows[40_000]},extra`); // one field too many: its case skipped
  const header = BPIC2013_CSV_HEADER;
  const dir = tempDir();
  const grouped = join(dir, 'bpic2013.csv');
  writeFileSync(grouped, `${[header, ...rows].join('\n')}\n`);
  const split = join(dir, 'bpic2013-split.csv');
  writeFileSync(split, `${[header, ...rows.slice(1), rows[0]].join('\n')}\n`);
  return { grouped, split };
}

describe('baton analyze reads a CSV grouped by case once: the two-pass outputs byte for byte', () => {
  it('on the receipt log (grouped) and the same rows sorted by time (read again), with --since/--until and --partial', async () => {
    const byTime = receiptByTime();
    expect(await readsInOnePass(RECEIPT)).toBe(true);
    expect(await readsInOnePass(byTime)).toBe(false);
    const flags = { since: '2011-01-01', until: '2011-12-31', partial: 'p.json', owner: 'org:group' };
    for (const path of [RECEIPT, byTime]) {
      const run = await expectSame(path, flags);
      expect(run.files['p.json']?.length).toBeGreaterThan(100);
      // run.json's input digest, taken as the file was read (once, on a retry too), is the file's.
      expect(inputDigest(run)?.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  });

  it('on BPIC 2013 as a CSV with skipped rows, grouped and with a case split at the very end, on one thread, two, and shards', async () => {
    const { grouped, split } = await bpicCsv();
    expect(await readsInOnePass(grouped)).toBe(true);
    expect(await readsInOnePass(split)).toBe(false);
    for (const path of [grouped, split]) {
      const run = await expectSame(path, { owner: 'org:group' });
      expect(run.summary).toMatch(/skipped {8}5 records/);
      expect(run.summary).toMatch(/csv:10[12] \(record 1-506071646\) field 'time:timestamp'/);
      const piped = await expectSame(path, { owner: 'org:group' }, { BATON_PIPELINE_MIN_BYTES: 0 });
      expect(runJson(piped)).toMatchObject({ pipeline: availableParallelism() >= 2, reruns: 0 });
      const shards = await expectSame(path, { owner: 'org:group', jobs: '2' }, { BATON_SHARD_MIN_BYTES: 0 });
      // Split: the shards see a case on both sides of a cut and read again on one thread.
      expect(runJson(shards)).toMatchObject(path === grouped ? { threads: 2, reruns: 0 } : { threads: 1, reruns: 1 });
      // The shards' part files of a dropped sharded read are not published with the run.
      expect(Object.keys(shards.files)).toEqual([
        'cases.csv',
        'events.csv',
        'kpis.json',
        'report.html',
        'run.json',
        'states.csv',
      ]);
      // --strict: the same first errors, nothing written.
      const strict = await expectSame(path, { owner: 'org:group', strict: true });
      expect(strict.failure).toMatch(/^1: --strict: 5 records skipped, so nothing was written/);
      expect(strict.files).toEqual({});
    }
  }, 60_000);
});
