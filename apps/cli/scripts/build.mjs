// Builds the `baton` command to plain JavaScript (dist/baton.mjs), so that running it needs no
// transpiler. Everything it imports is bundled in (the workspace packages and their npm
// dependencies: zod, yaml, openai), so the file runs wherever Node 20+ does.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../src/main.ts', import.meta.url).pathname],
  outfile: new URL('../dist/baton.mjs', import.meta.url).pathname,
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
