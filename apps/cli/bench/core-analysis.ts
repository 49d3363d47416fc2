// Core's analysis in process, old against new: `analysis.add` over a log's cases and `result()`,
// apart from reading and writing (issue 17; ADR 0017, seventh pass).
//   pnpm exec tsx apps/cli/bench/core-analysis.ts --old <commit> [--pairs 7] [--rounds 5] <log...> [-- child flags]
// Builds `@baton/core/analysis` of this tree and of <commit> (`git archive`, bundled with this tree's
// dependencies) and the child (core-analysis-child.ts: reads the log once with the CLI's readers, then
// feeds fresh copies of its cases to the core it is given, `rounds` times). Runs `pairs` pairs of
// child processes per log, old and new alternated (old new, new old, …); each process's figure is the
// median of its rounds (CPU ms). Prints the medians of old and new, the median of the pairs' new/old
// ratios with each pair's, and the load average seen. Child flags: `--sla <business days>`,
// `--cohort <ISO date>`. Not a test: it prints figures.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { takeOption } from './bench-args.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function option(args: string[], name: string, fallback: string): string {
  return takeOption(args, name) ?? fallback;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function bundle(entry: string, outfile: string, nodePaths: string[] = []): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    nodePaths,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
}

interface Round {
  readonly addMs: number[];
  readonly resultMs: number[];
  readonly figure: string;
}

function runChild(child: string, core: string, log: string, rounds: number, extra: string[]): Round {
  const run = spawnSync(process.execPath, [child, core, log, String(rounds), ...extra], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`${core} on ${log}: exit code ${run.status}`);
  return JSON.parse(run.stdout) as Round;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dashes = args.indexOf('--');
  const extra = dashes < 0 ? [] : args.splice(dashes).slice(1);
  const old = option(args, '--old', 'main');
  const pairs = Number(option(args, '--pairs', '7'));
  const rounds = Number(option(args, '--rounds', '5'));
  const logs = args;
  if (logs.length === 0 || !(pairs > 0) || !(rounds > 0)) {
    process.stderr.write('usage: core-analysis.ts --old <commit> [--pairs N] [--rounds N] <log...> [-- child flags]\n');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'baton-core-bench-'));
  try {
    const oldTree = join(dir, 'old');
    execFileSync('mkdir', ['-p', oldTree]);
    execFileSync('sh', [
      '-c',
      `git -C "${ROOT}" archive "${old}" packages/core tsconfig.base.json | tar -x -C "${oldTree}"`,
    ]);
    const coreNodeModules = join(ROOT, 'packages/core/node_modules');
    await bundle(join(oldTree, 'packages/core/src/analysis/index.ts'), join(dir, 'old.mjs'), [coreNodeModules]);
    await bundle(join(ROOT, 'packages/core/src/analysis/index.ts'), join(dir, 'new.mjs'));
    const child = join(dir, 'child.mjs');
    await bundle(fileURLToPath(new URL('./core-analysis-child.ts', import.meta.url)), child);
    const cores = { old: join(dir, 'old.mjs'), new: join(dir, 'new.mjs') };
    for (const log of logs) {
      const o: Round[] = [];
      const n: Round[] = [];
      const loads: number[] = [];
      for (let i = 0; i < pairs; i++) {
        loads.push(loadavg()[0]!);
        if (i % 2 === 0) {
          o.push(runChild(child, cores.old, log, rounds, extra));
          n.push(runChild(child, cores.new, log, rounds, extra));
        } else {
          n.push(runChild(child, cores.new, log, rounds, extra));
          o.push(runChild(child, cores.old, log, rounds, extra));
        }
      }
      if (o.some((r, i) => r.figure !== n[i]!.figure)) throw new Error(`${log}: old and new give other figures`);
      for (const part of ['addMs', 'resultMs'] as const) {
        const a = o.map((r) => median(r[part]));
        const b = n.map((r) => median(r[part]));
        const ratios = a.map((x, i) => b[i]! / x);
        process.stdout.write(
          `${log} ${part.replace('Ms', '')}: old ${median(a).toFixed(1)} ms, new ${median(b).toFixed(1)} ms, ` +
            `new/old ${median(ratios).toFixed(3)} (pairs ${ratios.map((r) => r.toFixed(2)).join(' ')})\n`,
        );
      }
      process.stdout.write(
        `${log}: ${o[0]!.figure}; load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
