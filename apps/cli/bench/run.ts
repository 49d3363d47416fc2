// `pnpm bench <log...>`: reader + analysis throughput and peak memory on real logs, checked
// against DuckDB computing the same aggregates from the same normalised events. Not a test: it
// prints figures. Each log runs in a child process so that its peak memory is its own.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAnalysis, type Kpis } from '@baton/core/analysis';
import { defineReadOptions } from '../src/readers/read-options.ts';
import { readInputs } from '../src/readers/read-inputs.ts';
import type { ReadOptions } from '../src/readers/types.ts';
import { duckdbFigures, type Figures } from './duckdb-figures.ts';
import { NORMALISED_HEADER, normalisedRows } from './normalise.ts';

/** Published (cases, events) of the logs in the shared data README; matched by file name. */
const PUBLISHED: Record<string, readonly [number, number]> = {
  'bpic2013-incidents': [7554, 65533],
  'bpic2013-closed-problems': [1487, 6660],
  'bpic2013-open-problems': [819, 2351],
  helpdesk: [4580, 21348],
  bpic2012: [13087, 262200],
  'bpic2014-incident-activity-filtered': [41353, 369485],
  'road-traffic-fines': [150370, 561470],
  receipt: [1434, 8577],
  'running-example': [6, 42],
};

const INPUT = /\.(xes|csv|tsv|json|jsonl|ndjson)(\.gz)?$/i;

interface ChildResult {
  readonly file: string;
  readonly cases: number;
  readonly events: number;
  readonly skipped: number;
  readonly analyseSeconds: number;
  readonly readSeconds: number;
  readonly normaliseSeconds: number;
  readonly peakRssMb: number;
  readonly ours: Figures;
  readonly csv: string;
}

function figuresOf(kpis: Kpis): Figures {
  const states: Figures['states'] = {};
  for (const [name, s] of Object.entries(kpis.states)) {
    states[name] = { visits: s.visits, totalDays: s.totalDays, medianDays: s.medianDays, p90Days: s.p90Days };
  }
  const c = kpis.cycleTimeDays;
  return { cycle: { count: c.count, p50: c.p50, p90: c.p90, mean: c.mean }, states };
}

