// Builds the `baton` command to plain JavaScript (dist/baton.mjs and the chunks it loads on demand
// from dist/chunks/), so that running it needs no transpiler. Everything it imports is bundled in
// (the workspace packages and their npm dependencies: zod, yaml, openai), so the files run
// wherever Node 20+ does. Each command is its own chunk (src/commands.ts loads it when it runs:
// `baton --version` and `--help` load none), and code only some commands need (the OpenAI client)
// is a separate chunk, loaded when a command asks for it: `analyze` starts without parsing it.
// `--if-stale`: only when a source is newer than the build (what `pnpm baton` and `pnpm demo` run).
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { buildIsFresh } from '../bin/freshness.mjs';

// `--outdir <dir>`: build elsewhere (a test builds beside dist/ and runs the bundle from there).
const outdirAt = process.argv.indexOf('--outdir');
const dist =
  outdirAt > 0 && process.argv[outdirAt + 1] !== undefined
    ? resolve(process.argv[outdirAt + 1])
    : new URL('../dist/', import.meta.url).pathname;
if (process.argv.includes('--if-stale') && outdirAt < 0 && buildIsFresh()) process.exit(0);
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: {
    baton: new URL('../src/main.ts', import.meta.url).pathname,
    // The thread `analyze --jobs` starts for each shard after the first: only the reader and analysis.
    'analyze-worker': new URL('../src/analyze/shard-worker.ts', import.meta.url).pathname,
    // The thread `analyze` reads a large input on while the main thread analyses it (the pipeline).
    'analyze-reader': new URL('../src/analyze/pipeline-worker.ts', import.meta.url).pathname,
    // The thread that hashes run.json's input and outputs as they pass (only Node built-ins).
    'hash-worker': new URL('../src/output/hash-worker.ts', import.meta.url).pathname,
  },
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
