import { distinctKeysSql, type PgRetentionTarget } from './runRetention.js';

/**
 * PostgreSQL twins of `src/db/queries/retentionTargets.ts`: the same targets (names, tables, time
 * columns, horizons, rollup metrics), with rollup SELECTs that read the window `$1 <= time < $2`
 * subject by subject through each table's `(subject, time)` index instead of a `rowid` range.
 * `OFFSET 0` keeps each per-subject subquery a parameterized index scan (the planner may not
 * flatten it into a join that scans the table).
 */

/**
 * Sequencer blocks: hourly block-gap statistics (a gap belongs to the hour of the block that ends
 * it; the window's first block per chain takes its gap from the canonical block before it, one
 * backward probe of the primary key per chain) and transactions per block. Reached per chain
 * through `blocks_chain_seen (chain_id, seen_at)`.
 */
export const blocksRetention: PgRetentionTarget = {
  name: 'blocks',
  table: 'blocks',
  timeColumn: 'seen_at',
  horizon: 'raw',
  access: { by: 'key', keyColumns: ['chain_id'] },
  rollups: [
    `WITH RECURSIVE keys AS (${distinctKeysSql('blocks', ['chain_id'])}),
     win AS (
       SELECT w.chain_id, w.number, w.seen_at FROM keys k CROSS JOIN LATERAL (
         SELECT chain_id, number, seen_at FROM blocks b
         WHERE b.chain_id = k.chain_id AND b.seen_at >= $1 AND b.seen_at < $2 AND b.canonical
         OFFSET 0) w),
     look_back AS (
       SELECT f.chain_id,
         (SELECT b.seen_at FROM blocks b
          WHERE b.chain_id = f.chain_id AND b.number < f.first AND b.canonical
          ORDER BY b.number DESC LIMIT 1) AS seen_at
       FROM (SELECT chain_id, min(number) AS first FROM win GROUP BY chain_id) f),
     gaps AS (
       SELECT chain_id, seen_at, in_win,
         (seen_at - LAG(seen_at) OVER (PARTITION BY chain_id ORDER BY in_win, number)) / 1000.0 AS gap
       FROM (SELECT chain_id, number, seen_at, 1 AS in_win FROM win
             UNION ALL
             SELECT chain_id, NULL, seen_at, 0 FROM look_back WHERE seen_at IS NOT NULL) u)
     SELECT 'chain'::text, chain_id::text, 'block_gap_seconds'::text,
       (seen_at / 3600000) * 3600000 AS hour, count(*), min(gap), max(gap), sum(gap)
     FROM gaps WHERE in_win = 1 AND gap IS NOT NULL GROUP BY chain_id, hour`,
    `WITH RECURSIVE keys AS (${distinctKeysSql('blocks', ['chain_id'])})
     SELECT 'chain'::text, w.chain_id::text, 'txs_per_block'::text,
       (w.seen_at / 3600000) * 3600000 AS hour,
       count(*), min(w.tx_count), max(w.tx_count), sum(w.tx_count)
     FROM keys k CROSS JOIN LATERAL (
       SELECT chain_id, seen_at, tx_count FROM blocks b
       WHERE b.chain_id = k.chain_id AND b.seen_at >= $1 AND b.seen_at < $2 AND b.canonical
       OFFSET 0) w
     GROUP BY w.chain_id, hour`,
  ],
};

/** The event log: pruned after `eventDays` by identity-id range; incidents themselves are kept. */
export const eventsRetention: PgRetentionTarget = {
  name: 'events',
  table: 'events',
  timeColumn: 'at',
  horizon: 'event',
  access: { by: 'id', idColumn: 'id' },
  rollups: [],
};

/** HIP-3 ctx samples: hourly |mark − oracle| / oracle per market; reached per coin via the primary key. */
export const hip3SamplesRetention: PgRetentionTarget = {
  name: 'hip3_samples',
  table: 'hip3_samples',
  timeColumn: 'received_at',
  horizon: 'raw',
  access: { by: 'key', keyColumns: ['coin'] },
  rollups: [
    `WITH RECURSIVE keys AS (${distinctKeysSql('hip3_samples', ['coin'])})
     SELECT 'market'::text, s.coin, 'mark_oracle_deviation_abs'::text,
       (s.received_at / 3600000) * 3600000 AS hour,
       count(*), min(abs(s.mark_deviation)), max(abs(s.mark_deviation)), sum(abs(s.mark_deviation))
     FROM keys k CROSS JOIN LATERAL (
       SELECT coin, received_at, mark_deviation FROM hip3_samples x
       WHERE x.coin = k.coin AND x.received_at >= $1 AND x.received_at < $2
         AND x.mark_deviation IS NOT NULL
       OFFSET 0) s
     GROUP BY s.coin, hour`,
  ],
};

/**
 * HIP-3 oracle updates: hourly distribution of the observed update interval per market (`ctx`
 * source); reached per (coin, source) via the primary key `(coin, source, at, tx_hash)`.
 */
export const hip3OracleUpdatesRetention: PgRetentionTarget = {
  name: 'hip3_oracle_updates',
  table: 'hip3_oracle_updates',
  timeColumn: 'at',
  horizon: 'raw',
  access: { by: 'key', keyColumns: ['coin', 'source'] },
  rollups: [
    `WITH RECURSIVE keys AS (${distinctKeysSql('hip3_oracle_updates', ['coin'])})
     SELECT 'market'::text, u.coin, 'oracle_update_interval_seconds'::text,
       (u.at / 3600000) * 3600000 AS hour,
       count(*), min(u.interval_ms / 1000.0), max(u.interval_ms / 1000.0), sum(u.interval_ms / 1000.0)
     FROM keys k CROSS JOIN LATERAL (
       SELECT coin, at, interval_ms FROM hip3_oracle_updates x
       WHERE x.coin = k.coin AND x.source = 'ctx' AND x.at >= $1 AND x.at < $2
         AND x.interval_ms IS NOT NULL
       OFFSET 0) u
     GROUP BY u.coin, hour`,
  ],
};

/** Every raw table the watcher knows, in the SQLite order; targets whose table does not exist are skipped. */
export const defaultRetentionTargets: readonly PgRetentionTarget[] = [
  blocksRetention,
  hip3SamplesRetention,
  hip3OracleUpdatesRetention,
  eventsRetention,
];
