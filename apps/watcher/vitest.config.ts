import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    // Most files wait on devnet chains, PostgreSQL or child processes rather than compute: on the
    // 2-core CI machine 3 workers run the suite in ~5 min instead of ~14 (vitest's default there is
    // one worker), every file green under the extra load (AGENTS.md "Tests").
    maxWorkers: 3,
    hookTimeout: 30_000,
  },
});
