import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'llm-openai', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
