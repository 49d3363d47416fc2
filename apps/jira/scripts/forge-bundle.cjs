// Builds the function bundle with Forge's own bundler (`@forge/bundler`, what `forge deploy` runs:
// webpack + ts-loader over the app's tsconfig). CommonJS on purpose: the bundler reads `require.main`,
// which an ES module entry does not set. Usage: node scripts/forge-bundle.cjs <appDir> [entry]
// Prints one JSON line: { outputDir, files, additionalOutputs, metadata, ms } or { error }.
// A CommonJS script run by Node directly: `require`, `process` and `console` are its globals.
/* eslint-disable @typescript-eslint/no-require-imports, no-undef */
'use strict';
const { getNodeBundler } = require('@forge/bundler');
const { join } = require('node:path');
const { readdirSync, statSync } = require('node:fs');

const [appDir, entry = 'src/index.ts'] = process.argv.slice(2);
const messages = [];
const logger = new Proxy(
  {},
  {
    get:
      (_t, level) =>
      (...args) =>
        messages.push(`${String(level)}: ${args.map(String).join(' ')}`),
  },
);
// `forge deploy` downloads the Node runtime wrapper from Atlassian's CDN (wrapper-provider's
// NetworkWrapperProvider) and ships it beside the bundle as __forge__.cjs: that step needs the network.
// Offline it is replaced by a placeholder; the webpack build, which is the app's code, is unchanged.
const OFFLINE = { script: '/* runtime wrapper: downloaded by forge deploy */', source: 'offline', version: 'offline' };
const wrapper = { getNodeRuntimeWrapper: async () => OFFLINE, getNodeRuntimeLoader: async () => OFFLINE };
// The app's own manifest decides the bundler (`app.package`), as in the CLI.
const { parse } = require('yaml');
const { readFileSync } = require('node:fs');
const configReader = { readConfig: async () => parse(readFileSync(join(appDir, 'manifest.yml'), 'utf8')) };

(async () => {
  const started = Date.now();
  try {
    const out = await getNodeBundler(logger, wrapper, configReader).bundle({
      appDirectory: appDir,
      entryPoints: [{ name: 'index', path: join(appDir, entry) }],
    });
    const files = Object.fromEntries(readdirSync(out.outputDir).map((f) => [f, statSync(join(out.outputDir, f)).size]));
    const metadata = out.metadata
      ? { ...out.metadata, dependencies: [...out.metadata.dependencies], sdkImports: [...out.metadata.sdkImports] }
      : undefined;
    console.log(
      JSON.stringify({
        outputDir: out.outputDir,
        files,
        additionalOutputs: [...(out.additionalOutputs?.keys() ?? [])],
        metadata,
        ms: Date.now() - started,
        messages,
      }),
    );
  } catch (e) {
    console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e), messages }));
    process.exitCode = 1;
  }
})();
