import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../test/support/startPostgres.js';
import { type Duty, localDuty, pgDuty } from '../cluster/duty.js';
import { tryAcquireLease } from '../db/pg/pgLease.js';
import { createPgStore, type PgWatcherStore } from '../db/store/createPgStore.js';
import { createLogger } from '../logger.js';
import { initialChainState } from '../subjects/sequencer/chainStateRecord.js';
import { RetentionJob } from './RetentionJob.js';
import { RetentionConfig } from './retentionConfig.js';

/*
 * Issue 17: retention prunes stale `chain_observations` (observers gone, chains no longer watched)
 * under the retention duty, fenced by it — on a real PostgreSQL.
 */

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 7);
let server: PostgresServer;
let store: PgWatcherStore;
const stops: (() => Promise<unknown>)[] = [];
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  server = await startPostgres();
  store = await createPgStore({
    url: await server.createDatabase('retention_obs'),
    maxConnections: 4,
  });
}, 60_000);

afterAll(async () => {
  for (const s of stops.reverse()) await s().catch(() => {});
  await store?.close();
  await server?.stop();
});

/** Observations of chain 9 by `fresh` (1 h old), `gone` (25 h old) and `old` (3 days old). */
async function seed() {
  await store.pg.pool.query('delete from chain_observations');
  for (const [observer, age] of [
    ['fresh', HOUR],
    ['gone', 25 * HOUR],
    ['old', 72 * HOUR],
  ] as const) {
    const at = NOW - age;
    await store.queries.chains.writeChainObservation({
      chainId: 9,
      observer,
      at,
      status: 'up',
      headNumber: 1,
      headSeenAt: at,
      state: initialChainState(9, at),
    });
  }
}
const observers = async () =>
  (await store.queries.chains.chainObservationsOf(9)).map((o) => o.observer).sort();
const job = (duty: Duty, observationMaxAgeMs?: number) =>
  new RetentionJob({
    store,
    config: RetentionConfig.parse({}),
    now: () => NOW,
    logger,
    duty,
    ...(observationMaxAgeMs !== undefined && { observationMaxAgeMs }),
  });

describe('RetentionJob: stale chain observations (PostgreSQL)', () => {
  it('prunes observations older than a day (or the configured age) on the duty holder', async () => {
    await seed();
    expect(await job(localDuty('retention')).runOnce()).not.toBeNull();
    expect(await observers()).toEqual(['fresh']);
    await seed();
    await job(localDuty('retention'), 48 * HOUR).runOnce();
    expect(await observers()).toEqual(['fresh', 'gone']);
  });

  it('a holder paused through a takeover prunes nothing (fenced in the delete transaction)', async () => {
    await seed();
    await store.pg.pool.query("delete from leases where name = 'retention'");
    const duty = pgDuty({
      pool: store.pg.pool,
      name: 'retention',
      holder: 'a/stale',
      ttlMs: 60_000,
      intervalMs: 3_600_000,
      now: () => 0, // frozen: it never notices the lease running out
      logger,
    });
    stops.push(() => duty.stop());
    for (let i = 0; i < 200 && !duty.held(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(duty.held()).not.toBeNull();
    await store.pg.pool.query("update leases set expires_at = now() where name = 'retention'");
    expect(
      await tryAcquireLease(store.pg.pool, { name: 'retention', holder: 'b/1', ttlMs: 60_000 }),
    ).not.toBeNull();
    await job(duty).runOnce();
    expect(await observers()).toEqual(['fresh', 'gone', 'old']);
  });
});
