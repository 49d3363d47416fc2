// `pnpm bench <log...>`: the real `baton analyze` (the built CLI, all five outputs) as its own
// process on each log, against a peer: DuckDB reading the raw CSV itself (read_csv) for CSV logs,
// and the decompress-and-scan floor (`zcat | grep -c '<event'`) for XES. Prints wall and CPU time,
// peak memory, the ratios, and every figure next to DuckDB's (for XES and Jira, DuckDB gets the
// normalised events). Not a test: it prints figures, and exits non-zero when one disagrees.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAnalysis, type Kpis } from '@baton/core/analysis';
import { defineReadOptions } from '../src/readers/read-options.ts';
import { readInputs } from '../src/readers/read-inputs.ts';
import { formatFromName } from '../src/readers/detect-format.ts';
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

const BATON = fileURLToPath(new URL('../dist/baton.mjs', import.meta.url));
const DUCKDB_RAW = fileURLToPath(new URL('./duckdb-raw.ts', import.meta.url));
const RUSAGE = new URL('./rusage.mjs', import.meta.url).href;

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
  // The normalised events of a log that DuckDB cannot read as it is (XES, Jira): the figures check.
  const t = performance.now();
  const analysis = createAnalysis();
  let skipped = 0;
  const csv = join(dir, `${basename(path)}.events.csv`);
  const out = createWriteStream(csv);
  out.write(NORMALISED_HEADER);
  for await (const item of readInputs([path], options)) {
    if (item.type === 'case') {
      analysis.add(item.record);
      if (!out.write(normalisedRows(item.record))) await new Promise<void>((r) => out.once('drain', () => r()));
    } else if (item.type === 'skip') skipped++;
    else if (item.type === 'hints') analysis.addHints(item.hints);
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  analysis.addSkipped(skipped);
  const kpis = analysis.result();
  return {
    file: path,
    cases: kpis.cases,
    events: kpis.events,
    skipped,
    analyseSeconds: (performance.now() - t) / 1000,
    readSeconds: 0,
    normaliseSeconds: 0,
    peakRssMb: 0,
    ours: figuresOf(kpis),
    csv,
  };
}

interface Timed {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly stdout: string;
  readonly status: number | null;
}

/** Runs a Node command as its own process; CPU and peak memory come from the child itself. */
function timedNode(args: readonly string[], dir: string): Timed {
  const usage = join(dir, `rusage-${process.pid}-${Date.now()}.json`);
  const t = performance.now();
  const run = spawnSync(process.execPath, ['--import', RUSAGE, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BATON_BENCH_RUSAGE: usage },
  });
  const wallSeconds = (performance.now() - t) / 1000;
  let cpuSeconds = Number.NaN;
  let peakRssMb = Number.NaN;
  try {
    const u = JSON.parse(readFileSync(usage, 'utf8')) as { userMs: number; systemMs: number; maxRssKb: number };
    cpuSeconds = (u.userMs + u.systemMs) / 1000;
    peakRssMb = u.maxRssKb / 1024;
  } catch {
    // the child died before writing its usage: reported through its status
  }
  return { wallSeconds, cpuSeconds, peakRssMb, stdout: run.stdout, status: run.status };
}

/** The decompress-and-scan floor for XES: `zcat | grep -c '<event'` (cat for plain files). */
function floorSeconds(path: string): number {
  const reader = /\.gz$/i.test(path) ? 'zcat' : 'cat';
  const t = performance.now();
  spawnSync('sh', ['-c', `${reader} "$1" | grep -c '<event' >/dev/null`, 'floor', path], { stdio: 'ignore' });
  return (performance.now() - t) / 1000;
}

