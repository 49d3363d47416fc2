import { defineProject } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// WxtVitest swaps `wxt/browser` for the in-memory fake browser and sets up WXT's auto-imports.
// The global setup builds the extension once per run (Chrome and Firefox) for the browser tests.
export default defineProject({
  plugins: [WxtVitest()],
  test: {
    name: 'extension',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // A file that leaves a timer or a page watcher running fails (../../test/setup-leftover-work.ts).
    setupFiles: ['../../test/setup-leftover-work.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
