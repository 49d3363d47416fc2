import { build } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

if (process.argv[1] === import.meta.filename) {
  const size = await buildFunctions();
  console.log(`dist/index.cjs: ${size} bytes (budget ${BUNDLE_BUDGET_BYTES})`);
}
