import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The README's first command runs the *built* CLI (`pnpm demo` builds dist/ first); every other test
// runs the sources. A path computed from a module's own folder (the bundled log) can be right in
// src/ and wrong in the bundle, so this builds the bundle beside dist/ (the same depth) and runs
// `baton demo` from it, as a new user's first command does. The same build's metafile says which
// modules `baton analyze` loads before it reads a byte.

const CLI = join(import.meta.dirname, '..');
const BUILT = join(CLI, `dist-check-${process.pid}`);
const OUT = mkdtempSync(join(tmpdir(), 'baton-built-demo-'));
const META = join(OUT, 'meta.json');

beforeAll(() => {
  execFileSync(process.execPath, [join(CLI, 'scripts', 'build.mjs'), '--outdir', BUILT, '--metafile', META]);
}, 180_000);

afterAll(() => {
  rmSync(BUILT, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
});

describe('baton demo from the built bundle', () => {
  it('finds the bundled log and writes the analysis', () => {
    const report = join(OUT, 'report');
    const run = spawnSync(process.execPath, [join(BUILT, 'baton.mjs'), 'demo', '--out', report, '--quiet'], {
      encoding: 'utf8',
      cwd: OUT,
    });
    expect(run.stderr).not.toMatch(/no such file/);
    expect(run.status).toBe(0);
    const kpis = JSON.parse(readFileSync(join(report, 'kpis.json'), 'utf8')) as { cases: number; events: number };
    expect(kpis).toMatchObject({ cases: 7554, events: 65533 });
  }, 180_000);
});

interface Metafile {
  readonly outputs: Record<
    string,
    { readonly entryPoint?: string; readonly imports: { path: string; kind: string }[]; readonly inputs: object }
  >;
}

/** The source files in the chunks a command's chunk loads statically, i.e. before its code runs. */
function loadedWith(meta: Metafile, entry: string): string[] {
  const first = Object.keys(meta.outputs).filter((k) => meta.outputs[k]!.entryPoint?.endsWith(entry) === true);
  expect(first).toHaveLength(1);
  const chunks = new Set<string>();
  const visit = (k: string): void => {
    if (chunks.has(k)) return;
    chunks.add(k);
    for (const i of meta.outputs[k]!.imports)
      if (i.kind === 'import-statement' && i.path in meta.outputs) visit(i.path);
  };
  visit(first[0]!);
  // Files only: not the build's own modules (`narrowed:`, each importer's share of an entry point).
  return [...chunks].flatMap((k) => Object.keys(meta.outputs[k]!.inputs)).filter((f) => !f.startsWith('narrowed:'));
}

describe('what `baton analyze` loads', () => {
  it('is the analysis and what it needs: no agent, charter, Jira client or YAML parser', () => {
    const meta = JSON.parse(readFileSync(META, 'utf8')) as Metafile;
    const sources = loadedWith(meta, 'src/commands/analyze.ts');
    expect(sources.some((f) => f.includes('packages/core/src/analysis/'))).toBe(true);
    // Of core, layer 4 (analysis) and the layers below it (its README): nothing of the agent, charters,
    // decisions or recommendations, which reaching core through its index pulled in (build.mjs's
    // narrow-entry-points plugin).
    const core = sources.filter((f) => f.includes('packages/core/src/'));
    expect(
      core.filter(
        (f) => !/packages\/core\/src\/(analysis\/|model\/|text\/|time\/|result\.ts|strict-object\.ts)/.test(f),
      ),
    ).toEqual([]);
    // The Jira reader is loaded for a Jira input only; YAML for a YAML configuration file only.
    expect(sources.filter((f) => /packages\/jira\/|jira-reader|node_modules\/.*\/yaml\//.test(f))).toEqual([]);
  });
});
