import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'jira-app',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Handler tests share the Forge globals (`__forge_fetch__`, `__forge_runtime__`): one file at a time per worker is enough.
    testTimeout: 60_000,
    // Forge's backend egress (declared hosts only), installed before `@forge/api` captures `fetch`; a
    // file that leaves a timer or a server running fails (../../test/setup-leftover-work.ts).
    setupFiles: ['test/setup-egress.ts', '../../test/setup-leftover-work.ts'],
  },
});
