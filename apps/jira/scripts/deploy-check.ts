// `pnpm --filter jira deploy:check`: everything `forge deploy` checks that can run offline, for the
// default app (this directory) and for each edition (written by scripts/edition.ts under dist/).
// (`forge lint` needs a login; `@forge/manifest` runs the same manifest validators locally.)
import { ProcessorBuilder, ValidationTypes } from '@forge/manifest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  APP_DIR,
  BUNDLE_BUDGET_BYTES,
  DASHBOARD_BUDGET_BYTES,
  DASHBOARD_DIR,
  RESOURCE_BUDGET_BYTES,
  buildDashboard,
  buildFunctions,
  buildResources,
  FUNCTION_DIR_IN_APP,
} from './build.ts';
import { forgeBundle } from './forge-bundle.ts';
import { EDITIONS, writeEdition } from './edition.ts';

let failed = false;
const report = (ok: boolean, what: string, detail = ''): void => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
  if (!ok) failed = true;
};

// The Custom UI page first: the manifest validator wants its directory with an index.html (the editions copy it).
try {
  const page = await buildDashboard();
  report(
    page.totalBytes <= DASHBOARD_BUDGET_BYTES,
    'Custom UI dashboard page builds (Vite)',
    `${page.totalBytes} bytes in ${Object.keys(page.files).length} files, budget ${DASHBOARD_BUDGET_BYTES}`,
  );
  const html = readFileSync(join(DASHBOARD_DIR, 'index.html'), 'utf8');
  report(
    !/<script\b[^>]*>[^<\s]/.test(html) && !/<style|\sstyle=/.test(html),
    'Custom UI dashboard page has no inline script or style (Forge CSP)',
  );
} catch (e) {
  report(false, 'Custom UI dashboard page builds (Vite)', e instanceof Error ? e.message : String(e));
}

const apps: { label: string; dir: string }[] = [
  { label: 'default', dir: APP_DIR },
  ...EDITIONS.map((name) => ({ label: `${name} edition`, dir: writeEdition(name) })),
];

for (const { label, dir } of apps) {
  const manifestPath = join(dir, 'manifest.yml');
  process.chdir(dir); // resources and handlers are resolved from the app's folder
  // The function first: with `bundler: manual@2026` the validator looks for the handlers' module in `app.package.path`.
  const bundle = join(dir, FUNCTION_DIR_IN_APP, 'index.cjs');
  const size = await buildFunctions(bundle, dir);
  report(
    size <= BUNDLE_BUDGET_BYTES,
    `[${label}] function bundle size`,
    `${size} bytes, budget ${BUNDLE_BUDGET_BYTES}`,
  );

  for (const type of [ValidationTypes.FULL, ValidationTypes.PRODUCT_TRIGGER]) {
    const r = await ProcessorBuilder.instance().withValidation(type).build().process(manifestPath);
    report(
      r.success,
      `[${label}] manifest (${type})`,
      (r.errors ?? []).map((e) => `${e.message} (line ${e.line})`).join('; '),
    );
  }

  // Forge's own bundler, as `forge deploy` runs it on this manifest (scripts/forge-bundle.cjs).
  const forge = forgeBundle(dir);
  report(
    forge.error === undefined && forge.outputDir === join(dir, FUNCTION_DIR_IN_APP),
    `[${label}] @forge/bundler packages the function (${forge.metadata?.bundler ?? 'no bundler'})`,
    forge.error ?? `${forge.outputDir} with ${forge.additionalOutputs?.join(', ') ?? ''}, ${forge.ms} ms`,
  );
  report(
    forge.files?.['index.cjs'] !== undefined && (forge.metadata?.errors ?? 1) === 0,
    `[${label}] @forge/bundler packages index.cjs (the manifest's handlers' module) with no metadata errors`,
    forge.files === undefined ? '' : Object.keys(forge.files).join(', '),
  );

  try {
    for (const [key, bytes] of Object.entries(await buildResources(undefined, dir)))
      report(
        bytes <= RESOURCE_BUDGET_BYTES,
        `[${label}] UI resource ${key} bundles for the browser`,
        `${bytes} bytes, budget ${RESOURCE_BUDGET_BYTES}`,
      );
  } catch (e) {
    report(false, `[${label}] UI resources bundle for the browser`, e instanceof Error ? e.message : String(e));
  }

  const manifest = parse(readFileSync(manifestPath, 'utf8')) as { modules: { function: { handler: string }[] } };
  const loaded = (await import(bundle)) as { default?: Record<string, unknown> } & Record<string, unknown>;
  const exported = loaded.default ?? loaded;
  for (const f of manifest.modules.function) {
    const name = f.handler.replace(/^index\./, '');
    report(typeof exported[name] === 'function', `[${label}] handler ${f.handler} is exported by the bundle`);
  }
}
process.exit(failed ? 1 : 0);
