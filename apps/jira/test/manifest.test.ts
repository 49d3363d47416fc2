import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { validate } from '@forge/manifest';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUNDLE, FUNCTION_DIR_IN_APP, buildDashboard, buildFunctions } from '../scripts/build.ts';
import * as entry from '../src/index.ts';
import { SUBSCRIBED_EVENTS } from '../src/product-events.ts';
import { MANIFEST } from './forge-harness.ts';
import { openaiEditionDir } from './openai-edition.ts';
import { editionManifest } from '../scripts/edition.ts';
import { OPENAI_EGRESS } from '../src/contracts/model-settings.ts';
import { writeFileSync } from 'node:fs';

interface Manifest {
  modules: {
    trigger: { events: string[]; filter?: { ignoreSelf?: boolean } }[];
    scheduledTrigger: { interval: string }[];
    consumer: { queue: string }[];
    function: { key: string; handler: string }[];
  } & Record<string, unknown>;
  app: { runtime: { name: string } };
  permissions: { scopes: string[] };
}
const manifest = parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
// The mapping ships inside @forge/manifest but is not in its `exports`: read it next to the entry point.
const require = createRequire(import.meta.url);
const manifestOut = join(require.resolve('@forge/manifest'), '..');
const mapping = (
  JSON.parse(readFileSync(join(manifestOut, 'mapping', 'product-event-to-scope-mapping.json'), 'utf8')) as {
    mapping: { productEvent: string; oAuthScopes: { current: string[] } }[];
  }
).mapping;

describe('manifest.yml', () => {
  // The Custom UI resource is a built directory that must hold index.html for the validator, and with
  // `app.package.bundler: manual@2026` the handlers' module is looked for in `app.package.path`: build
  // both (a fresh clone has neither).
  beforeAll(async () => {
    await buildDashboard();
    await buildFunctions(BUNDLE);
  }, 120_000);

  it("passes @forge/manifest's full offline validation (schema, modules, resources, storage, scopes)", async () => {
    const cwd = process.cwd();
    process.chdir(join(MANIFEST, '..')); // resources and handlers are resolved from the app's folder
    try {
      const r = await validate(false, MANIFEST);
      expect(r.errors ?? []).toEqual([]);
      expect(r.success).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it(
    "the OpenAI edition's manifest passes the same validation, with backend egress to the declared hosts only",
    { timeout: 120_000 },
    async () => {
      const dir = openaiEditionDir();
      await buildFunctions(join(dir, FUNCTION_DIR_IN_APP, 'index.cjs'), dir);
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        const r = await validate(false, join(dir, 'manifest.yml'));
        expect(r.errors ?? []).toEqual([]);
        expect(r.success).toBe(true);
        // The same manifest with a plain-http host is refused: the check can fail for an edition too.
        writeFileSync(
          join(dir, 'manifest.yml'),
          editionManifest('openai').replace('https://api.openai.com', 'http://api.openai.com'),
        );
        expect((await validate(false, join(dir, 'manifest.yml'))).success).toBe(false);
      } finally {
        process.chdir(cwd);
      }
      const edition = parse(editionManifest('openai')) as Manifest & {
        permissions: { external: { fetch: { backend: { address: string; inScopeEUD: boolean }[] } } };
      };
      expect(edition.permissions.external.fetch.backend).toEqual(
        OPENAI_EGRESS.map((address) => ({ address, inScopeEUD: true })),
      );
      // Everything else is the default manifest's.
      const { external: _external, ...scopes } = edition.permissions;
      expect({ ...edition, permissions: scopes }).toEqual(manifest);
    },
  );

  it('fails validation for a broken manifest (the check can fail)', async () => {
    const r = await validate(false, join(import.meta.dirname, 'fixtures', 'broken-manifest.yml'));
    expect(r.success).toBe(false);
  });

  it('subscribes to exactly SUBSCRIBED_EVENTS, ignoring its own changes, on nodejs22.x', () => {
    const events = manifest.modules.trigger.flatMap((t) => t.events);
    expect([...events].sort()).toEqual([...SUBSCRIBED_EVENTS].sort());
    expect(manifest.modules.trigger.every((t) => t.filter?.ignoreSelf === true)).toBe(true);
    expect(manifest.app.runtime.name).toBe('nodejs22.x');
    expect(['fiveMinute', 'hour']).toContain(manifest.modules.scheduledTrigger[0]?.interval);
  });

  it("names only events @forge/manifest's event-to-scope mapping knows, and declares their scopes", () => {
    for (const event of SUBSCRIBED_EVENTS) {
      const entry = mapping.find((m) => m.productEvent === event);
      expect(entry, event).toBeDefined();
      for (const scope of entry?.oAuthScopes.current ?? []) expect(manifest.permissions.scopes).toContain(scope);
    }
  });

  it('src/index.ts exports exactly the handlers the manifest names, and each is a function', () => {
    const named = manifest.modules.function.map((f) => f.handler.replace(/^index\./, '')).sort();
    expect(Object.keys(entry).sort()).toEqual(named);
    for (const n of named) expect(typeof (entry as Record<string, unknown>)[n]).toBe('function');
  });
});
