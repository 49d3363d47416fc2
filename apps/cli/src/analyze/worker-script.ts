import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

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
