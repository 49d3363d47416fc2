// Whether dist/baton.mjs is newer than every source file it was built from (the CLI's sources and
// the workspace packages' that the bundle holds; see scripts/build.mjs).
import { readdirSync, statSync } from 'node:fs';

export const BUILT = new URL('../dist/baton.mjs', import.meta.url);

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

/** True when the build exists and no source is newer than it. */
export function buildIsFresh() {
  try {
    return statSync(BUILT).mtimeMs >= newestSource();
  } catch {
    return false;
  }
}
