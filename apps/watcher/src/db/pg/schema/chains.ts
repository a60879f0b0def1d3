import { bigint, boolean, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { LOCAL_WATCHER } from '../../schema/chains.js';

// PostgreSQL twin of `src/db/schema/chains.ts` (same tables, columns, keys and indexes; the
// comments there describe the columns). SQLite `integer` becomes `bigint` for times in ms, ids,
// chain ids and block numbers, `integer` for small counts, `boolean` where SQLite stores 0/1.
// `pgSchema.test.ts` compares the two.

export const chains = pgTable('chains', {
  chainId: bigint('chain_id', { mode: 'number' }).primaryKey(),
  owner: text('owner').notNull().default(LOCAL_WATCHER),
  key: text('key').notNull(),
  name: text('name').notNull(),
  class: text('class').notNull(),
  blockTimeMs: integer('block_time_ms'),
  configJson: text('config_json').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const rpcEndpoints = pgTable(
  'rpc_endpoints',
  {
    chainId: bigint('chain_id', { mode: 'number' }).notNull(),
    observer: text('observer').notNull().default(LOCAL_WATCHER),
    url: text('url').notNull(),
    position: integer('position').notNull(),
    health: text('health').notNull().default('unknown'),
    headNumber: bigint('head_number', { mode: 'number' }),
    latencyMs: integer('latency_ms'),
    lastOkAt: bigint('last_ok_at', { mode: 'number' }),
    lastError: text('last_error'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    malformedResponses: integer('malformed_responses').notNull().default(0),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.observer, t.position] })],
);

export const blocks = pgTable(
  'blocks',
  {
    chainId: bigint('chain_id', { mode: 'number' }).notNull(),
    number: bigint('number', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    parentHash: text('parent_hash').notNull(),
    timestamp: bigint('timestamp', { mode: 'number' }).notNull(),
    txCount: integer('tx_count').notNull(),
    seenAt: bigint('seen_at', { mode: 'number' }).notNull(),
    canonical: boolean('canonical').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.number, t.hash] }),
    index('blocks_chain_seen').on(t.chainId, t.seenAt),
  ],
);

export const chainState = pgTable('chain_state', {
  chainId: bigint('chain_id', { mode: 'number' }).primaryKey(),
  status: text('status').notNull(),
  statusSince: bigint('status_since', { mode: 'number' }).notNull(),
  stateJson: text('state_json').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const chainObservations = pgTable(
  'chain_observations',
  {
    chainId: bigint('chain_id', { mode: 'number' }).notNull(),
    observer: text('observer').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    status: text('status'),
    headNumber: bigint('head_number', { mode: 'number' }),
    headSeenAt: bigint('head_seen_at', { mode: 'number' }),
    stateJson: text('state_json').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.observer] })],
);

export const statusTransitions = pgTable(
  'status_transitions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    chainId: bigint('chain_id', { mode: 'number' }).notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    reasonsJson: text('reasons_json').notNull(),
    flagsJson: text('flags_json').notNull(),
  },
  (t) => [index('status_transitions_chain_at').on(t.chainId, t.at)],
);
