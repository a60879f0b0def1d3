import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import { LOCAL_WATCHER } from '../../schema/chains.js';

// PostgreSQL twin of `src/db/schema/hip3.ts` (see the comments there). Prices stay decimal strings.

export const hip3Dexes = pgTable('hip3_dexes', {
  name: text('name').primaryKey(),
  fullName: text('full_name').notNull(),
  deployer: text('deployer').notNull(),
  oracleWritersJson: text('oracle_writers_json').notNull(),
  dexIndex: integer('dex_index').notNull(),
  totalOiCapUsd: text('total_oi_cap_usd'),
  firstSeenAt: bigint('first_seen_at', { mode: 'number' }).notNull(),
  lastSeenAt: bigint('last_seen_at', { mode: 'number' }).notNull(),
});

export const hip3Markets = pgTable(
  'hip3_markets',
  {
    coin: text('coin').primaryKey(),
    owner: text('owner').notNull().default(LOCAL_WATCHER),
    dex: text('dex').notNull(),
    metaJson: text('meta_json').notNull(),
    isDelisted: boolean('is_delisted').notNull().default(false),
    status: text('status').notNull(),
    statusSince: bigint('status_since', { mode: 'number' }).notNull(),
    reasonsJson: text('reasons_json').notNull(),
    metricsJson: text('metrics_json').notNull(),
    lastSampleAt: bigint('last_sample_at', { mode: 'number' }),
    firstSeenAt: bigint('first_seen_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('hip3_markets_dex').on(t.dex)],
);

export const hip3Samples = pgTable(
  'hip3_samples',
  {
    coin: text('coin').notNull(),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
    oraclePx: text('oracle_px').notNull(),
    markPx: text('mark_px').notNull(),
    midPx: text('mid_px'),
    funding: text('funding').notNull(),
    premium: text('premium'),
    openInterest: text('open_interest').notNull(),
    dayNtlVlm: text('day_ntl_vlm').notNull(),
    markDeviation: doublePrecision('mark_deviation'),
    source: text('source').notNull(),
  },
  (t) => [primaryKey({ columns: [t.coin, t.receivedAt] })],
);

export const hip3OracleUpdates = pgTable(
  'hip3_oracle_updates',
  {
    coin: text('coin').notNull(),
    source: text('source').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    oraclePx: text('oracle_px'),
    markPx: text('mark_px'),
    intervalMs: bigint('interval_ms', { mode: 'number' }),
    markJump: doublePrecision('mark_jump'),
    txHash: text('tx_hash').notNull().default(''),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.coin, t.source, t.at, t.txHash] })],
);

export const hip3StatusTransitions = pgTable(
  'hip3_status_transitions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    coin: text('coin').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    reasonsJson: text('reasons_json').notNull(),
  },
  (t) => [index('hip3_transitions_coin_at').on(t.coin, t.at)],
);

export const hip3StreamGaps = pgTable(
  'hip3_stream_gaps',
  {
    fromAt: bigint('from_at', { mode: 'number' }).notNull(),
    toAt: bigint('to_at', { mode: 'number' }).notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fromAt, t.reason] })],
);
