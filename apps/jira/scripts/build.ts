import { build } from 'esbuild';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The production bundle of the app's functions: one CommonJS file for Forge's nodejs22.x runtime,
 * every dependency inlined (Forge installs nothing at run time).
 */
export const APP_DIR = join(import.meta.dirname, '..');
export const BUNDLE = join(APP_DIR, 'dist', 'index.cjs');

/** Budget for the function bundle (bytes). Cold starts load the whole file; 1.5 MB keeps them short. */
export const BUNDLE_BUDGET_BYTES = 1_500_000;

export async function buildFunctions(outfile = BUNDLE): Promise<number> {
  mkdirSync(join(outfile, '..'), { recursive: true });
  await build({
    entryPoints: [join(APP_DIR, 'src', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return statSync(outfile).size;
}

/**
 * Budget for each UI Kit resource (bytes, minified), loaded by the browser in Jira's iframe. Measured
 * 2026-11-30: `@forge/react` with its reconciler, bridge and form library is about 290 KB; zod about
 * 100 KB (with `import * as z`, enforced by eslint.config.js — `import { z }` dragged in all of zod's
 * locales, 260 KB more); the issue panel 407 KB, the admin pages 526 KB. `@baton/core` declares
 * `sideEffects: false`, so a page carries only the core modules it uses.
 */
export const RESOURCE_BUDGET_BYTES = 700_000;

/**
 * Each UI Kit resource of the manifest bundled for the browser, as Forge's bundler does on deploy:
 * proves no resource reaches Node built-ins or server-only code (a resolver, `@forge/api`), and
 * measures what the browser loads. Returns bytes per resource key; throws with esbuild's errors.
 */
export async function buildResources(resources?: { key: string; path: string }[]): Promise<Record<string, number>> {
  const manifest = { resources: resources ?? (parse(readFileSync(join(APP_DIR, 'manifest.yml'), 'utf8')) as { resources: { key: string; path: string }[] }).resources };
  const sizes: Record<string, number> = {};
  for (const r of manifest.resources) {
    const out = await build({
      entryPoints: [join(APP_DIR, r.path)],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      jsx: 'automatic',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
      // Server-only packages must never end up in a page.
      plugins: [{ name: 'no-server-code', setup: (b) => b.onResolve({ filter: /^(@forge\/(api|kvs|events|resolver|llm)|@baton\/llm-forge)$/ }, (a) => ({ errors: [{ text: `${a.path} is server-only (imported by ${a.importer})` }] })) }],
    });
    sizes[r.key] = out.outputFiles[0]?.contents.length ?? 0;
  }
  return sizes;
}

if (process.argv[1] === import.meta.filename) {
  const size = await buildFunctions();
  console.log(`dist/index.cjs: ${size} bytes (budget ${BUNDLE_BUDGET_BYTES})`);
}
