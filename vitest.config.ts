import { defineConfig } from 'vitest/config';

// One Vitest run over every workspace project: cheaper than one process per package on 2 cores.
export default defineConfig({
  test: {
    // `repo`: checks that span the workspace (each README's import rules held against the code).
    projects: ['packages/*', 'apps/*', { test: { name: 'repo', include: ['test/**/*.test.ts'] } }],
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
