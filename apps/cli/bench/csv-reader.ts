// The CSV reader in process (issue 17; ADR 0017, eighth pass), apart from the analysis and the writers.
//   pnpm exec tsx apps/cli/bench/csv-reader.ts [--rounds 7] [--base <readers dir>] <log.csv...>
// Bundles the reader of `src/readers` (esbuild, as the CLI is built) and, with `--base`, a copy of an
// older `readers` folder (e.g. `git archive <commit> apps/cli/src/readers | tar -x -C apps/cli/.bench-base`
// then `--base apps/cli/.bench-base/apps/cli/src/readers`; the copy must sit under `apps/cli` for its
// imports of `@baton/core` to resolve). Each timed read runs in a fresh process, as `baton analyze` reads
// (one pass, then two when the file is not grouped by case), the ways alternated `rounds` times: two
// builds alternated in one process hid their difference (ADR 0017). Prints the median and least CPU ms of
// each way, the median of the rounds' new/base ratios, and the load average seen; the two ways' cases
// must agree (a digest of every field of every case and event) or it stops. Not a test: it prints figures.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importBundled } from './bundled.ts';
import { takeOption } from './bench-args.ts';
import type { ReadItem, ReadOptions } from '../src/readers/types.ts';

interface Reader {
  readCsvBatches: (path: string, options: ReadOptions) => AsyncIterable<readonly ReadItem[]>;
  CsvNeedsTwoPasses: new (message: string) => Error;
  defineReadOptions: () => ReadOptions;
}

const args = process.argv.slice(2);
const rounds = Number(takeOption(args, '--rounds') ?? 7);
const base = takeOption(args, '--base');
if (!(rounds > 0) || args.length === 0) {
  console.error('usage: tsx apps/cli/bench/csv-reader.ts [--rounds 7] [--base <readers dir>] <log.csv...>');
  process.exit(2);
}

const child = process.argv[1]!;
if (process.env.BATON_CSV_BENCH_CHILD !== undefined) {
  // A child: one timed read of the file with the bundle named, its CPU ms on stdout.
  const [bundle, path] = args as [string, string];
  const reader = (await import(bundle)) as Reader;
  const before = process.cpuUsage();
  await readAll(reader, path, false);
  const used = process.cpuUsage(before);
  process.stdout.write(`${(used.user + used.system) / 1000}\n`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'baton-csv-bench-'));
const load = (src: string, name: string) =>
  importBundled<Reader>(
    `export { readCsvBatches, CsvNeedsTwoPasses } from '${src}/csv-reader.ts';\n` +
      `export { defineReadOptions } from '${src}/read-options.ts';`,
    src,
    dir,
    name,
  );
const ways: [string, Reader, string][] = [
  ['new', await load(new URL('../src/readers', import.meta.url).pathname, 'new'), join(dir, 'new.mjs')],
];
if (base !== undefined) ways.unshift(['base', await load(resolve(base), 'base'), join(dir, 'base.mjs')]);

/** One read in a fresh process (tsx runs this file again as the child). */
function timedRead(bundle: string, path: string): number {
  const r = spawnSync(process.execPath, [...process.execArgv, child, bundle, path], {
    env: { ...process.env, BATON_CSV_BENCH_CHILD: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`child read of ${path} failed`);
  return Number(r.stdout.trim());
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Reads the file as `baton analyze` does; the cases, events and a digest of all they hold. */
async function readAll(reader: Reader, path: string, digest: boolean) {
  const options = reader.defineReadOptions();
  const hash = createHash('sha256');
  let cases = 0;
  let events = 0;
  let skips = 0;
  const once = async (read: ReadOptions) => {
    cases = events = skips = 0;
    for await (const batch of reader.readCsvBatches(path, read))
      for (const item of batch) {
        if (item.type === 'case') {
          cases++;
          events += item.record.events.length;
          if (digest) hash.update(JSON.stringify(item.record));
        } else if (item.type === 'skip') {
          skips++;
          if (digest) hash.update(JSON.stringify(item.skipped));
        }
      }
  };
  try {
    await once({ ...options, csvOnePass: true });
  } catch (error) {
    if (!(error instanceof reader.CsvNeedsTwoPasses)) throw error;
    hash.update('two passes');
    await once({ ...options, csvOnePass: false });
  }
  return { cases, events, skips, digest: digest ? hash.digest('hex') : '' };
}

const loads: number[] = [loadavg()[0]!];
for (const path of args) {
  // The digests once, apart from the timed rounds.
  const digests = new Set<string>();
  let shape = '';
  for (const [, reader] of ways) {
    const r = await readAll(reader, path, true);
    digests.add(r.digest);
    shape = `${r.cases.toLocaleString('en-US')} cases, ${r.events.toLocaleString('en-US')} events, ${r.skips} skips`;
  }
  if (digests.size !== 1) {
    console.error(`${path}: the readers disagree`);
    process.exit(1);
  }
  const cpu = new Map<string, number[]>(ways.map(([name]) => [name, []]));
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ways : [...ways].reverse();
    for (const [name, , bundle] of order) cpu.get(name)!.push(timedRead(bundle, path));
    if (base !== undefined) ratios.push(cpu.get('new')![r]! / cpu.get('base')![r]!);
    loads.push(loadavg()[0]!);
  }
  const name = path.split('/').pop();
  const figures = [...cpu]
    .map(([way, ms]) => `${way} ${median(ms).toFixed(0)} ms (least ${Math.min(...ms).toFixed(0)})`)
    .join(', ');
  const ratio =
    base === undefined
      ? ''
      : `; new/base ${median(ratios).toFixed(2)}× (rounds ${ratios.map((x) => x.toFixed(2)).join(' ')})`;
  console.log(`${name}: ${shape}; CPU ${figures}${ratio}`);
}
console.log(`load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
rmSync(dir, { recursive: true, force: true });
