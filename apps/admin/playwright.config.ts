import { defineConfig, devices } from '@playwright/test';

// Runs against the built app served by scripts/e2e-stack.ts (started in e2e/global-setup.ts) with
// the real API, worker, Postgres, Redis and the Stripe emulator. Debian's Chromium, never a download.
export default defineConfig({
  testDir: 'e2e',
  outputDir: '../../test-results/admin-e2e',
  timeout: 180_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list'], ['html', { outputFolder: '../../playwright-report/admin', open: 'never' }]],
  globalSetup: './e2e/global-setup.ts',
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1366, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
