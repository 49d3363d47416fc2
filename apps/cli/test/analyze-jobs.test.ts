import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatTimestamp } from '@baton/core/time';
import { defineReadOptions } from '../src/readers/read-options.ts';
import { readInputs } from '../src/readers/read-inputs.ts';
import { createAnalysis } from '@baton/core/analysis';
import { analyseShards, planShards } from '../src/analyze/run-shards.ts';
import { createByteSink } from '../src/output/byte-sink.ts';
import { CliError } from '../src/command.ts';
import { bothWaysWith, cliWith, output, OUTPUTS, summary, tempDirOf } from './two-ways.ts';

// `analyze --jobs 2` cuts one XES input into two runs of whole traces, analyses the second on a
// worker thread and joins the results: every output must be the one-thread run's, byte for byte.
// The size below which a run stays on one thread is lowered to 0 so that test inputs are cut.

const BPIC2013 = join(import.meta.dirname, '..', 'data', 'bpic2013-incidents.xes.gz');
const baton = cliWith({ BATON_SHARD_MIN_BYTES: 0 });
const tempDir = tempDirOf('jobs');

const runOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { threads: number; reruns: number };
const threadsOf = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { threads: number }).threads;

/** Runs `analyze` with --jobs 1 and --jobs 2 and returns both output directories and results. */
const bothWays = bothWaysWith(baton, tempDir, ['--jobs', '2']);

describe('baton analyze --jobs 2 on an XES log', () => {
  it('writes the one-thread outputs byte for byte on BPIC 2013 incidents, with a cohort and an SLA', async () => {
    const options = ['--owner', 'org:group', '--cohort', '2012-01-01', '--sla', '3d', '--quiet'];
    const { one, two, r1, r2 } = await bothWays(BPIC2013, (dir) => [...options, '--partial', `${dir}.json`]);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(threadsOf(one)).toBe(1);
    expect(threadsOf(two)).toBe(2);
    for (const name of OUTPUTS) expect(output(two, name), name).toBe(output(one, name));
    // The mergeable state (--partial) too.
    expect(readFileSync(`${two}.json`, 'utf8')).toBe(readFileSync(`${one}.json`, 'utf8'));
    const kpis = JSON.parse(output(two, 'kpis.json')) as { cases: number; cohorts: unknown };
    expect(kpis.cases).toBe(7554);
    expect(kpis.cohorts).not.toBeNull();
  });
});

/** An XES log of `n` traces of three events each; `edit` may spoil trace i's text. */
function syntheticXes(n: number, edit: (i: number, trace: string) => string = (_, t) => t): string {
  const head =
    '<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">\n' +
    '\t<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>\n' +
    '\t<global scope="event">\n\t\t<string key="concept:name" value="__INVALID__"/>\n\t</global>\n';
  const traces: string[] = [];
  for (let i = 0; i < n; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const event = (activity: string, hour: number, who: string) =>
      `\t\t<event>\n\t\t\t<string key="concept:name" value="${activity}"/>\n` +
      `\t\t\t<string key="org:resource" value="${who}"/>\n` +
      `\t\t\t<date key="time:timestamp" value="2021-03-${day}T${String(hour).padStart(2, '0')}:00:00.000+01:00"/>\n\t\t</event>\n`;
    const trace =
      `\t<trace>\n\t\t<string key="concept:name" value="case-${i}"/>\n` +
      event('open', 9, `u${i % 7}`) +
      event('work', 11, `u${(i + 1) % 7}`) +
      event('close', 15, `u${i % 7}`) +
      '\t</trace>\n';
    traces.push(edit(i, trace));
  }
  return `${head}${traces.join('')}</log>\n`;
}

