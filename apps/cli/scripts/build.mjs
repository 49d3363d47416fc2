// Builds the `baton` command to plain JavaScript (dist/baton.mjs and the chunks it loads on demand
// from dist/chunks/), so that running it needs no transpiler. Everything it imports is bundled in
// (the workspace packages and their npm dependencies: zod, yaml, openai), so the files run
// wherever Node 20+ does. Code only some commands need (the OpenAI client) is a separate chunk,
// loaded when a command asks for it: `analyze` starts without parsing it.
// `--if-stale`: only when a source is newer than the build (what `pnpm baton` and `pnpm demo` run).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { buildIsFresh } from '../bin/freshness.mjs';

if (process.argv.includes('--if-stale') && buildIsFresh()) process.exit(0);
const dist = new URL('../dist/', import.meta.url).pathname;
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: { baton: new URL('../src/main.ts', import.meta.url).pathname },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  minify: true,
  logLevel: 'warning',
  // createRequire for any CommonJS dependency a bundled module pulls in.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
