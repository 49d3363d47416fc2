import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type CaseRecord } from '@baton/core';
import { analyzeRequest } from '../src/analyze/analyze-options.ts';
import { createCaseDecoder, createCaseEncoder } from '../src/analyze/case-columns.ts';
import type { PipelineFault } from '../src/analyze/pipeline-task.ts';
import { runAnalysis } from '../src/analyze/run-analysis.ts';
import { CliError } from '../src/command.ts';
import { defineReadOptions, type ReadItem, readInputs } from '../src/readers/index.ts';
import { runCli } from '../src/run.ts';
import {
  BPIC2013_CSV_HEADER,
  bpic2013CsvRows,
  bothWaysWith,
  cliWith,
  output,
  OUTPUTS,
  summary,
  tempDirOf,
} from './two-ways.ts';

// With BATON_PIPELINE_MIN_BYTES set, `analyze` reads one large XES or CSV input on a second thread
// (which also writes events.csv and hashes the input) while the main thread analyses the cases it
// sends as columns (ADR 0025; off by default). Every output must be the one-thread run's, byte for
// byte. The threshold is 0 here so that test inputs are pipelined.

const BPIC2013 = join(import.meta.dirname, '..', 'data', 'bpic2013-incidents.xes.gz');
const SHARED = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'eventlogs');
const RECEIPT = join(SHARED, 'receipt.csv');
/** The pipeline needs a second core; on one, the default is one thread (and these tests check that). */
const TWO_CORES = availableParallelism() >= 2;

const baton = cliWith({ BATON_PIPELINE_MIN_BYTES: 0 });
const tempDir = tempDirOf('pipeline');

interface RunJson {
  threads: number;
  pipeline: boolean;
  inputs: { name: string; bytes: number; sha256: string }[];
  outputs: { name: string; bytes: number; sha256: string }[];
}
const runOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunJson;

/** Runs `analyze` on one thread (--jobs 1) and with the pipeline asked for, with the same options. */
const bothWays = bothWaysWith(baton, tempDir, []);

function expectSameRuns(one: string, two: string): void {
  for (const name of OUTPUTS) expect(output(two, name), name).toBe(output(one, name));
  expect(runOf(one)).toMatchObject({ threads: 1, pipeline: false });
  expect(runOf(two)).toMatchObject({ threads: TWO_CORES ? 2 : 1, pipeline: TWO_CORES });
  // The input's digest, taken by the reading thread as it read, is the one of the whole file.
  expect(runOf(two).inputs).toEqual(runOf(one).inputs);
  const digests = (dir: string) => runOf(dir).outputs.filter((o) => o.name !== 'report.html');
  expect(digests(two)).toEqual(digests(one));
}

/** BPIC 2013 incidents as a CSV (one event a row, rows of a case together): 65,533 rows, several batches. */
const bpicCsv = async () => ({
  header: `${BPIC2013_CSV_HEADER}\n`,
  rows: (await bpic2013CsvRows(BPIC2013)).map((row) => `${row}\n`),
});

