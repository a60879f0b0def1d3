import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { LOCAL_WATCHER } from './chains.js';

/** HIP-3 dexes as discovered from `perpDexs` (refreshed). Times are watcher-clock ms. */
export const hip3Dexes = sqliteTable('hip3_dexes', {
  name: text('name').primaryKey(),
  fullName: text('full_name').notNull(),
  deployer: text('deployer').notNull(),
  /** JSON array: `oracleUpdater` ∪ `subDeployers["setOracle"]`, lower-case. */
  oracleWritersJson: text('oracle_writers_json').notNull(),
  dexIndex: integer('dex_index').notNull(),
  totalOiCapUsd: text('total_oi_cap_usd'),
  firstSeenAt: integer('first_seen_at').notNull(),
  lastSeenAt: integer('last_seen_at').notNull(),
});

/**
 * Markets per dex with their current derived status (rewritten at each evaluation that changes
 * something): restart resumes from it, so open incidents and status-since survive `kill -9`.
 */
export const hip3Markets = sqliteTable(
  'hip3_markets',
  {
    coin: text('coin').primaryKey(),
    /** The watcher id that registered the market last (sharded mode: the one watching it). */
    owner: text('owner').notNull().default(LOCAL_WATCHER),
    dex: text('dex').notNull(),
    /** The `meta.universe` entry as JSON. */
    metaJson: text('meta_json').notNull(),
    isDelisted: integer('is_delisted', { mode: 'boolean' }).notNull().default(false),
    status: text('status').notNull(),
    statusSince: integer('status_since').notNull(),
    reasonsJson: text('reasons_json').notNull(),
    /** Latest `Hip3MarketMetrics` as JSON. */
    metricsJson: text('metrics_json').notNull(),
    lastSampleAt: integer('last_sample_at'),
    firstSeenAt: integer('first_seen_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('hip3_markets_dex').on(t.dex)],
);

/**
 * Raw ctx samples, stored only when they differ from the previous sample of the market. Keyed by
 * receive time + market, so a replayed batch after a crash or reconnect is a no-op.
 *
 * Time first, not market first: a tick stores one sample of every market that moved, and SQLite's
 * WAL writes whole pages. With `(coin, received_at)` every market's newest index entries sat on a
 * leaf of their own, so each tick dirtied one index page per market (3,000 markets: ~12 MB of WAL
 * per tick, written again by the checkpoint); time-first keys append to the right edge (~110 pages
 * per tick). Nothing reads samples by market on a hot path (retention reads rowid ranges; the
 * per-market readers serve tests). The PostgreSQL twin keeps `(coin, received_at)`:
 * its WAL logs rows, not pages, and its retention reaches samples per market through that key.
 */
export const hip3Samples = sqliteTable(
  'hip3_samples',
  {
    coin: text('coin').notNull(),
    receivedAt: integer('received_at').notNull(),
    oraclePx: text('oracle_px').notNull(),
    markPx: text('mark_px').notNull(),
    midPx: text('mid_px'),
    funding: text('funding').notNull(),
    premium: text('premium'),
    openInterest: text('open_interest').notNull(),
    dayNtlVlm: text('day_ntl_vlm').notNull(),
    /** `(mark − oracle)/oracle`. */
    markDeviation: real('mark_deviation'),
    /** `rest` or `ws`. */
    source: text('source').notNull(),
  },
  (t) => [primaryKey({ columns: [t.receivedAt, t.coin] })],
);

const oracleUpdateColumns = {
  coin: text('coin').notNull(),
  source: text('source').notNull(),
  at: integer('at').notNull(),
  oraclePx: text('oracle_px'),
  markPx: text('mark_px'),
  intervalMs: integer('interval_ms'),
  markJump: real('mark_jump'),
  txHash: text('tx_hash').notNull().default(''),
  error: text('error'),
};

/**
 * Oracle updates per market: `ctx` = observed `oraclePx` change (receive time); `explorer` = a
 * `setOracle` action of a dex oracle writer (block time, may have failed). Read per market, newest
 * first (the API's pages), so keyed market first. Ingestion writes the newest ones to
 * {@link hip3OracleUpdatesRecent}, folded in here every ~30 ticks.
 */
export const hip3OracleUpdates = sqliteTable('hip3_oracle_updates', oracleUpdateColumns, (t) => [
  primaryKey({ columns: [t.coin, t.source, t.at, t.txHash] }),
]);

/**
 * The newest oracle updates (SQLite only), keyed time first; readers see the union with
 * {@link hip3OracleUpdates}. Why a second table: SQLite's WAL writes whole pages, and with the
 * market-first key every market's newest entries sit on a leaf of their own, so a tick in which a
 * third of 3,000 markets moved their oracle wrote ~1,150 pages (4.5 MB) — the largest write of a
 * tick. Here a tick appends to one edge; the fold (`INSERT … SELECT` in key order, then `DELETE`,
 * one transaction) writes each market's leaf once per ~10 updates instead of once per update. Both
 * are committed rows, so a crash loses nothing. PostgreSQL logs rows, not pages: it has no such
 * table and writes `hip3_oracle_updates` directly.
 */
export const hip3OracleUpdatesRecent = sqliteTable(
  'hip3_oracle_updates_recent',
  oracleUpdateColumns,
  (t) => [primaryKey({ columns: [t.at, t.coin, t.source, t.txHash] })],
);

/** Every status change of a market (append-only). */
export const hip3StatusTransitions = sqliteTable(
  'hip3_status_transitions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    coin: text('coin').notNull(),
    at: integer('at').notNull(),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    reasonsJson: text('reasons_json').notNull(),
  },
  (t) => [index('hip3_transitions_coin_at').on(t.coin, t.at)],
);

/** Stream gaps (WebSocket down or silent) with their bounds. */
export const hip3StreamGaps = sqliteTable(
  'hip3_stream_gaps',
  {
    fromAt: integer('from_at').notNull(),
    toAt: integer('to_at').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fromAt, t.reason] })],
);
