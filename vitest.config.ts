import { defineConfig } from 'vitest/config';

// One Vitest run over every workspace project: cheaper than one process per package on 2 cores.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