describe('baton analyze on two threads (the pipeline): the one-thread outputs byte for byte', () => {
  it('on BPIC 2013 incidents (XES, gzipped), with an owner, a cohort, an SLA and --partial', async () => {
    const options = ['--owner', 'org:group', '--cohort', '2012-01-01', '--sla', '3d', '--quiet'];
    const { one, two, r1, r2 } = await bothWays(BPIC2013, (dir) => [...options, '--partial', `${dir}.json`]);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expectSameRuns(one, two);
    expect(readFileSync(`${two}.json`, 'utf8')).toBe(readFileSync(`${one}.json`, 'utf8'));
    expect((JSON.parse(output(two, 'kpis.json')) as { cases: number }).cases).toBe(7554);
  });

  it('on the receipt log (CSV), with a calendar, costs, a workflow map and --since/--until', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'calendar.yaml'),
      'timeZone: Europe/Amsterdam\nweek:\n  mon: [["08:00", "16:00"]]\n  tue: [["08:00", "16:00"]]\n  wed: [["08:00", "16:00"]]\n  thu: [["08:00", "16:00"]]\n  fri: [["08:00", "12:00"]]\nholidays: ["2011-12-26", "2012-01-02"]\n',
    );
    writeFileSync(join(cwd, 'costs.json'), JSON.stringify({ minutesPerHandoff: 20, loadedCostPerHour: 100 }));
    writeFileSync(join(cwd, 'workflow.yml'), 'states:\n  "Confirmation of receipt":\n    phase: waiting\n');
    const options = ['--calendar', 'calendar.yaml', '--costs', 'costs.json', '--workflow', 'workflow.yml'];
    const dates = ['--since', '2011-03-01', '--until', '2012-01-01', '--sla', '8h', '--owner', 'org:group'];
    const { one, two, r1, r2 } = await bothWays(RECEIPT, [...options, ...dates], cwd);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(summary(r2.out)).toBe(summary(r1.out));
    expectSameRuns(one, two);
    const kpis = JSON.parse(output(two, 'kpis.json')) as { filter: { excludedCases: number }; cases: number };
    expect(kpis.filter.excludedCases).toBeGreaterThan(0);
    expect(kpis.cases).toBeGreaterThan(100);
  });

  it('on a CSV with bad rows: the same skipped records (lines, cases) and summary', async () => {
    const dir = tempDir();
    const { header, rows } = await bpicCsv();
    // Several batches' worth of rows: a bad timestamp (its case skipped) early, a row with no case
    // id in the middle, an unclosed quote near the end (one record lost, its case skipped).
    const n = rows.length;
    rows[Math.floor(n * 0.1)] = rows[Math.floor(n * 0.1)]!.replace(/,20\d\d-\d\d-\d\dT[^,]*,/, ',31/12/2012,');
    rows[Math.floor(n * 0.5)] = rows[Math.floor(n * 0.5)]!.replace(/^[^,]*,/, ',');
    rows[Math.floor(n * 0.9)] = `"${rows[Math.floor(n * 0.9)]!}`;
    const input = join(dir, 'spoilt.csv');
    writeFileSync(input, `${header}${rows.join('')}`);
    const { one, two, r1, r2 } = await bothWays(input, ['--owner', 'org:group']);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(r1.out).toMatch(/skipped +[2-9]/);
    expect(summary(r2.out)).toBe(summary(r1.out));
    expectSameRuns(one, two);
  });

  it('fails under --strict with the first bad record and the one-thread message, writing nothing', async () => {
    const dir = tempDir();
    const xes = readFileSync(BPIC2013);
    const text = (await import('node:zlib')).gunzipSync(xes).toString('utf8');
    // A timestamp spoilt about two thirds in: in a later batch than the first.
    const at = text.indexOf('time:timestamp', Math.floor(text.length * 0.66));
    const spoilt = `${text.slice(0, at)}time:timestamp" value="yesterday"/><date key="x${text.slice(at + 14)}`;
    const input = join(dir, 'late.xes.gz');
    writeFileSync(input, gzipSync(spoilt));
    const { one, two, r1, r2 } = await bothWays(input, ['--strict']);
    expect(r1.code).toBe(1);
    expect(r2.code).toBe(1);
    expect(r1.err).toMatch(/--strict: 1 record skipped.*\n {2}late\.xes\.gz:\d+ \(record [^)]+\)/);
    expect(r2.err).toBe(r1.err);
    expect(existsSync(one)).toBe(false);
    expect(existsSync(two)).toBe(false);
  });

  it('runs --jobs 2 on an input it cannot cut (a gzipped CSV) as the default, and draws progress on a terminal', async () => {
    const dir = tempDir();
    const { header, rows } = await bpicCsv();
    const input = join(dir, 'bpic.csv.gz');
    writeFileSync(input, gzipSync(`${header}${rows.join('')}`));
    const one = await baton(['analyze', input, '--out', join(dir, 'one'), '--jobs', '1', '-q'], dir);
    const two = await baton(['analyze', input, '--out', join(dir, 'two'), '--jobs', '2'], dir, true);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expectSameRuns(join(dir, 'one'), join(dir, 'two'));
    // The progress items come from the reading thread, in order with the cases.
    expect(two.err).toMatch(/reading bpic\.csv\.gz +\d+% +[\d,]+ cases +[\d,]+ events/);
  });

  it('is off unless asked for: without BATON_PIPELINE_MIN_BYTES even a large log runs on one thread', async () => {
    const dir = tempDir();
    const code = await runCli(['analyze', BPIC2013, '--out', join(dir, 'default'), '-q'], {
      stdout: () => undefined,
      stderr: () => undefined,
      interactive: false,
      cwd: dir,
      env: {},
    });
    expect(code).toBe(0);
    expect(runOf(join(dir, 'default'))).toMatchObject({ threads: 1, pipeline: false });
  });

  it('stays on one thread for an input below the threshold, several inputs, or --jobs 1', async () => {
    const dir = tempDir();
    const small = await runCli(['analyze', RECEIPT, '--out', join(dir, 'small'), '-q'], {
      stdout: () => undefined,
      stderr: () => undefined,
      interactive: false,
      cwd: dir,
      env: { BATON_PIPELINE_MIN_BYTES: 100 << 20 },
    });
    expect(small).toBe(0);
    expect(runOf(join(dir, 'small'))).toMatchObject({ threads: 1, pipeline: false });
    const two = await baton(['analyze', RECEIPT, BPIC2013, '--out', join(dir, 'two'), '-q'], dir);
    expect(two.code).toBe(0);
    expect(runOf(join(dir, 'two'))).toMatchObject({ threads: 1, pipeline: false });
  });
});

