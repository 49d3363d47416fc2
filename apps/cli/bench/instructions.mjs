// Instructions executed by two builds of the CLI on the same command, counted by valgrind's
// cachegrind (no cache simulation): a figure the machine's load does not move, for changes too small
// for wall or CPU time to resolve on the shared machine (ADR 0017, eighth pass):
//   node apps/cli/bench/instructions.mjs [--runs 1] <distA> <distB> -- <baton args...>
// e.g. node apps/cli/bench/instructions.mjs /tmp/before/dist apps/cli/dist -- analyze /tmp/road-traffic-fines.csv --out /tmp/ir -q
// Node runs with --no-concurrent-recompilation (what V8 optimises, and when, then depends on the
// code, not on a background thread's timing) and the hash thread is off
// (BATON_HASH_THREAD_MIN_BYTES=10^12), so both builds do the same work; every thread is counted.
// Each run takes ~50× its normal time. Prints each build's counts (median of `runs`) and B/A.
// Needs valgrind (Debian: apt-get install valgrind). Not a test: it prints figures.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const at = argv.indexOf('--runs');
const runs = at < 0 ? 1 : Number(argv.splice(at, 2)[1]);
const [distA, distB, dashes, ...args] = argv;
if (!(runs > 0) || distA === undefined || distB === undefined || dashes !== '--' || args.length === 0) {
  process.stderr.write('usage: node apps/cli/bench/instructions.mjs [--runs 1] <distA> <distB> -- <baton args...>\n');
  process.exit(2);
}
if (spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).error !== undefined) {
  process.stderr.write('instructions.mjs: valgrind is not on the PATH (Debian: apt-get install valgrind)\n');
  process.exit(2);
}

const outFile = join(tmpdir(), `baton-instructions-${process.pid}.out`);

/** The instructions one run of `dist` executed ("I refs" of cachegrind's summary). */
function count(dist) {
  const child = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      `--cachegrind-out-file=${outFile}`,
      '--smc-check=all-non-file',
      process.execPath,
      '--no-concurrent-recompilation',
      join(dist, 'baton.mjs'),
      ...args,
    ],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, BATON_HASH_THREAD_MIN_BYTES: String(1e12) },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  rmSync(outFile, { force: true });
  if (child.status !== 0) throw new Error(`${dist}: exit code ${child.status}\n${child.stderr.slice(-2000)}`);
  const refs = /I\s+refs:\s+([\d,]+)/.exec(child.stderr);
  if (refs === null) throw new Error(`${dist}: no "I refs" line in valgrind's summary`);
  return Number(refs[1].replaceAll(',', ''));
}

const median = (values) => {
  const s = [...values].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const a = [];
const b = [];
for (let i = 0; i < runs; i++) {
  a.push(count(distA));
  b.push(count(distB));
}
const giga = (n) => `${(n / 1e9).toFixed(2)} G`;
console.log(`baton ${args.join(' ')}: instructions, ${runs} run(s) each`);
console.log(`  A ${distA}: ${giga(median(a))} (${a.map(giga).join(', ')})`);
console.log(`  B ${distB}: ${giga(median(b))} (${b.map(giga).join(', ')})`);
console.log(`  B/A: ${(median(b) / median(a)).toFixed(3)}×`);
