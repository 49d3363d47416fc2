import { defineProject } from 'vitest/config';

// The app's long runs (not part of `pnpm test`): `pnpm --filter jira bench:sequences`.
export default defineProject({
  test: {
    name: 'jira-bench',
    root: `${import.meta.dirname}/..`,
    include: ['bench/**/*.bench-run.ts'],
    setupFiles: ['test/setup-egress.ts'],
    testTimeout: 24 * 3_600_000,
  },
});
