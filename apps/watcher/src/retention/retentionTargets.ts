import type { RetentionTarget } from './runRetention.js';

/**
 * Sequencer blocks (`blocks`, stamped `seen_at` with the watcher's clock): hourly block-gap
 * statistics (wall-clock seconds between consecutive canonical heads, what the status page charts)
 * and transactions per block.
 */
export const blocksRetention: RetentionTarget = {
  name: 'blocks',
  table: 'blocks',
  timeColumn: 'seen_at',
  horizon: 'raw',
  rollups: [
    `SELECT 'chain', CAST(chain_id AS TEXT), 'block_gap_seconds', (seen_at / 3600000) * 3600000 AS hour,
       count(*), min(gap), max(gap), sum(gap)
     FROM (SELECT chain_id, seen_at,
             (seen_at - LAG(seen_at) OVER (PARTITION BY chain_id ORDER BY number)) / 1000.0 AS gap
           FROM blocks
           WHERE rowid BETWEEN :fromRowid AND :toRowid AND seen_at >= :from AND seen_at < :to AND canonical = 1)
     WHERE gap IS NOT NULL GROUP BY chain_id, hour`,
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