describe('baton analyze --jobs 2: configuration reaches the worker', () => {
  it('gives the same outputs with a calendar, costs, a workflow map and --since/--until', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'calendar.yaml'),
      'timeZone: Europe/Amsterdam\nweek:\n  mon: [["08:00", "16:00"]]\n  tue: [["08:00", "16:00"]]\n  wed: [["08:00", "16:00"]]\n  thu: [["08:00", "16:00"]]\n  fri: [["08:00", "12:00"]]\nholidays: ["2011-12-26", "2012-01-02", "2012-04-09"]\n',
    );
    writeFileSync(join(cwd, 'costs.json'), JSON.stringify({ minutesPerHandoff: 20, loadedCostPerHour: 100 }));
    writeFileSync(
      join(cwd, 'workflow.yml'),
      'states:\n  "Accepted/Wait - User":\n    phase: waiting\n    waitingReason: customer\n',
    );
    const options = ['--calendar', 'calendar.yaml', '--costs', 'costs.json', '--workflow', 'workflow.yml'];
    const dates = ['--since', '2011-06-01', '--until', '2012-05-01', '--sla', '8h', '--quiet'];
    const one = join(cwd, 'one');
    const two = join(cwd, 'two');
    const r1 = await baton(['analyze', BPIC2013, '--out', one, '--jobs', '1', ...options, ...dates], cwd);
    const r2 = await baton(['analyze', BPIC2013, '--out', two, '--jobs', '2', ...options, ...dates], cwd);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(threadsOf(two)).toBe(2);
    for (const name of OUTPUTS) expect(output(two, name), name).toBe(output(one, name));
    const kpis = JSON.parse(output(two, 'kpis.json')) as { filter: { excludedCases: number } };
    expect(kpis.filter.excludedCases).toBeGreaterThan(0);
    expect(output(two, 'states.csv')).toMatch(/Accepted\/Wait - User,waiting,customer/);
  });
});

describe('baton analyze --jobs 2: skipped records and failures', () => {
  // Trace 40 (first half) has a bad timestamp; in the second half trace 300 has no case id,
  // trace 320 an event without an activity and trace 350 a malformed tag.
  const spoil = (i: number, t: string) =>
    i === 40
      ? t.replace('2021-03-13T09:00', 'yesterday')
      : i === 300
        ? t.replace('<string key="concept:name" value="case-300"/>', '')
        : i === 320
          ? t.replace('<string key="concept:name" value="work"/>', '')
          : i === 350
            ? t.replace('<string key="org:resource" value="u1"/>', '<string key="org:resource" value="u1"')
            : t;

  it('reports the skipped records of both halves with the lines and trace numbers of the whole file', async () => {
    const dir = tempDir();
    const input = join(dir, 'spoilt.xes.gz');
    writeFileSync(input, gzipSync(syntheticXes(400, spoil)));
    const { one, two, r1, r2 } = await bothWays(input, []);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(threadsOf(two)).toBe(2);
    expect(summary(r2.out)).toBe(summary(r1.out));
    expect(r1.out).toContain('skipped        4 records');
    // The malformed tag and the missing id are in the second half: numbered as in the whole file.
    expect(r1.out).toMatch(/spoilt\.xes\.gz:\d+ \(record 300\) field 'concept:name'/);
    for (const name of OUTPUTS) expect(output(two, name), name).toBe(output(one, name));
  });

  it('fails under --strict for a record skipped in the second half as one thread does, writing nothing', async () => {
    const dir = tempDir();
    const input = join(dir, 'late.xes');
    writeFileSync(
      input,
      syntheticXes(400, (i, t) => (i === 333 ? t.replace(/2021-03-\d\dT11:00:00\.000\+01:00/, '30/03/2021') : t)),
    );
    const { one, two, r1, r2 } = await bothWays(input, ['--strict']);
    expect(r1.code).toBe(1);
    expect(r2.code).toBe(r1.code);
    expect(r2.err).toBe(r1.err);
    expect(r1.err).toMatch(
      /--strict: 1 record skipped.*\n\s+late\.xes:\d+ \(record case-333\) field 'time:timestamp': '30\/03\/2021'/,
    );
    expect(existsSync(one)).toBe(false);
    expect(existsSync(two)).toBe(false);
    expect(readFileSync(input, 'utf8').split('\n')[Number(/late\.xes:(\d+)/.exec(r1.err)![1]) - 1]).toContain(
      '30/03/2021',
    );
  });

  it('reads a log whose second half is empty of traces, and a log too small to cut, on one thread', async () => {
    const dir = tempDir();
    const input = join(dir, 'tiny.xes');
    writeFileSync(input, syntheticXes(1));
    const { one, two, r1, r2 } = await bothWays(input, ['--quiet']);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    for (const name of OUTPUTS) expect(output(two, name), name).toBe(output(one, name));
  });

  it('reports a problem in the log header once, as one thread does, though every shard reads it', async () => {
    const dir = tempDir();
    const input = join(dir, 'bad-header.xes');
    // The <global> attribute's tag never closes: the header has a malformed tag.
    writeFileSync(input, syntheticXes(400).replace('value="__INVALID__"/>', 'value="__INVALID__"'));
    const { one, two, r1, r2 } = await bothWays(input, []);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(threadsOf(two)).toBe(2);
    expect(r1.out).toMatch(/skipped +1 records\n +bad-header\.xes:\d+: malformed XML/);
    expect(summary(r2.out)).toBe(summary(r1.out));
    for (const name of OUTPUTS) expect(output(two, name), name).toBe(output(one, name));
  });

  it('runs on one thread unless --jobs asks for more', async () => {
    const dir = tempDir();
    const input = join(dir, 'log.xes');
    writeFileSync(input, syntheticXes(50));
    const r = await baton(['analyze', input, '--out', join(dir, 'out'), '--quiet'], dir);
    expect(r.code).toBe(0);
    expect(threadsOf(join(dir, 'out'))).toBe(1);
  });

  it('reads several inputs on one thread, and draws one progress line for both shards on a terminal', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.xes');
    const b = join(dir, 'b.xes');
    writeFileSync(a, syntheticXes(50));
    writeFileSync(b, syntheticXes(60).replaceAll('case-', 'other-'));
    const two = await baton(['analyze', a, b, '--out', join(dir, 'two'), '--jobs', '2', '--quiet'], dir);
    expect(two.code).toBe(0);
    expect(threadsOf(join(dir, 'two'))).toBe(1);
    const tty = await baton(['analyze', BPIC2013, '--out', join(dir, 'tty'), '--jobs', '2'], dir, true);
    expect(tty.code).toBe(0);
    expect(threadsOf(join(dir, 'tty'))).toBe(2);
    // Each drawing of the line starts with a carriage return and erase-line (ESC [K).
    expect(tty.err).toContain('\r\u001b[Kreading bpic2013-incidents.xes.gz');
    expect(tty.err).toMatch(/reading bpic2013-incidents\.xes\.gz +\d+% +[\d,]+ cases +[\d,]+ events/);
  });

  /** `analyseShards` on a synthetic log of `traces` cut into `jobs` parts, part files in `partsDir`. */
  async function shardRun(traces: number, jobs: number, partsDir: (dir: string) => string, exitAtStart?: number) {
    const dir = tempDir();
    const input = join(dir, 'log.xes');
    writeFileSync(input, syntheticXes(traces));
    const read = defineReadOptions();
    const plan = await planShards([input], read, jobs, 0);
    expect(plan?.jobs).toBe(jobs);
    const sink = () => createByteSink(() => undefined);
    const parts = partsDir(dir);
    return analyseShards(plan!, {
      analysis: createAnalysis({}),
      analysisOptions: {},
      read,
      casesOut: sink(),
      eventsOut: sink(),
      businessDayMs: 8 * 3_600_000,
      ownerFields: { eventLog: read.eventLog.ownerKey, jira: read.jiraOwnerField },
      staged: { path: (n) => join(parts, n), finalPath: (n) => n, commit: async () => {}, abort: async () => {} },
      progress: () => undefined,
      ...(exitAtStart === undefined ? {} : { exitAtStart }),
    });
  }

  it('fails with the error a worker met, after which its thread is stopped', async () => {
    // The worker's part files cannot be created there.
    const run = shardRun(200, 2, (dir) => join(dir, 'no such directory'));
    await expect(run).rejects.toThrow(/ENOENT.*no such directory/);
  });

  it('fails with a message naming the part when a worker exits outright, and stops the others', async () => {
    const run = shardRun(300, 3, (dir) => dir, 9);
    await expect(run).rejects.toThrow(
      new CliError('the thread analysing part 2 of log.xes stopped (exit code 9) before it finished'),
    );
  });

  it('rejects a --jobs that is not a positive whole number', async () => {
    const r = await baton(['analyze', BPIC2013, '--jobs', '0'], tempDir());
    expect(r.code).toBe(2);
    expect(r.err).toContain('--jobs: expected a whole number of threads from 1 to 64');
  });
});

