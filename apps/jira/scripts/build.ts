import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build as viteBuild } from 'vite';
import { parse } from 'yaml';

/**
 * The production bundle of the app's functions: one CommonJS file for Forge's nodejs22.x runtime,
 * every dependency inlined (Forge installs nothing at run time).
 */
export const APP_DIR = join(import.meta.dirname, '..');
/**
 * The function bundle, where manifest.yml's `app.package.path` says (`bundler: manual@2026`): `forge deploy`
 * ships this directory as built, beside the runtime wrapper it downloads (docs/forge-bundling.md).
 */
export const FUNCTION_DIR_IN_APP = join('dist', 'function');
export const BUNDLE = join(APP_DIR, FUNCTION_DIR_IN_APP, 'index.cjs');

/** Budget for the function bundle (bytes). Cold starts load the whole file; 1.5 MB keeps them short. */
export const BUNDLE_BUDGET_BYTES = 1_500_000;

/**
 * Bundles `<appDir>/src/index.ts` into `outfile`. An edition's directory (scripts/edition.ts) may sit
 * anywhere: its packages resolve from this app's node_modules.
 */
export async function buildFunctions(outfile = BUNDLE, appDir = APP_DIR): Promise<number> {
  mkdirSync(join(outfile, '..'), { recursive: true });
  await build({
    entryPoints: [join(appDir, 'src', 'index.ts')],
    nodePaths: [join(APP_DIR, 'node_modules')],
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

/** Packages that must never end up in a page: they reach the platform's server side. */
const SERVER_ONLY = /^(@forge\/(api|kvs|events|resolver|llm)|@baton\/llm-(forge|openai)|openai)$/;

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
export async function buildResources(
  resources?: { key: string; path: string }[],
  appDir = APP_DIR,
): Promise<Record<string, number>> {
  const all =
    resources ??
    (parse(readFileSync(join(appDir, 'manifest.yml'), 'utf8')) as { resources: { key: string; path: string }[] })
      .resources;
  // UI Kit resources are source files Forge bundles; a Custom UI resource is a built directory (`buildDashboard`).
  const manifest = { resources: all.filter((r) => /\.tsx?$/.test(r.path)) };
  const sizes: Record<string, number> = {};
  for (const r of manifest.resources) {
    const out = await build({
      entryPoints: [join(appDir, r.path)],
      nodePaths: [join(APP_DIR, 'node_modules')],
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
      plugins: [
        {
          name: 'no-server-code',
          setup: (b) =>
            b.onResolve({ filter: SERVER_ONLY }, (a) => ({
              errors: [{ text: `${a.path} is server-only (imported by ${a.importer})` }],
            })),
        },
      ],
    });
    sizes[r.key] = out.outputFiles[0]?.contents.length ?? 0;
  }
  return sizes;
}

/** The Custom UI dashboard page's source (Vite root, with its index.html) and where the manifest's `dashboard-page` resource points. */
export const DASHBOARD_SRC = join(APP_DIR, 'src', 'frontend', 'dashboard-page');
export const DASHBOARD_DIR = join(APP_DIR, 'dist', 'dashboard');

/**
 * Budget for the dashboard page (bytes of all built files, minified). Measured 2026-11-30: 211 KB —
 * the page's script 180 KB (@forge/bridge, zod and core's KPI schema for the contracts, @baton/report,
 * the page), a lazy iframe-resizer chunk of @forge/bridge 29 KB, CSS 2 KB. No React: the page renders
 * strings. 400 KB leaves room without letting a UI framework in unnoticed.
 */
export const DASHBOARD_BUDGET_BYTES = 400_000;

/**
 * Builds the Custom UI dashboard page with Vite into `outDir`: `index.html` with relative asset
 * paths (Forge serves the directory under its own prefix), one script and one stylesheet file and
 * no inline script or style (Forge's CSP refuses them unless the manifest allows it), server-only
 * packages refused. Returns each file's size.
 */
export async function buildDashboard(
  outDir = DASHBOARD_DIR,
): Promise<{ files: Record<string, number>; totalBytes: number }> {
  await viteBuild({
    configFile: false,
    root: DASHBOARD_SRC,
    base: './',
    publicDir: false,
    logLevel: 'silent',
    mode: 'production',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [
      {
        name: 'no-server-code',
        enforce: 'pre',
        resolveId(id, importer) {
          if (SERVER_ONLY.test(id)) throw new Error(`${id} is server-only (imported by ${importer ?? '?'})`);
          return null;
        },
      },
    ],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      reportCompressedSize: false,
      sourcemap: false,
    },
  });
  const files: Record<string, number> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files[relative(outDir, p)] = statSync(p).size;
    }
  };
  walk(outDir);
  return { files, totalBytes: Object.values(files).reduce((a, b) => a + b, 0) };
}

if (process.argv[1] === import.meta.filename) {
  const size = await buildFunctions();
  console.log(`dist/function/index.cjs: ${size} bytes (budget ${BUNDLE_BUDGET_BYTES})`);
  const page = await buildDashboard();
  console.log(
    `dist/dashboard: ${page.totalBytes} bytes in ${Object.keys(page.files).length} files (budget ${DASHBOARD_BUDGET_BYTES})`,
  );
}
