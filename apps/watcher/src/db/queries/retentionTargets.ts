import { FOLD_ORACLE_UPDATES_SQL, ORACLE_FOLD_SPAN_MS } from './hip3.js';
import type { RetentionTarget } from './runRetention.js';

/**
 * Sequencer blocks (`blocks`, stamped `seen_at` with the watcher's clock): hourly block-gap
 * statistics (wall-clock seconds between consecutive canonical heads, what the status page charts)
 * and transactions per block.
 *
 * A gap belongs to the hour of the block that ends it. The window's first block per chain gets its
 * gap from the canonical block before it (`look_back`), found through the primary-key index
 * (chain_id, number) — one indexed probe per chain, not a scan — so a halt that spans an hour
 * boundary (or the start of the re-rolled window) still shows in that hour's rollup.
 */
export const blocksRetention: RetentionTarget = {
  name: 'blocks',
  table: 'blocks',
  timeColumn: 'seen_at',
  horizon: 'raw',
  rollups: [
    `WITH win AS (
       SELECT chain_id, number, seen_at FROM blocks
       WHERE rowid BETWEEN :fromRowid AND :toRowid AND seen_at >= :from AND seen_at < :to AND canonical = 1),
     look_back AS (
       SELECT f.chain_id,
         (SELECT b.seen_at FROM blocks b
          WHERE b.chain_id = f.chain_id AND b.number < f.first AND b.canonical = 1
          ORDER BY b.number DESC LIMIT 1) AS seen_at
       FROM (SELECT chain_id, min(number) AS first FROM win GROUP BY chain_id) f),
     gaps AS (
       SELECT chain_id, seen_at, in_win,
         (seen_at - LAG(seen_at) OVER (PARTITION BY chain_id ORDER BY in_win, number)) / 1000.0 AS gap
       FROM (SELECT chain_id, number, seen_at, 1 AS in_win FROM win
             UNION ALL
             SELECT chain_id, NULL, seen_at, 0 FROM look_back WHERE seen_at IS NOT NULL))
     SELECT 'chain', CAST(chain_id AS TEXT), 'block_gap_seconds', (seen_at / 3600000) * 3600000 AS hour,
       count(*), min(gap), max(gap), sum(gap)
     FROM gaps WHERE in_win = 1 AND gap IS NOT NULL GROUP BY chain_id, hour`,
    `SELECT 'chain', CAST(chain_id AS TEXT), 'txs_per_block', (seen_at / 3600000) * 3600000 AS hour,
       count(*), min(tx_count), max(tx_count), sum(tx_count)
     FROM blocks
     WHERE rowid BETWEEN :fromRowid AND :toRowid AND seen_at >= :from AND seen_at < :to AND canonical = 1
     GROUP BY chain_id, hour`,
  ],
};

/** The event log: pruned after `eventDays`; incidents themselves are kept. */
export const eventsRetention: RetentionTarget = {
  name: 'events',
  table: 'events',
  timeColumn: 'at',
  horizon: 'event',
  rollups: [],
};

/** HIP-3 ctx samples (`received_at`): hourly |mark − oracle| / oracle per market. */
export const hip3SamplesRetention: RetentionTarget = {
  name: 'hip3_samples',
  table: 'hip3_samples',
  timeColumn: 'received_at',
  horizon: 'raw',
  rollups: [
    `SELECT 'market', coin, 'mark_oracle_deviation_abs', (received_at / 3600000) * 3600000 AS hour,
       count(*), min(abs(mark_deviation)), max(abs(mark_deviation)), sum(abs(mark_deviation))
     FROM hip3_samples
     WHERE rowid BETWEEN :fromRowid AND :toRowid AND received_at >= :from AND received_at < :to
       AND mark_deviation IS NOT NULL
     GROUP BY coin, hour`,
  ],
};

/**
 * HIP-3 oracle updates (`at`): hourly distribution of the observed update interval per market.
 * The not yet folded `hip3_oracle_updates_recent` is folded in first, so the hours rolled up are
 * complete; a fold appends in market order, so rowids stray from time order by up to what one fold
 * spans (30 s of updates plus the explorer history staged with them, 60 s at the default poll
 * interval), which the rollups' rowid range allows for (`disorderMs`, 120 s).
 */
export const hip3OracleUpdatesRetention: RetentionTarget = {
  name: 'hip3_oracle_updates',
  table: 'hip3_oracle_updates',
  timeColumn: 'at',
  horizon: 'raw',
  before: FOLD_ORACLE_UPDATES_SQL,
  disorderMs: 4 * ORACLE_FOLD_SPAN_MS,
  rollups: [
    `SELECT 'market', coin, 'oracle_update_interval_seconds', (at / 3600000) * 3600000 AS hour,
       count(*), min(interval_ms / 1000.0), max(interval_ms / 1000.0), sum(interval_ms / 1000.0)
     FROM hip3_oracle_updates
     WHERE rowid BETWEEN :fromRowid AND :toRowid AND at >= :from AND at < :to
       AND source = 'ctx' AND interval_ms IS NOT NULL
     GROUP BY coin, hour`,
  ],
};

/** Every raw table the watcher knows; targets whose table does not exist are skipped. */
export const defaultRetentionTargets: readonly RetentionTarget[] = [
  blocksRetention,
  hip3SamplesRetention,
  hip3OracleUpdatesRetention,
  eventsRetention,
];
