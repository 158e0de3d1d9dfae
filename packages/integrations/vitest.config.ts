import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'integrations', environment: 'node', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
