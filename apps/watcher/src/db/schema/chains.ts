import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The watcher id of a single watcher (SQLite, or PostgreSQL without `cluster`): the default of every
 * `owner` and `observer` column, so rows written before issue 17 and single-watcher rows share it.
 */
export const LOCAL_WATCHER = 'local';

/**
 * Watched chains as configured at the last start of their owner (the registry entry + overrides, as
 * JSON). `owner`: the watcher id whose config holds the chain (sharded mode: one owner per chain;
 * pruning deletes only the pruning watcher's rows).
 */
export const chains = sqliteTable('chains', {
  chainId: integer('chain_id').primaryKey(),
  owner: text('owner').notNull().default(LOCAL_WATCHER),
  key: text('key').notNull(),
  name: text('name').notNull(),
  class: text('class').notNull(),
  blockTimeMs: integer('block_time_ms'),
  /** The resolved `ChainConfig` as JSON. */
  configJson: text('config_json').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * RPC endpoints per chain and their latest health as one observer sees them (one row per chain +
 * observer + position in `rpcUrls`: two watchers in different networks see different health).
 * `url` is stored redacted (`redactUrlSecrets`): the raw URL may carry a provider key and lives only
 * in the config / environment.
 */
export const rpcEndpoints = sqliteTable(
  'rpc_endpoints',
  {
    chainId: integer('chain_id').notNull(),
    /** The watcher id that probes this endpoint ({@link LOCAL_WATCHER} for a single watcher). */
    observer: text('observer').notNull().default(LOCAL_WATCHER),
    url: text('url').notNull(),
    position: integer('position').notNull(),
    /** `healthy | lagging | failing | unknown` */
    health: text('health').notNull().default('unknown'),
    headNumber: integer('head_number'),
    latencyMs: integer('latency_ms'),
    lastOkAt: integer('last_ok_at'),
    lastError: text('last_error'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** Answers rejected by schema (garbage JSON, wrong shapes) since the endpoint was added. */
    malformedResponses: integer('malformed_responses').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.observer, t.position] })],
);

/**
 * Observed blocks. Keyed by chain + number + hash so replays and restarts are idempotent; a reorged-out
 * block keeps its row with `canonical = 0`.
 */
export const blocks = sqliteTable(
  'blocks',
  {
    chainId: integer('chain_id').notNull(),
    number: integer('number').notNull(),
    hash: text('hash').notNull(),
    parentHash: text('parent_hash').notNull(),
    /** Block timestamp, Unix seconds (chain time). */
    timestamp: integer('timestamp').notNull(),
    txCount: integer('tx_count').notNull(),
    /** Watcher wall clock when first seen, ms. */
    seenAt: integer('seen_at').notNull(),
    canonical: integer('canonical', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.number, t.hash] }),
    index('blocks_chain_seen').on(t.chainId, t.seenAt),
  ],
);

/**
 * Current derived state per chain, rewritten on every poll; restart resumes from it (status, since,
 * last head increase on the wall clock, flags, metrics).
 */
export const chainState = sqliteTable('chain_state', {
  chainId: integer('chain_id').primaryKey(),
  status: text('status').notNull(),
  statusSince: integer('status_since').notNull(),
  /** JSON: the status record served by the API (flags, reasons, head, safe, feed, probe, gap stats). */
  stateJson: text('state_json').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Redundant mode (issue 17): each observer's own latest evaluation of a chain, rewritten on every
 * poll of that observer. `chain_state` stays the combined state the API serves
 * (`combineObserverEvaluations` over these rows picks the observer whose record is served).
 */
export const chainObservations = sqliteTable(
  'chain_observations',
  {
    chainId: integer('chain_id').notNull(),
    /** The watcher id that evaluated. */
    observer: text('observer').notNull(),
    /** When it evaluated, ms (the observer's clock). */
    at: integer('at').notNull(),
    /** Its status, `null` when it has no evaluation of the chain yet. */
    status: text('status'),
    /** The head number its endpoints' quorum trusted, `null` when none. */
    headNumber: integer('head_number'),
    /** When that head was first seen, ms (observer's clock), `null` when none. */
    headSeenAt: integer('head_seen_at'),
    /** JSON: the observer's full `ChainStateRecord` (as `chain_state.state_json`). */
    stateJson: text('state_json').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.observer] })],
);

/** Every status change of a chain (append-only). */
export const statusTransitions = sqliteTable(
  'status_transitions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    chainId: integer('chain_id').notNull(),
    at: integer('at').notNull(),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    reasonsJson: text('reasons_json').notNull(),
    flagsJson: text('flags_json').notNull(),
  },
  (t) => [index('status_transitions_chain_at').on(t.chainId, t.at)],
);
