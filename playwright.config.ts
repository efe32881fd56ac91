import { defineConfig } from '@playwright/test';

/**
 * E2E tests drive the Chromium host (test/e2e/fixtures.ts launches the system Chromium itself),
 * so no Playwright browser is downloaded and no `use.browserName` project is needed. Run
 * `npx electron-vite build` first: the tests load out/renderer and out/preload.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  // Two cores: one browser at a time keeps timings honest.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
});