/** Baton's own figures, from the kpis.json the real `baton analyze` wrote. */
function kpisFigures(dir: string): { figures: Figures; kpis: Kpis } {
  const kpis = JSON.parse(readFileSync(join(dir, 'kpis.json'), 'utf8')) as Kpis;
  return { figures: figuresOf(kpis), kpis };
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
  // `--jobs <n>`: handed to `baton analyze` (ADR 0023), to compare one thread with several.
  const jobsAt = argv.indexOf('--jobs');
  const jobs = jobsAt === -1 ? undefined : argv[jobsAt + 1];
  const args = argv.filter(
    (_, i) =>
      !(
        (ownerAt !== -1 && (i === ownerAt || i === ownerAt + 1)) ||
        (jobsAt !== -1 && (i === jobsAt || i === jobsAt + 1))
      ),
  );
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
    print('usage: pnpm bench <log.xes[.gz] | log.csv | issues.jsonl[.gz] ...> [--owner org:group] [--jobs n]');
    print(
      'e.g.   pnpm bench ../shared/data/eventlogs/bpic2014-incident-activity-filtered.xes.gz ../shared/data/eventlogs/road-traffic-fines.xes.gz',
    );
    return 2;
  }
  // The benchmark times what users run: the build, made anew when a source is newer.
  spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url)), '--if-stale'], {
    stdio: 'inherit',
  });
  if (!existsSync(BATON)) {
    print('could not build the CLI (apps/cli/dist/baton.mjs)');
    return 1;
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
      const outDir = join(dir, `out-${basename(path)}`);
      const baton = timedNode(
        [
          BATON,
          'analyze',
          path,
          '--out',
          outDir,
          '-q',
          ...(owner ? ['--owner', owner] : []),
          ...(jobs ? ['--jobs', jobs] : []),
        ],
        dir,
      );
      if (baton.status !== 0) {
        print(`  FAILED: baton analyze exited ${baton.status}`);
        failures++;
        continue;
      }
      const { figures: ours, kpis } = kpisFigures(outDir);
      const published = publishedOf(path);
      const countsOk =
        published === undefined ? undefined : published[0] === kpis.cases && published[1] === kpis.events;
      print(`  read:        ${int(kpis.cases)} cases, ${int(kpis.events)} events, ${int(kpis.skipped)} skipped`);
      if (published !== undefined) {
        print(
          `  published:   ${int(published[0])} cases, ${int(published[1])} events — ${countsOk ? 'AGREE' : 'DISAGREE'}`,
        );
        if (!countsOk) failures++;
      }
      const evps = (s: number) => int(Math.round(kpis.events / s));
      print(
        `  baton:       analyze (all five outputs) ${baton.wallSeconds.toFixed(2)} s wall, ${baton.cpuSeconds.toFixed(2)} s CPU (${evps(baton.wallSeconds)} events/s), peak RSS ${baton.peakRssMb.toFixed(0)} MB`,
      );
      let duck: Figures;
      let ratio: string;
      if (formatFromName(path) === 'csv') {
        const peer = timedNode(
          [DUCKDB_RAW, path, options.eventLog.caseKey, options.eventLog.activityKey, options.eventLog.timestampKey],
          dir,
        );
        if (peer.status !== 0) {
          print(`  FAILED: duckdb exited ${peer.status}`);
          failures++;
          continue;
        }
        duck = (JSON.parse(peer.stdout) as { figures: Figures }).figures;
        print(
          `  duckdb:      read_csv on the raw CSV + the same figures ${peer.wallSeconds.toFixed(2)} s wall, ${peer.cpuSeconds.toFixed(2)} s CPU, peak RSS ${peer.peakRssMb.toFixed(0)} MB`,
        );
        ratio = `${(baton.wallSeconds / peer.wallSeconds).toFixed(2)}× duckdb wall, ${(baton.cpuSeconds / peer.cpuSeconds).toFixed(2)}× duckdb CPU`;
      } else {
        const floor = floorSeconds(path);
        print(
          `  floor:       decompress and scan (${/\.gz$/i.test(path) ? 'zcat' : 'cat'} | grep -c '<event') ${floor.toFixed(2)} s wall`,
        );
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
          print(`  FAILED: normalising for duckdb exited ${run.status}`);
          failures++;
          continue;
        }
        const r = JSON.parse(run.stdout) as ChildResult;
        duck = (await duckdbFigures(r.csv)).figures;
        rmSync(r.csv, { force: true });
        ratio = `${(baton.wallSeconds / floor).toFixed(2)}× the floor (wall)`;
      }
      print(`  speed:       ${ratio}`);
      print('  figures:');
      const { agree, disagree } = compare(ours, duck, (l) => print(l));
      print(`  agreement:   ${agree} AGREE, ${disagree} DISAGREE`);
      if (disagree > 0) failures++;
      summary.push(
        `${basename(path).padEnd(46)} ${int(kpis.events).padStart(9)} ev  ${baton.wallSeconds.toFixed(2).padStart(6)} s  ${baton.peakRssMb.toFixed(0).padStart(5)} MB  ${ratio}  ${countsOk === undefined ? 'counts n/a' : countsOk ? 'counts AGREE' : 'counts DISAGREE'}  figures ${disagree === 0 ? 'AGREE' : 'DISAGREE'}`,
      );
      rmSync(outDir, { recursive: true, force: true });
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
