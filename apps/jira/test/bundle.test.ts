import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  BUNDLE_BUDGET_BYTES,
  DASHBOARD_BUDGET_BYTES,
  DASHBOARD_DIR,
  RESOURCE_BUDGET_BYTES,
  buildDashboard,
  buildFunctions,
  buildResources,
  FUNCTION_DIR_IN_APP,
} from '../scripts/build.ts';
import { forgeBundle } from '../scripts/forge-bundle.ts';
import { MANIFEST } from './forge-harness.ts';
import { openaiEditionDir } from './openai-edition.ts';

// The `openai` client names this header; it is in a bundle exactly when the client is.
const OPENAI_CLIENT_MARKER = 'OpenAI-Organization';

describe('production build', () => {
  it(
    '@forge/bundler, run on the manifest as `forge deploy` runs it, packages the esbuild bundle as built',
    { timeout: 120_000 },
    async () => {
      const m = parse(readFileSync(MANIFEST, 'utf8')) as { app: { package?: { bundler?: string; path?: string } } };
      expect(m.app.package).toEqual({ bundler: 'manual@2026', path: FUNCTION_DIR_IN_APP });
      const dir = openaiEditionDir();
      await buildFunctions(join(dir, FUNCTION_DIR_IN_APP, 'index.cjs'), dir);
      const r = forgeBundle(dir);
      expect(r.error).toBeUndefined();
      expect(r.outputDir).toBe(join(dir, FUNCTION_DIR_IN_APP));
      expect(Object.keys(r.files ?? {})).toEqual(['index.cjs']);
      // The runtime wrapper the CLI downloads from Atlassian's CDN (a placeholder offline) goes beside it.
      expect(r.additionalOutputs).toEqual(['__forge__.cjs', '__forge_wrapper__.cjs', 'runtime.json']);
      expect(r.metadata).toMatchObject({ bundler: 'manual@2026', errors: 0 });
      // Nothing built: the bundler reports it instead of packaging an empty directory.
      rmSync(join(dir, FUNCTION_DIR_IN_APP), { recursive: true });
      expect(forgeBundle(dir).error).toBeDefined();
    },
  );

  it('installs into a clean directory, loads there without node_modules, and fits the size budget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-forge-'));
    try {
      const size = await buildFunctions(join(dir, 'index.cjs'));
      copyFileSync(MANIFEST, join(dir, 'manifest.yml'));
      console.log(`function bundle: ${size} bytes (budget ${BUNDLE_BUDGET_BYTES})`);
      expect(size).toBe(statSync(join(dir, 'index.cjs')).size);
      expect(size).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
      const loaded = createRequire(join(dir, 'index.cjs'))('./index.cjs') as Record<string, unknown>;
      for (const name of ['onIssueEvent', 'watchdogTick', 'workConsumer', 'uiResolver'])
        expect(typeof loaded[name]).toBe('function');
      // The default edition declares no egress and carries no third-party model client.
      expect(readFileSync(join(dir, 'index.cjs'), 'utf8')).not.toContain(OPENAI_CLIENT_MARKER);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the OpenAI edition bundles the openai client and still fits the budget', async () => {
    const dir = openaiEditionDir();
    try {
      const size = await buildFunctions(join(dir, 'dist', 'index.cjs'), dir);
      console.log(`OpenAI edition function bundle: ${size} bytes (budget ${BUNDLE_BUDGET_BYTES})`);
      expect(size).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
      expect(readFileSync(join(dir, 'dist', 'index.cjs'), 'utf8')).toContain(OPENAI_CLIENT_MARKER);
      const loaded = createRequire(join(dir, 'dist', 'index.cjs'))('./index.cjs') as Record<string, unknown>;
      expect(typeof loaded.uiResolver).toBe('function');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bundles every UI resource for the browser, without server-only code, within its budget', async () => {
    const sizes = await buildResources();
    console.log(
      `UI resources: ${Object.entries(sizes)
        .map(([k, b]) => `${k} ${b} bytes`)
        .join(', ')} (budget ${RESOURCE_BUDGET_BYTES} each)`,
    );
    expect(Object.keys(sizes).sort()).toEqual(['admin-page', 'issue-context', 'issue-panel', 'project-settings']);
    for (const bytes of Object.values(sizes)) expect(bytes).toBeLessThanOrEqual(RESOURCE_BUDGET_BYTES);
  });

  it('builds the Custom UI dashboard page with Vite where the manifest points, within its budget, with no inline script or style', async () => {
    const resources = (parse(readFileSync(MANIFEST, 'utf8')) as { resources: { key: string; path: string }[] })
      .resources;
    expect(resources.find((r) => r.key === 'dashboard-page')?.path).toBe('dist/dashboard');
    expect(join(MANIFEST, '..', 'dist', 'dashboard')).toBe(DASHBOARD_DIR);
    const dir = mkdtempSync(join(tmpdir(), 'baton-dashboard-'));
    try {
      const page = await buildDashboard(dir);
      console.log(
        `dashboard page: ${page.totalBytes} bytes (${Object.entries(page.files)
          .map(([f, b]) => `${f} ${b}`)
          .join(', ')}; budget ${DASHBOARD_BUDGET_BYTES})`,
      );
      expect(page.totalBytes).toBeLessThanOrEqual(DASHBOARD_BUDGET_BYTES);
      const html = readFileSync(join(dir, 'index.html'), 'utf8');
      // Forge serves the directory under its own path: every asset is relative, and Forge's CSP refuses inline code.
      expect(
        [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => [
          / src="\.\/assets\/[^"]+\.js"/.test(m[0]),
          m[1],
        ]),
      ).toEqual([[true, '']]);
      expect(html).toMatch(/<link rel="stylesheet" crossorigin href="\.\/assets\/[^"]+\.css">/);
      expect(html).not.toMatch(/<style|\sstyle=/);
      expect(Object.keys(page.files).every((f) => f === 'index.html' || f.startsWith('assets/'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a page that imports server-only code (the check can fail)', async () => {
    await expect(buildResources([{ key: 'bad', path: 'test/fixtures/page-with-server-import.tsx' }])).rejects.toThrow(
      /@forge\/kvs is server-only/,
    );
  });
});
