import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the builds land; the browser, size and lint tests read them. */
export const APP_DIR = join(import.meta.dirname, '..');
export const CHROME_DIR = join(APP_DIR, '.output', 'chrome-mv3');
export const FIREFOX_DIR = join(APP_DIR, '.output', 'firefox-mv3');

// One production build per browser per test run (about 2–4 s each), shared by every test that needs it.
export default function setup(): void {
  // pnpm links each dependency into the package's own node_modules.
  const wxt = join(APP_DIR, 'node_modules', 'wxt', 'bin', 'wxt.mjs');
  const run = (args: string[]): void => {
    execFileSync(process.execPath, [wxt, ...args], {
      cwd: APP_DIR,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NO_COLOR: '1' },
    });
  };
  run(['build']);
  run(['build', '-b', 'firefox', '--mv3']);
  for (const dir of [CHROME_DIR, FIREFOX_DIR]) {
    if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`extension build missing: ${dir}`);
  }
}
