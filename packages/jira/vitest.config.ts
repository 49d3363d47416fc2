import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'jira',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A file that leaves a timer running fails (../../test/setup-leftover-work.ts).
    setupFiles: ['../../test/setup-leftover-work.ts'],
  },
});
