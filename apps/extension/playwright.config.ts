import { defineConfig } from '@playwright/test';

// One worker: each test launches its own Chromium with the extension loaded (2-core machines).
export default defineConfig({
  testDir: './e2e',
  workers: 1,
  timeout: 60_000,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/artifacts',
});
