import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'slack-sim', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
