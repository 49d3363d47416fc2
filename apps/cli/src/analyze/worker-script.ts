import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread's script: the built one beside the bundle (`built`, e.g. `analyze-worker.mjs`),
 * or (run from source, as tests and a fresh clone do) a line that registers tsx in the thread and
 * imports the TypeScript entry point `source` of this folder (Node 20 does not apply an `--import`
 * loader of a worker's execArgv).
 */
export function workerScript(source: string, built: string): { script: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const api = pathToFileURL(
      createRequire(here)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href;
    const entry = new URL(`./${source}`, here).href;
    const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    return { script: code, eval: true };
  }
  const dir = new URL('.', here);
  const dist = dir.pathname.endsWith('/chunks/') ? new URL('..', dir) : dir;
  return { script: new URL(built, dist), eval: false };
}

/**
 * Starts one of `analyze`'s threads (a shard, or the reading thread) with `data` as its task. Its young
 * generation is capped at 16 MB: with V8's default, road-traffic XES with --jobs 2 peaked at 180–204 MiB
 * and the reading thread's CSV run at 194–202 MiB; with 16 MB, 163–184 and 183–187 MiB at about the same
 * CPU (8 MB: no lower peak for shards, 1.15× the CPU for the reading thread; ADR 0023, ADR 0025).
 */
export function startAnalyzeThread(source: string, built: string, data: unknown): Worker {
  const script = workerScript(source, built);
  return new Worker(script.script, {
    workerData: data,
    eval: script.eval,
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
  });
}
