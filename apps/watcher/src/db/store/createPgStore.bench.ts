import { loadavg } from 'node:os';
import pg from 'pg';
import { test } from 'vitest';
import { startPostgres } from '../../../test/support/startPostgres.js';
import { type PgDb, withPgTransaction } from '../pg/openPgDb.js';
import { pendingAlertCount } from '../pg/queries/alerts.js';
import { bindPgQueries, createPgStore, pgRetentionNotYet } from './createPgStore.js';

/*
 * What a store transaction costs on top of `withPgTransaction` (the brief of issue 17's store: the
 * ~60 bound methods are built per transaction; is that a hot-path cost?):
 * 1. building the bound queries alone (`bindPgQueries`, what each transaction does), per call;
 * 2. one transaction of one small read, `store.transaction` vs `withPgTransaction` + the twin on a
 *    bare pool of the same size on the same database, interleaved pair by pair after a warm-up.
 */
const BINDS = 100_000;
const WARMUP = 200;
const PAIRS = 2_000;

test('store transaction overhead on PostgreSQL', async () => {
  const server = await startPostgres();
  try {
    const url = await server.createDatabase('bench_store');
    const store = await createPgStore({ url, maxConnections: 2 });
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => {});
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

    const db = store.pg.db as PgDb;
    const call = () => Promise.resolve();
    for (let i = 0; i < 10_000; i++) bindPgQueries(db, call, pgRetentionNotYet);
    const t0 = performance.now();
    for (let i = 0; i < BINDS; i++) bindPgQueries(db, call, pgRetentionNotYet);
    const bindUs = ((performance.now() - t0) * 1000) / BINDS;

    const viaStore = async () => {
      const t = performance.now();
      await store.transaction((q) => q.alerts.pendingAlertCount());
      return performance.now() - t;
    };
    const bare = async () => {
      const t = performance.now();
      await withPgTransaction(pool, (tx) => pendingAlertCount(tx));
      return performance.now() - t;
    };
    for (let i = 0; i < WARMUP; i++) await viaStore().then(bare);
    const s: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      if (i % 2 === 0) {
        s.push(await viaStore());
        b.push(await bare());
      } else {
        b.push(await bare());
        s.push(await viaStore());
      }
    }
    console.log(
      `bindPgQueries (per transaction): ${bindUs.toFixed(2)} µs per call (${BINDS} calls)\n` +
        `one-read transaction: store.transaction median ${(median(s) * 1000).toFixed(0)} µs, ` +
        `withPgTransaction on a bare pool median ${(median(b) * 1000).toFixed(0)} µs ` +
        `(${PAIRS} interleaved pairs); load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    await pool.end();
    await store.close();
  } finally {
    await server.stop();
  }
}, 300_000);