async function child(path: string, options: ReadOptions, dir: string): Promise<ChildResult> {
  // Pass 1: what `baton analyze` does — read and analyse, streaming. Peak RSS is measured here.
  let t = performance.now();
  const analysis = createAnalysis();
  let skipped = 0;
  for await (const item of readInputs([path], options)) {
    if (item.type === 'case') analysis.add(item.record);
    else if (item.type === 'skip') skipped++;
    else if (item.type === 'hints') analysis.addHints(item.hints);
  }
  analysis.addSkipped(skipped);
  const kpis = analysis.result();
  const analyseSeconds = (performance.now() - t) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  // Pass 2: the reader alone.
  t = performance.now();
  for await (const item of readInputs([path], options)) void item;
  const readSeconds = (performance.now() - t) / 1000;

  // Pass 3: the normalised events for DuckDB (timed: it is DuckDB's share of an end-to-end run).
  t = performance.now();
  const csv = join(dir, `${basename(path)}.events.csv`);
  const out = createWriteStream(csv);
  out.write(NORMALISED_HEADER);
  for await (const item of readInputs([path], options)) {
    if (item.type === 'case' && !out.write(normalisedRows(item.record)))
      await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  const normaliseSeconds = (performance.now() - t) / 1000;

  return {
    file: path,
    cases: kpis.cases,
    events: kpis.events,
    skipped,
    analyseSeconds,
    readSeconds,
    normaliseSeconds,
    peakRssMb,
    ours: figuresOf(kpis),
    csv,
  };
}

function same(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

const fmt = (n: number | null, digits = 4) => (n === null ? 'null' : n.toFixed(digits));
const int = (n: number) => n.toLocaleString('en-US');

function compare(ours: Figures, duck: Figures, print: (line: string) => void): { agree: number; disagree: number } {
  let agree = 0;
  let disagree = 0;
  const check = (label: string, a: number | null, b: number | null, digits = 4) => {
    const ok = same(a, b);
    if (ok) agree++;
    else disagree++;
    print(
      `    ${ok ? 'AGREE   ' : 'DISAGREE'} ${label.padEnd(44)} baton ${fmt(a, digits).padStart(14)}  duckdb ${fmt(b, digits).padStart(14)}`,
    );
  };
  check('cases with ≥2 events', ours.cycle.count, duck.cycle.count, 0);
  check('cycle time p50 (days)', ours.cycle.p50, duck.cycle.p50);
  check('cycle time p90 (days)', ours.cycle.p90, duck.cycle.p90);
  check('cycle time mean (days)', ours.cycle.mean, duck.cycle.mean);
  const names = [...new Set([...Object.keys(ours.states), ...Object.keys(duck.states)])].sort(
    (x, y) => (ours.states[y]?.totalDays ?? 0) - (ours.states[x]?.totalDays ?? 0),
  );
  for (const name of names) {
    const a = ours.states[name];
    const b = duck.states[name];
    const short = name.length > 28 ? `${name.slice(0, 27)}…` : name;
    check(`[${short}] visits`, a?.visits ?? null, b?.visits ?? null, 0);
    check(`[${short}] total days`, a?.totalDays ?? null, b?.totalDays ?? null);
    check(`[${short}] median days`, a?.medianDays ?? null, b?.medianDays ?? null);
    check(`[${short}] p90 days`, a?.p90Days ?? null, b?.p90Days ?? null);
  }
  return { agree, disagree };
}

function publishedOf(path: string): readonly [number, number] | undefined {
  const name = basename(path)
    .replace(/\.gz$/i, '')
    .replace(/\.[a-z]+$/i, '');
  return PUBLISHED[name];
}

async function main(argv: string[]): Promise<number> {
  const print = (line = '') => process.stdout.write(`${line}\n`);
  const ownerAt = argv.indexOf('--owner');
  const owner = ownerAt === -1 ? undefined : argv[ownerAt + 1];
  const args = ownerAt === -1 ? argv : argv.filter((_, i) => i !== ownerAt && i !== ownerAt + 1);
  const options = defineReadOptions(owner === undefined ? {} : { eventLog: { ownerKey: owner } });

  if (args.includes('--child')) {
    if (args[0] !== '--child') throw new Error('bench: --child must come first');
    const result = await child(args[1] ?? '', options, args[2] ?? tmpdir());
    process.stdout.write(JSON.stringify(result));
    return 0;
  }

  // pnpm runs scripts from the workspace root; paths on the command line are relative to the caller.
  const base = process.env.INIT_CWD ?? process.cwd();
  const paths = args.map((p) => resolve(base, p));
  if (paths.length === 0) {
    print('usage: pnpm bench <log.xes[.gz] | log.csv | issues.jsonl[.gz] ...> [--owner org:group]');
    print(
      'e.g.   pnpm bench ../shared/data/eventlogs/bpic2014-incident-activity-filtered.xes.gz ../shared/data/eventlogs/road-traffic-fines.xes.gz',
    );
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const self = fileURLToPath(import.meta.url);
  let failures = 0;
  const summary: string[] = [];
  try {
    for (const path of paths) {
      if (!INPUT.test(path)) {
        print(`${basename(path)}: not an event log or Jira export, ignored`);
        continue;
      }
      print(`\n== ${basename(path)}`);
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', self, '--child', path, dir, ...(owner ? ['--owner', owner] : [])],
        {
          encoding: 'utf8',
          maxBuffer: 256 << 20,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      if (run.status !== 0) {
        print(`  FAILED (exit ${run.status})`);
        failures++;
        continue;
      }
      const r = JSON.parse(run.stdout) as ChildResult;
      const published = publishedOf(path);
      const countsOk = published === undefined ? undefined : published[0] === r.cases && published[1] === r.events;
      print(`  read:        ${int(r.cases)} cases, ${int(r.events)} events, ${int(r.skipped)} skipped`);
      if (published !== undefined) {
        print(
          `  published:   ${int(published[0])} cases, ${int(published[1])} events — ${countsOk ? 'AGREE' : 'DISAGREE'}`,
        );
        if (!countsOk) failures++;
      }
      const evps = (s: number) => int(Math.round(r.events / s));
      print(
        `  baton:       read + analyse ${r.analyseSeconds.toFixed(2)} s (${evps(r.analyseSeconds)} events/s), peak RSS ${r.peakRssMb.toFixed(0)} MB`,
      );
      print(`               reader alone   ${r.readSeconds.toFixed(2)} s (${evps(r.readSeconds)} events/s)`);
      const duck = await duckdbFigures(r.csv);
      print(
        `  duckdb:      load normalised CSV + aggregate ${duck.seconds.toFixed(2)} s (load ${duck.loadSeconds.toFixed(2)} s); normalising the raw log to that CSV took ${r.normaliseSeconds.toFixed(2)} s`,
      );
      const endToEnd = r.normaliseSeconds + duck.seconds;
      print(
        `  speed:       baton end to end from the raw log ${r.analyseSeconds.toFixed(2)} s vs duckdb end to end ${endToEnd.toFixed(2)} s → ${(endToEnd / r.analyseSeconds).toFixed(2)}× (baton ${r.analyseSeconds <= endToEnd ? 'faster' : 'slower'})`,
      );
      print(
        `               vs duckdb on the already-normalised events alone ${duck.seconds.toFixed(2)} s → ${(duck.seconds / r.analyseSeconds).toFixed(2)}×`,
      );
      print('  figures:');
      const { agree, disagree } = compare(r.ours, duck.figures, (l) => print(l));
      print(`  agreement:   ${agree} AGREE, ${disagree} DISAGREE`);
      if (disagree > 0) failures++;
      summary.push(
        `${basename(path).padEnd(46)} ${int(r.events).padStart(9)} ev  ${evps(r.analyseSeconds).padStart(9)} ev/s  ${r.peakRssMb.toFixed(0).padStart(5)} MB  ×${(endToEnd / r.analyseSeconds).toFixed(2)} vs duckdb e2e  ${countsOk === undefined ? 'counts n/a' : countsOk ? 'counts AGREE' : 'counts DISAGREE'}  figures ${disagree === 0 ? 'AGREE' : 'DISAGREE'}`,
      );
      rmSync(r.csv, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  print('\n== summary');
  for (const line of summary) print(line);
  print(failures === 0 ? 'ALL AGREE' : `${failures} problem(s)`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
