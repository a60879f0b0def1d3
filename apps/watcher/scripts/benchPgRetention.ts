/**
 * Benchmark (issue 17, not a test): PostgreSQL retention deletes against 1,000,000 old rows, with
 * ingestion running alongside. A real server (`test/support/startPostgres.ts`, durable settings
 * unless `BENCH_PG_FAST=1`), migrated by the real migrations. Two tables, one per access path:
 * - `hip3_samples`: 1,000,000 rows older than the horizon across 300 coins (per-coin `ctid` batches);
 * - `events`: 1,000,000 rows older than `eventDays` (identity-id ranges).
 * While `runRetention` deletes them (`batchSize` 5,000, the default), an ingestion loop inserts 300
 * fresh `hip3_samples` rows every 100 ms (one multi-row statement, like a tick of 300 markets) and
 * times each insert. Prints per table: rows deleted, statements, longest and median delete
 * statement, total time; and the ingestion inserts' median and longest latency during the pass.
 * Run: `pnpm exec tsx scripts/benchPgRetention.ts` in apps/watcher.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { migratePg } from '../src/db/pg/openPgDb.js';
import { eventsRetention, hip3SamplesRetention } from '../src/db/pg/queries/retentionTargets.js';
import { runRetention } from '../src/db/pg/queries/runRetention.js';
import { RetentionConfig } from '../src/retention/retentionConfig.js';
import { startPostgres } from '../test/support/startPostgres.js';

const ROWS = 1_000_000;
const COINS = 300;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 7);
const OLD = NOW - 120 * 24 * HOUR; // past every default horizon (eventDays 90)

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0;
const median = (xs: number[]) => quantile(xs, 0.5);

const server = await startPostgres({ durable: process.env.BENCH_PG_FAST !== '1' });
try {
  const url = await server.createDatabase('bench_retention');
  await migratePg({ url });
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => {});
  const q = drizzle({ client: pool });
  const config = RetentionConfig.parse({ batchSize: Number(process.env.BENCH_BATCH ?? 5_000) });
  const perCoin = Math.ceil(ROWS / COINS);
  let t0 = performance.now();
  await pool.query(
    `INSERT INTO hip3_samples (coin, received_at, oracle_px, mark_px, funding, open_interest, day_ntl_vlm, mark_deviation, source)
     SELECT 'dex:C' || c, $1::bigint + i * 1000, '100.5', '100.6', '0.0001', '12345.6', '987654.3', 0.001, 'ctx'
     FROM generate_series(0, $2::int - 1) i CROSS JOIN generate_series(1, $3::int) c
     ORDER BY i, c LIMIT $4`,
    [OLD - perCoin * 1000, perCoin, COINS, ROWS],
  );
  await pool.query(
    `INSERT INTO events (at, kind, subject_type, subject_id, payload_json)
     SELECT $1::bigint + i, 'market.status', 'market', 'dex:C1', '{"to":"degraded","reasons":["oracle-stale"]}'
     FROM generate_series(1, $2::int) i`,
    [OLD - ROWS, ROWS],
  );
  await pool.query('VACUUM (ANALYZE) hip3_samples, events');
  const sizes = await pool.query<{ t: string; n: string }>(
    `SELECT t, pg_total_relation_size(t::regclass) AS n FROM unnest(array['hip3_samples', 'events']) t`,
  );
  for (const r of sizes.rows)
    console.log(
      `${r.t}: ${(Number(r.n) / ROWS).toFixed(0)} bytes per row with indexes (pg_total_relation_size / rows)`,
    );
  console.log(
    `batchSize ${config.batchSize}; loaded ${ROWS} hip3_samples + ${ROWS} events in ${((performance.now() - t0) / 1000).toFixed(1)} s; server ${server.version}, ${process.env.BENCH_PG_FAST === '1' ? 'fsync off' : 'durable settings'}`,
  );

  let tick = 0; // ingestion time goes on across both passes (unique keys)
  for (const target of [hip3SamplesRetention, eventsRetention]) {
    // Rollups are part of a pass, but here the rows are all past the horizon: state says rolled.
    await pool.query(
      `INSERT INTO retention_state (target, rolled_until, last_run_at) VALUES ($1, $2, $2)
       ON CONFLICT (target) DO UPDATE SET rolled_until = excluded.rolled_until`,
      [target.name, Math.floor(NOW / HOUR) * HOUR],
    );
    const statements: number[] = [];
    const inserts: number[] = [];
    const baseline: number[] = [];
    let ingesting = true;
    let sink = baseline; // the first 5 s: ingestion alone, for comparison
    const ingest = (async () => {
      while (ingesting) {
        const at = NOW + tick++ * 1000;
        const values = Array.from(
          { length: COINS },
          (_, c) => `('dex:C${c + 1}', ${at}, '1', '1', '0', '1', '1', 0.001, 'ctx')`,
        );
        const s = performance.now();
        await pool.query(
          `INSERT INTO hip3_samples (coin, received_at, oracle_px, mark_px, funding, open_interest, day_ntl_vlm, mark_deviation, source) VALUES ${values.join(', ')}`,
        );
        sink.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await new Promise((r) => setTimeout(r, 5_000));
    sink = inserts;
    t0 = performance.now();
    const report = await runRetention(q, {
      targets: [target],
      config,
      now: NOW,
      timeBudgetMs: 600_000,
      onDelete: (s) => statements.push(s.ms),
    });
    const total = performance.now() - t0;
    ingesting = false;
    await ingest;
    const r = report.targets[0];
    const left = await pool.query<{ n: string }>(
      `SELECT count(*) || ' (' || coalesce(min(${target.timeColumn}) - $1::bigint, 0) || '..' || coalesce(max(${target.timeColumn}) - $1::bigint, 0) || ' ms from OLD, ' || count(distinct ${target.access.by === 'key' ? target.access.keyColumns[0] : "''"}) || ' keys)' AS n FROM ${target.table} WHERE ${target.timeColumn} < $1`,
      [OLD],
    );
    console.log(`${target.name}: ${left.rows[0]?.n} of the old rows left after the pass`);
    console.log(
      `${target.name} (${target.access.by}): deleted ${r?.prunedRows} rows${r?.capped ? ' (capped)' : ''} in ${statements.length} statements, ${(total / 1000).toFixed(1)} s; delete statement median ${median(statements).toFixed(1)} ms, p99 ${quantile(statements, 0.99).toFixed(1)} ms, longest ${Math.max(...statements).toFixed(1)} ms; 300-row inserts alone (${baseline.length}): median ${median(baseline).toFixed(1)} ms, longest ${Math.max(...baseline).toFixed(1)} ms; during the pass (${inserts.length}): median ${median(inserts).toFixed(1)} ms, p99 ${quantile(inserts, 0.99).toFixed(1)} ms, longest ${Math.max(...inserts).toFixed(1)} ms`,
    );
  }
  await pool.end();
} finally {
  await server.stop();
}
