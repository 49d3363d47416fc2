#!/usr/bin/env node
// Installs what the test suite needs from outside npm: Debian's Chromium (report and extension tests
// in a real browser) and Firefox ESR (the extension's Firefox end-to-end test, driven through
// Firefox's built-in WebDriver BiDi: no driver or browser download). Idempotent; prints what it did.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const browsers = [
  {
    path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    env: 'CHROMIUM_PATH',
    packages: ['chromium', 'fonts-dejavu-core'],
  },
  { path: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', env: 'FIREFOX_PATH', packages: ['firefox-esr'] },
];
const missing = browsers.filter((b) => !existsSync(b.path));
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  for (const b of missing) {
    console.error(
      `ensure-system-deps: ${b.path} is missing. Install it (Debian: sudo apt-get install -y ${b.packages.join(' ')}) ` +
        `or point ${b.env} at the binary, then run the tests again.`,
    );
  }
  process.exit(1);
}
const packages = missing.flatMap((b) => b.packages);
console.log(`ensure-system-deps: installing Debian ${packages.join(', ')} (browser tests need them)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
for (const b of missing) {
  if (!existsSync(b.path)) {
    console.error(`ensure-system-deps: apt-get finished but ${b.path} is still missing`);
    process.exit(1);
  }
}
