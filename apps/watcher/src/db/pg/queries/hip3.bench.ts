import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { test } from 'vitest';
import { startPostgres } from '../../../../test/support/startPostgres.js';
import { openDb } from '../../openDb.js';
import type { Hip3SampleRow } from '../../queries/hip3.js';
import * as S from '../../queries/hip3.js';
import { migratePg, type PgDb, withPgTransaction } from '../openPgDb.js';
import * as P from './hip3.js';

/*
 * The HIP-3 hot path on PostgreSQL (issue 17): one tick of 3,000 changed market samples written
 * by the twin's `prepareHip3Writes(q).insertSamples` (one `insert … select from unnest(…)`),
 * against a raw node-postgres multi-row `insert … values ($1…$11), …` of the same rows (one
 * statement of 33,000 parameters) on the same server and connection, and against the SQLite path
 * the watcher runs today (`prepareHip3Writes(db).insertSamples` in a transaction on a real WAL
 * file, as in `src/subjects/hip3/hip3Ingest.bench.ts`). Every iteration writes new keys (the
 * receive time advances); each benchmark starts on an empty table. Then a whole tick (samples,
 * a ctx oracle update and the state row of each of the 3,000 markets) in one transaction, twin vs
 * SQLite. The PostgreSQL test server runs with fsync off (`startPostgres`), so these compare the
 * statements, not disks.
 */
const MARKETS = 3_000;
const T0 = 1_790_000_000_000;
const COINS = Array.from({ length: MARKETS }, (_, i) => `dx${i % 10}:M${i}`);

let tickNo = 0;
function tickRows(): Hip3SampleRow[] {
  const at = T0 + ++tickNo * 1_000;
  return COINS.map((coin, i) => {
    const px = (100 + i / 7 + (tickNo % 13) / 100).toPrecision(6);
    return {
      coin,
      receivedAt: at,
      oraclePx: px,
      markPx: px,
      midPx: px,
      funding: '0.0000125',
      premium: '-0.00012',
      openInterest: `${10_000 + i}.5`,
      dayNtlVlm: `${1_000_000 + i * 13}.25`,
      markDeviation: ((i % 17) - 8) / 100_000,
      source: 'ws',
    };
  });
}

/** Raw node-postgres: one multi-row `insert … values` of all rows (33,000 parameters). */
function rawInsertText(n: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < n; r++) {
    const b = r * 11;
    tuples.push(
      `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9},$${b + 10},$${b + 11})`,
    );
  }
  return `insert into hip3_samples (coin, received_at, oracle_px, mark_px, mid_px, funding, premium,
    open_interest, day_ntl_vlm, mark_deviation, source) values ${tuples.join(',')} on conflict do nothing`;
}

const report = (name: string, p50: number) =>
  console.log(
    `median ${name}: ${p50.toFixed(2)} ms per ${MARKETS}-market tick = ${Math.round((MARKETS / p50) * 1000).toLocaleString('en-US')} rows/s`,
  );

test('HIP-3 tick of 3,000 market samples: PostgreSQL twin vs raw pg multi-row insert vs SQLite', async ({
  bench,
}) => {
  const server = await startPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'perpscope-hip3-pg-bench-'));
  const sqlite = openDb({ path: join(dir, 'bench.db') });
  const url = await server.createDatabase('hip3_bench');
  const client = new pg.Client({ connectionString: url });
  try {
    await migratePg({ url });
    await client.connect();
    const q = drizzle({ client }) as PgDb;
    const twin = P.prepareHip3Writes(q);
    const sqliteWrites = S.prepareHip3Writes(sqlite.db);
    const rawText = rawInsertText(MARKETS);
    const empty = async () => {
      await client.query('truncate hip3_samples');
      sqlite.sqlite.exec('delete from hip3_samples');
    };

    const r = await bench.compare(
      bench('twin', { beforeAll: empty }, async () => {
        await twin.insertSamples(tickRows());
      }),
      bench('raw', { beforeAll: empty }, async () => {
        const rows = tickRows();
        const values: unknown[] = [];
        for (const s of rows) {
          values.push(
            s.coin,
            s.receivedAt,
            s.oraclePx,
            s.markPx,
            s.midPx ?? null,
            s.funding,
            s.premium ?? null,
            s.openInterest,
            s.dayNtlVlm,
            s.markDeviation ?? null,
            s.source,
          );
        }
        await client.query(rawText, values);
      }),
      bench('sqlite', { beforeAll: empty }, () => {
        const rows = tickRows();
        sqlite.db.transaction(() => sqliteWrites.insertSamples(rows));
      }),
      { time: 3_000, warmupIterations: 5 },
    );
    const twinMs = r.get('twin').latency.p50;
    const rawMs = r.get('raw').latency.p50;
    const sqliteMs = r.get('sqlite').latency.p50;
    report('PostgreSQL twin (unnest)', twinMs);
    report('PostgreSQL raw multi-row insert', rawMs);
    report('SQLite prepareHip3Writes', sqliteMs);
    console.log(
      `twin throughput / raw pg: ${(rawMs / twinMs).toFixed(2)}× (target ≥ 0.8×); twin / SQLite: ${(sqliteMs / twinMs).toFixed(2)}×`,
    );

    // A whole tick in one transaction: samples, one ctx oracle update and the state of each market.
    await client.query('truncate hip3_markets, hip3_oracle_updates');
    sqlite.sqlite.exec('delete from hip3_markets; delete from hip3_oracle_updates');
    for (const coin of COINS) {
      const m = { coin, dex: 'dx', metaJson: '{}', isDelisted: false, now: T0 };
      await P.upsertHip3MarketMeta(q, m);
      S.upsertHip3MarketMeta(sqlite.db, m);
    }
    const tick = () => {
      const samples = tickRows();
      const at = samples[0]?.receivedAt ?? 0;
      return {
        samples,
        oracle: samples.map((s) => ({
          coin: s.coin,
          source: 'ctx',
          at,
          oraclePx: s.oraclePx,
          markPx: s.markPx,
          intervalMs: 1_000,
          markJump: 0.0001,
          txHash: '',
          error: null,
        })),
        states: samples.map((s) => ({
          coin: s.coin,
          status: 'ok',
          statusSince: T0,
          reasonsJson: '[]',
          metricsJson: `{"markDeviation":{"value":${s.markDeviation}},"oracle":{"lastChangeAgeSeconds":1}}`,
          lastSampleAt: at,
          updatedAt: at,
        })),
      };
    };
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => {});
    const whole = await bench.compare(
      bench('twin tick', async () => {
        const t = tick();
        await withPgTransaction(pool, async (tx) => {
          const w = P.prepareHip3Writes(tx);
          await w.insertSamples(t.samples);
          await w.insertOracleUpdates(t.oracle);
          await w.updateMarketStates(t.states);
        });
      }),
      bench('sqlite tick', () => {
        const t = tick();
        sqlite.db.transaction(() => {
          sqliteWrites.insertSamples(t.samples);
          sqliteWrites.insertOracleUpdates(t.oracle);
          for (const s of t.states) sqliteWrites.updateMarketState(s);
        });
      }),
      { time: 3_000, warmupIterations: 3 },
    );
    await pool.end();
    const twinTick = whole.get('twin tick').latency.p50;
    const sqliteTick = whole.get('sqlite tick').latency.p50;
    report('whole tick, PostgreSQL twin (3 statements + begin/commit)', twinTick);
    report('whole tick, SQLite', sqliteTick);
    console.log(`whole tick: twin / SQLite throughput ${(sqliteTick / twinTick).toFixed(2)}×`);
  } finally {
    await client.end().catch(() => {});
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}, 300_000);