/**
 * BPIC 2013 incidents as a CSV (one event a row, rows of a case together, as pm4py writes it),
 * with a case attribute that needs quoting: commas, doubled quotes and line breaks inside quotes,
 * so that a cut must count quotes to find where records start.
 */
async function bpicCsv(dir: string): Promise<{ path: string; rows: string[] }> {
  const q = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const rows: string[] = [];
  let n = 0;
  for await (const item of readInputs([BPIC2013], defineReadOptions({ eventLog: { ownerKey: 'org:group' } }))) {
    if (item.type !== 'case') continue;
    const r = item.record;
    const note = n++ % 3 === 0 ? `line one, "quoted"\nline two of ${r.id}` : '';
    for (const e of r.events)
      rows.push(
        `${q(r.id)},${q(note)},${q(e.to ?? '')},${formatTimestamp(e.at, e.offsetMinutes)},${q(e.actor ?? '')},${q(e.owner ?? '')}\n`,
      );
  }
  const path = join(dir, 'bpic2013.csv');
  writeFileSync(
    path,
    `case:concept:name,case:note,concept:name,time:timestamp,org:resource,org:group\n${rows.join('')}`,
  );
  return { path, rows };
}

describe('baton analyze --jobs 2 on a CSV log', () => {
  it('writes the one-thread outputs byte for byte on BPIC 2013 as CSV, with a cohort and an SLA', async () => {
    const { path } = await bpicCsv(tempDir());
    const options = ['--owner', 'org:group', '--cohort', '2012-01-01', '--sla', '3d', '--quiet'];
    const { one, two, r1, r2 } = await bothWays(path, (dir) => [...options, '--partial', `${dir}.json`]);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(threadsOf(two)).toBe(2);
    expect(runOf(two).reruns).toBe(0);
    for (const name of OUTPUTS) expect(output(two, name), name).toBe(output(one, name));
    expect(readFileSync(`${two}.json`, 'utf8')).toBe(readFileSync(`${one}.json`, 'utf8'));
    expect((JSON.parse(output(two, 'kpis.json')) as { cases: number }).cases).toBe(7554);
  });

  it('reads a file not grouped by case again on one thread, says so, and writes the same outputs', async () => {
    const dir = tempDir();
    const { rows } = await bpicCsv(dir);
    // The first case's first row moved to the end: that case has rows on both sides of any cut.
    const path = join(dir, 'interleaved.csv');
    const header = 'case:concept:name,case:note,concept:name,time:timestamp,org:resource,org:group\n';
    writeFileSync(path, `${header}${rows.slice(1).join('')}${rows[0]}`);
    const { one, two, r1, r2 } = await bothWays(path, ['--quiet']);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(r1.err).toBe('');
    expect(r2.err).toBe(
      'baton analyze: interleaved.csv has rows of one case on both sides of a cut (not grouped by case): read again on one thread\n',
    );
    expect(runOf(two)).toMatchObject({ threads: 1, reruns: 1 });
    for (const name of OUTPUTS) expect(output(two, name), name).toBe(output(one, name));
  });

  it('reads a file with a quote that never closes before a cut again on one thread, with the same outputs', async () => {
    const dir = tempDir();
    // Without the notes, two stray quotes a fifth and 55 % of the way in (on the two sides of the
    // middle) never close within the field limit: one reader skips each record and reads on from the
    // next line, where a quote count from the start is odd between them, so the cut near the middle
    // moves past the second one, and the first shard meets that quote unclosed at its end.
    const rows = (await bpicCsv(dir)).rows.map((r) => r.replace(/^([^,]*),"(?:[^"]|"")*",/, '$1,,'));
    for (const at of [Math.floor(rows.length * 0.2), Math.floor(rows.length * 0.55)])
      rows[at] = rows[at]!.replace(/,([^,]*)\n$/, ',"$1\n');
    const path = join(dir, 'stray-quote.csv');
    writeFileSync(
      path,
      `case:concept:name,case:note,concept:name,time:timestamp,org:resource,org:group\n${rows.join('')}`,
    );
    const { one, two, r1, r2 } = await bothWays(path, []);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(r1.out).toMatch(/its closing quote is probably missing/);
    expect(r2.err).toBe(
      'baton analyze: stray-quote.csv has a quoted field that does not close before a cut: read again on one thread\n',
    );
    expect(runOf(two)).toMatchObject({ threads: 1, reruns: 1 });
    expect(summary(r2.out)).toBe(summary(r1.out));
    for (const name of OUTPUTS) expect(output(two, name), name).toBe(output(one, name));
  });

  it('fails under --strict for a bad row in the second half as one thread does, with the same line', async () => {
    const dir = tempDir();
    const { rows } = await bpicCsv(dir);
    const at = Math.floor(rows.length * 0.8);
    rows[at] = rows[at]!.replace(/,20\d\d-\d\d-\d\dT[^,]*,/, ',31/12/2012,');
    const path = join(dir, 'late.csv');
    writeFileSync(
      path,
      `case:concept:name,case:note,concept:name,time:timestamp,org:resource,org:group\n${rows.join('')}`,
    );
    const { one, two, r1, r2 } = await bothWays(path, ['--strict']);
    expect(r1.code).toBe(1);
    expect(r2.code).toBe(1);
    expect(r2.err).toBe(r1.err);
    const line = Number(/late\.csv:(\d+)/.exec(r1.err)?.[1]);
    expect(readFileSync(path, 'utf8').split('\n')[line - 1]).toContain('31/12/2012');
    expect(existsSync(one)).toBe(false);
    expect(existsSync(two)).toBe(false);
  });
});
