import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'llm-forge', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
