// The CSV reader in process (issue 17; ADR 0017, eighth pass), apart from the analysis and the writers.
//   pnpm exec tsx apps/cli/bench/csv-reader.ts [--rounds 7] [--base <readers dir>] <log.csv...>
// Bundles the reader of `src/readers` (esbuild, as the CLI is built) and, with `--base`, a copy of an
// older `readers` folder (e.g. `git archive <commit> apps/cli/src/readers | tar -x -C apps/cli/.bench-base`
// then `--base apps/cli/.bench-base/apps/cli/src/readers`; the copy must sit under `apps/cli` for its
// imports of `@baton/core` to resolve). Reads each file as `baton analyze` does (one pass, then two when
// the file is not grouped by case) `rounds` times each way, alternated, building every case. Prints the
// median (and least) CPU ms of each way, the median of the rounds' new/base ratios, and the load average seen; the
// two ways' cases must agree (a digest of every field of every case and event) or it stops.
// Not a test: it prints figures.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importBundled } from './bundled.ts';
import type { ReadItem, ReadOptions } from '../src/readers/types.ts';

interface Reader {
  readCsvBatches: (path: string, options: ReadOptions) => AsyncIterable<readonly ReadItem[]>;
  CsvNeedsTwoPasses: new (message: string) => Error;
  defineReadOptions: () => ReadOptions;
}

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args.splice(at, 2)[1];
};
const rounds = Number(option('--rounds') ?? 7);
const base = option('--base');
if (!(rounds > 0) || args.length === 0) {
  console.error('usage: tsx apps/cli/bench/csv-reader.ts [--rounds 7] [--base <readers dir>] <log.csv...>');
  process.exit(2);
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
const ways: [string, Reader][] = [['new', await load(new URL('../src/readers', import.meta.url).pathname, 'new')]];
if (base !== undefined) ways.unshift(['base', await load(resolve(base), 'base')]);
rmSync(dir, { recursive: true, force: true });

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
    for (const [name, reader] of order) {
      const before = process.cpuUsage();
      await readAll(reader, path, false);
      const used = process.cpuUsage(before);
      cpu.get(name)!.push((used.user + used.system) / 1000);
    }
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
