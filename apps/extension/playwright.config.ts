import { defineConfig } from '@playwright/test';

// One worker: each test launches its own Chromium with the extension loaded (2-core machines).
export default defineConfig({
  testDir: './e2e',
  workers: 1,
  timeout: 60_000,
  // No retries: a flaky test is a race to find, not to hide (AGENTS.md).
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/artifacts',
});
