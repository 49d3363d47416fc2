import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles `source` (TypeScript re-exporting what a bench times, its paths resolved from `dir`) into
 * `outDir` as the CLI is built (esbuild, no transpiler at run time: tsx's helpers would be timed
 * too), and imports it. `name` names the bundle, so two builds of the same code can sit side by side.
 */
export async function importBundled<T>(source: string, dir: string, outDir: string, name: string): Promise<T> {
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    stdin: { contents: source, resolveDir: dir, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return (await import(outfile)) as T;
}
