#!/usr/bin/env node
// The `baton` bin: runs the built JavaScript (dist/baton.mjs, from `pnpm --filter @baton/cli build`)
// when it is there and newer than every source file it was built from, so no transpiler runs at
// run time; otherwise (a fresh clone, or sources edited since the build) it runs the TypeScript
// entry point through tsx, so a stale build is never run.
import { readdirSync, statSync } from 'node:fs';

const built = new URL('../dist/baton.mjs', import.meta.url);
// The bundle holds the CLI's sources and the workspace packages' (see scripts/build.mjs).
function sourceDirs() {
  const dirs = ['../src/'];
  try {
    for (const p of readdirSync(new URL('../../../packages/', import.meta.url)))
      dirs.push(`../../../packages/${p}/src/`);
  } catch {
    // not in the workspace: only the CLI's own sources
  }
  return dirs;
}

function newestSource() {
  let newest = 0;
  for (const dir of sourceDirs()) {
    const root = new URL(dir, import.meta.url);
    let names;
    try {
      names = readdirSync(root, { recursive: true });
    } catch {
      continue;
    }
    for (const name of names) {
      if (!/\.(ts|tsx|json)$/.test(name)) continue;
      const t = statSync(new URL(name, root)).mtimeMs;
      if (t > newest) newest = t;
    }
  }
  return newest;
}

let useBuild = false;
try {
  useBuild = statSync(built).mtimeMs >= newestSource();
} catch {
  useBuild = false;
}
if (useBuild) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
