// Paired A/B runs of two builds of the CLI (for single-thread work on the shared machine, where
// wall time is noise and CPU time is the figure to read):
//   node apps/cli/bench/paired.mjs <pairs> <distA> <distB> -- <baton args...>
// e.g. node apps/cli/bench/paired.mjs 7 /tmp/before/dist apps/cli/dist -- analyze /tmp/road-traffic-fines.csv --out /tmp/ab -q
// (a build of another commit: `git worktree add /tmp/before <commit>` and
// `node /tmp/before/apps/cli/scripts/build.mjs --outdir /tmp/before/dist`, or
// `node apps/cli/scripts/build.mjs --outdir <dir>` before a change). One warm-up run of each, then
// `pairs` pairs alternated (A B, B A, …); CPU (user + system) and peak memory come from the child
// itself (rusage.mjs). Prints the medians, the median of the pairs' B/A CPU ratios with every
// pair's, and the load average seen, which belongs next to every figure.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const RUSAGE = new URL('./rusage.mjs', import.meta.url).pathname;
const [pairsText, distA, distB, dashes, ...args] = process.argv.slice(2);
const pairs = Number(pairsText);
if (!(pairs > 0) || distA === undefined || distB === undefined || dashes !== '--' || args.length === 0) {
  process.stderr.write('usage: node apps/cli/bench/paired.mjs <pairs> <distA> <distB> -- <baton args...>\n');
  process.exit(2);
}

const usageFile = join(tmpdir(), `baton-paired-${process.pid}.json`);

function run(dist) {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', RUSAGE, join(dist, 'baton.mjs'), ...args], {
    env: { ...process.env, BATON_BENCH_RUSAGE: usageFile },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const wall = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`${dist}: exit code ${child.status}`);
  const u = JSON.parse(readFileSync(usageFile, 'utf8'));
  rmSync(usageFile, { force: true });
  return { cpu: (u.userMs + u.systemMs) / 1000, wall, peak: u.maxRssKb / 1024 };
}

run(distA);
run(distB);
const a = [];
const b = [];
const ratios = [];
const loads = [];
for (let i = 0; i < pairs; i++) {
  loads.push(loadavg()[0]);
  let x;
  let y;
  if (i % 2 === 0) {
    x = run(distA);
    y = run(distB);
  } else {
    y = run(distB);
    x = run(distA);
  }
  a.push(x);
  b.push(y);
  ratios.push(y.cpu / x.cpu);
}

const median = (values) => {
  const s = [...values].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const line = (name, runs) =>
  `  ${name}: CPU ${median(runs.map((r) => r.cpu)).toFixed(3)} s, wall ${median(runs.map((r) => r.wall)).toFixed(2)} s, peak ${median(runs.map((r) => r.peak)).toFixed(0)} MiB`;
console.log(
  `baton ${args.join(' ')}: ${pairs} pairs, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
);
console.log(line(`A ${distA}`, a));
console.log(line(`B ${distB}`, b));
console.log(
  `  B/A CPU: ${median(ratios).toFixed(3)}× (median of pairs; pairs ${ratios.map((r) => r.toFixed(2)).join(' ')})`,
);
