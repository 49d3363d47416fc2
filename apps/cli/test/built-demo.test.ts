import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The README's first command runs the *built* CLI (`pnpm demo` builds dist/ first); every other test
// runs the sources. A path computed from a module's own folder (the bundled log) can be right in
// src/ and wrong in the bundle, so this builds the bundle beside dist/ (the same depth) and runs
// `baton demo` from it, as a new user's first command does.

const CLI = join(import.meta.dirname, '..');
const BUILT = join(CLI, `dist-check-${process.pid}`);
const OUT = mkdtempSync(join(tmpdir(), 'baton-built-demo-'));

afterAll(() => {
  rmSync(BUILT, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
});

describe('baton demo from the built bundle', () => {
  it('finds the bundled log and writes the analysis', () => {
    execFileSync(process.execPath, [join(CLI, 'scripts', 'build.mjs'), '--outdir', BUILT]);
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
