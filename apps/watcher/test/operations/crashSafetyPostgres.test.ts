import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrashSafety } from '../../scripts/crashSafety.js';
import { type PostgresServer, startPostgres } from '../support/startPostgres.js';

// The 20 × SIGKILL crash-safety suite (scripts/crashSafety.ts) with the watcher on PostgreSQL
// (`database.url`, issue 17): the checks read the PostgreSQL tables. The server is durable
// (fsync on): the watcher process is what gets killed, but the settings match an operator's.
let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres({ durable: true });
}, 60_000);
afterAll(() => server?.stop());

describe('crash safety on PostgreSQL (scripts/crashSafety.ts)', () => {
  it('20 SIGKILLs during ingestion lose and duplicate nothing and keep the halt one incident', async () => {
    const report = await runCrashSafety({
      kills: 20,
      seed: 20_261_207,
      minRunMs: 200,
      maxRunMs: 1_500,
      postgresUrl: await server.createDatabase('crash_safety'),
    });
    expect(report.violations).toEqual([]);
    expect(report.kills).toBe(20);
    // The checks had something to check.
    expect(report.blocksChecked).toBeGreaterThan(30);
    expect(report.samplesChecked).toBeGreaterThan(100);
    expect(report.incidentsOfHaltingChain).toBe(1);
    // Each restart waited out the killed run's fresh registry row instead of exiting 2 (a
    // supervisor's restart must not be refused after a crash).
    expect(report.refusedStarts).toBe(0);
  }, 240_000);
});
