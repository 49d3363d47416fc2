// Builds the `baton` command to plain JavaScript (dist/baton.mjs and the chunks it loads on demand
// from dist/chunks/), so that running it needs no transpiler. Everything it imports is bundled in
// (the workspace packages and their npm dependencies: zod, yaml, openai), so the files run
// wherever Node 20+ does. Each command is its own chunk (src/commands.ts loads it when it runs:
// `baton --version` and `--help` load none), and code only some commands need (the OpenAI client)
// is a separate chunk, loaded when a command asks for it: `analyze` starts without parsing it.
// `--if-stale`: only when a source is newer than the build (what `pnpm baton` and `pnpm demo` run).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { build } from 'esbuild';
import { buildIsFresh } from '../bin/freshness.mjs';

// `--outdir <dir>`: build elsewhere (a test builds beside dist/ and runs the bundle from there).
const outdirAt = process.argv.indexOf('--outdir');
const dist =
  outdirAt > 0 && process.argv[outdirAt + 1] !== undefined
    ? resolve(process.argv[outdirAt + 1])
    : new URL('../dist/', import.meta.url).pathname;
// `--metafile <file>`: also write esbuild's account of the build (which source lands in which chunk,
// and what each chunk imports), for a test and for anyone asking why a command loads a module.
const metafileAt = process.argv.indexOf('--metafile');
const metafile = metafileAt > 0 ? process.argv[metafileAt + 1] : undefined;
if (process.argv.includes('--if-stale') && outdirAt < 0 && buildIsFresh()) process.exit(0);
rmSync(dist, { recursive: true, force: true });
// A workspace package's entry point (`@baton/core`, its doors, `@baton/report`, …) is an explicit
// list of re-exports (core's api-surface test holds it so). esbuild places in a command's chunks
// every module reachable from the files it imports, used or not, so `import { workingDayMs } from
// '@baton/core'` put core's agent, charters, decisions and their zod schemas in the chunks `analyze`
// loads before it reads a byte (1.06 MB unminified, against 581 KB without them). This plugin hands
// each importer its own copy of the list holding only the names it imports, each re-exported from the
// file that defines it: the same bindings, reached directly. An importer that uses any other form of
// import for the package (`* as`, default, dynamic) gets the entry point itself.
const explicitLists = new Map();
/** name → { file, name in file } of an entry point of explicit `export { … } from '…'` lists, else null. */
function reExportsOf(entry) {
  if (!explicitLists.has(entry)) {
    const code = readFileSync(entry, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    let names = new Map();
    for (const statement of code.split(';').map((x) => x.trim())) {
      if (statement === '') continue;
      const m = /^export\s+(type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'$/.exec(statement);
      if (m === null) {
        names = null;
        break;
      }
      if (m[1] !== undefined) continue;
      for (const item of m[2].split(',').map((x) => x.trim())) {
        if (item === '' || item.startsWith('type ')) continue;
        const [own, as = own] = item.split(/\s+as\s+/);
        names.set(as, { file: resolve(dirname(entry), m[3]), own });
      }
    }
    explicitLists.set(entry, names);
  }
  return explicitLists.get(entry);
}
/** The value names `importer` imports from `specifier` with named imports and re-exports only, else null. */
function namesImported(importer, specifier) {
  const code = readFileSync(importer, 'utf8');
  const quoted = `'${specifier}'`;
  const forms = new RegExp(`(import|export)\\s+(type\\s+)?\\{([^}]*)\\}\\s*from\\s*${quoted}`, 'g');
  const names = [];
  let statements = 0;
  for (const m of code.matchAll(forms)) {
    statements += 1;
    if (m[2] !== undefined) continue;
    for (const item of m[3].split(',').map((x) => x.trim())) {
      if (item !== '' && !item.startsWith('type ')) names.push(item.split(/\s+as\s+/)[0]);
    }
  }
  return code.split(quoted).length - 1 === statements ? names : null;
}
const narrowEntryPoints = {
  name: 'narrow-entry-points',
  setup(b) {
    b.onResolve({ filter: /^@baton\// }, async (args) => {
      if (args.kind !== 'import-statement' || args.pluginData?.narrowed === true) return undefined;
      const entry = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { narrowed: true },
      });
      if (entry.errors.length > 0 || entry.namespace !== 'file') return undefined;
      const list = reExportsOf(entry.path);
      const wanted = list === null ? null : namesImported(args.importer, args.path);
      if (wanted === null || !wanted.every((n) => list.has(n))) return undefined;
      const byFile = new Map();
      for (const n of new Set(wanted)) byFile.set(list.get(n).file, [...(byFile.get(list.get(n).file) ?? []), n]);
      const lines = [...byFile].map(
        ([file, names]) =>
          `export { ${names.map((n) => `${list.get(n).own} as ${n}`).join(', ')} } from ${JSON.stringify(file)};`,
      );
      return {
        path: `${entry.path}?for=${args.importer}`,
        namespace: 'narrowed',
        pluginData: { contents: lines.join('\n'), resolveDir: dirname(entry.path) },
      };
    });
    b.onLoad({ filter: /.*/, namespace: 'narrowed' }, (args) => ({
      contents: args.pluginData.contents,
      resolveDir: args.pluginData.resolveDir,
      loader: 'js',
    }));
  },
};

const result = await build({
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
  metafile: metafile !== undefined,
  plugins: [narrowEntryPoints],
  // createRequire for any CommonJS dependency a bundled module pulls in.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
if (metafile !== undefined) writeFileSync(resolve(metafile), JSON.stringify(result.metafile));
