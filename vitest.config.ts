import { defineConfig } from 'vitest/config';

// One run over the whole workspace: each package and app is a Vitest project with its own config.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
    coverage: {
      provider: 'v8',
      reporter: ['text-summary', 'json-summary'],
      include: ['packages/*/src/**/*.{ts,tsx}', 'apps/*/src/**/*.{ts,tsx}'],
      exclude: ['**/generated/**', '**/*.test.{ts,tsx}', '**/testing/**'],
    },
  },
});
