import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCharter } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { uiResolver } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { invokeResolver } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';

// One language: the charter `baton recommend` writes is the charter the Jira app stores. The YAML is
// what recommend wrote on BPIC 2013 and on the Appcelerator export (the CLI's test checks it still
// writes exactly these files), saved through the admin page's resolver as an admin pastes it.
const ADMIN = 'u-grace';
const FIXTURES = join(import.meta.dirname, 'fixtures', 'recommended-charters');
const call = (name: string, payload: unknown) => invokeResolver(uiResolver as never, name, payload, ADMIN);

useForgeHarness(() => undefined);

describe("the charter baton recommend writes, in the Jira app's admin page", () => {
  for (const file of ['bpic2013.yaml', 'appcelerator-300.yaml']) {
    it(`stores ${file} unchanged: the same YAML, the same charter core parses, read back as saved`, async () => {
      const yaml = readFileSync(join(FIXTURES, file), 'utf8');
      const saved = await call('saveCharter', { scope: 'global', yaml, expectedVersion: 0 });
      expect(saved).toMatchObject({ ok: true });
      const core = parseCharter(parse(yaml));
      if (!core.ok) throw new Error(`core refuses ${file}: ${JSON.stringify(core.issues)}`);
      const stored = await createBatonStorage().getCharter('global');
      expect(stored?.version).toBe(1);
      // The YAML with its comments (the figure behind each value) is kept as written.
      expect(stored?.yaml).toBe(yaml);
      expect(stored?.charter).toEqual(core.value);
      const back = await call('getCharter', { scope: 'global' });
      expect(back).toMatchObject({ ok: true, data: { source: 'own', yaml } });
    });
  }

  it('refuses the same charter with one value broken, naming its path, and stores nothing', async () => {
    const yaml = readFileSync(join(FIXTURES, 'bpic2013.yaml'), 'utf8').replace(/target: \d+d/, 'target: soon');
    const r = await call('saveCharter', { scope: 'global', yaml, expectedVersion: 0 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    if (r.ok) return;
    const details = (r.error as { details?: { path: (string | number)[] }[] }).details ?? [];
    expect(details.map((d) => d.path.join('.'))).toEqual(['slaGoals.0.target']);
    expect(r.error.message).toContain("slaGoals[0].target: expected a duration like '8h' or '3d'");
    expect(await createBatonStorage().getCharter('global')).toBeUndefined();
  });
});
