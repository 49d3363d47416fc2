import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'jira-sim', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