describe('cases as columns between the threads', () => {
  async function records(path: string, owner?: string): Promise<ReadItem[]> {
    const items: ReadItem[] = [];
    const read = defineReadOptions(owner === undefined ? {} : { eventLog: { ownerKey: owner } });
    for await (const item of readInputs([path], read)) items.push(item);
    return items;
  }

  /** Encodes `items` in batches of about `size` events and decodes them on the other side. */
  function roundTrip(items: readonly ReadItem[], size: number, maxNames?: number): ReadItem[] {
    const encoder = createCaseEncoder(maxNames);
    const decoder = createCaseDecoder();
    const out: ReadItem[] = [];
    const flush = () => {
      const batch = encoder.take();
      for (const piece of decoder.decode(batch, 100)) out.push(...piece);
      encoder.giveBack(batch.arrays);
    };
    for (const item of items) {
      if (item.type === 'case') encoder.addCase(item.record);
      else encoder.addItem(item);
      if (encoder.size >= size) flush();
    }
    flush();
    return out;
  }

  /** A record as the analysis sees it: its attributes are not carried (nothing reads them). */
  const analysed = (items: readonly ReadItem[]) =>
    items.map((i) => (i.type === 'case' ? { ...i, record: { ...i.record, attributes: {} } as CaseRecord } : i));

  it('rebuilds every record, skip and progress item of BPIC 2013 in order, across batches', async () => {
    const items = await records(BPIC2013, 'org:group');
    expect(items.filter((i) => i.type === 'case')).toHaveLength(7554);
    expect(roundTrip(items, 5000)).toEqual(analysed(items));
  });

  it('starts the name table again when it grows past its bound, in step on both sides', async () => {
    const items = await records(RECEIPT);
    // Some 300 names: a bound of 50 starts the table again many times.
    expect(roundTrip(items, 700, 50)).toEqual(analysed(items));
  });

  it('keeps null, undefined and due dates apart, and refuses an event with text', () => {
    const record: CaseRecord = {
      id: 'c-1',
      source: 'x.csv',
      attributes: {},
      state: null,
      owner: 'ann',
      due: 1_700_000_000_000,
      events: [
        {
          caseId: 'c-1',
          at: 1,
          offsetMinutes: -300,
          kind: 'activity',
          from: null,
          to: 'a',
          actor: null,
          state: 'a',
          owner: null,
        },
        {
          caseId: 'c-1',
          at: 2,
          offsetMinutes: 60,
          kind: 'owner',
          field: 'assignee',
          from: undefined,
          to: 'ann',
          actor: 'bob',
          state: undefined,
          owner: 'ann',
        },
      ],
    };
    const [item] = roundTrip([{ type: 'case', record }], 10);
    expect(item).toEqual({ type: 'case', record });
    const e = (item as { record: CaseRecord }).record.events;
    expect(e[0]!.actor).toBeNull();
    expect(e[1]!.from).toBeUndefined();
    expect(e[1]!.field).toBe('assignee');
    const withText: CaseRecord = { ...record, events: [{ ...record.events[0]!, kind: 'comment', text: 'hi' }] };
    expect(() => createCaseEncoder().addCase(withText)).toThrow(/text/);
  });
});

describe('the pipeline when its reading thread fails', () => {
  async function failing(fault: PipelineFault) {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    const request = await analyzeRequest(
      { out, quiet: true },
      [BPIC2013],
      {
        stdout: () => undefined,
        stderr: () => undefined,
        interactive: false,
        cwd,
        env: { BATON_PIPELINE_MIN_BYTES: 0 },
      },
      { out, title: 't' },
    );
    const run = runAnalysis(
      { ...request, pipelineFault: fault },
      {
        stdout: () => undefined,
        stderr: () => undefined,
        interactive: false,
        cwd,
      },
    );
    return { run, cwd, out };
  }

  /** Nothing published and no staging directory left beside --out. */
  function expectNothingWritten(cwd: string, out: string): void {
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  }

  it.runIf(TWO_CORES)('reports an error the thread met as one thread would (same CliError, exit code)', async () => {
    const { run, cwd, out } = await failing({ after: 1, how: 'throw' });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ message: 'a planted failure of the reading thread', exitCode: 2 });
    expectNothingWritten(cwd, out);
  });

  it.runIf(TWO_CORES)('fails clearly, without hanging, when the thread exits outright', async () => {
    const { run, cwd, out } = await failing({ after: 2, how: 'exit' });
    await expect(run).rejects.toThrow(
      new CliError('the thread reading bpic2013-incidents.xes.gz stopped (exit code 7) before it finished'),
    );
    expectNothingWritten(cwd, out);
  });

  it.runIf(TWO_CORES)('fails clearly when the thread dies of an uncaught error', async () => {
    const { run, cwd, out } = await failing({ after: 0, how: 'uncaught' });
    await expect(run).rejects.toThrow(
      /^reading bpic2013-incidents\.xes\.gz on another thread failed: a planted uncaught error$/,
    );
    expectNothingWritten(cwd, out);
  });
});
