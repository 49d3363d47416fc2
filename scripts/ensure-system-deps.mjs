#!/usr/bin/env node
// Installs what the test suite needs from outside npm: Debian's Chromium, for the report and
// extension tests that run in a real browser. Idempotent; prints what it did.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(chromium)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(
    `ensure-system-deps: ${chromium} is missing. Install Chromium (Debian: sudo apt-get install -y chromium) ` +
      'or point CHROMIUM_PATH at a Chromium binary, then run the tests again.',
  );
  process.exit(1);
}
console.log('ensure-system-deps: installing Debian chromium (browser tests need it)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], { stdio: 'inherit', env });
if (!existsSync(chromium)) {
  console.error(`ensure-system-deps: apt-get finished but ${chromium} is still missing`);
  process.exit(1);
}
