import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { LOCAL_WATCHER } from './chains.js';

/**
 * The position guard's state (SPEC §3.4). Accounts are keyed by a hash of the address — the
 * address itself (personal data) lives only in the config. Written only by
 * `subjects/positions/recordPositionChanges.ts`; persisted every poll, so a restart resumes levels,
 * episodes and the fill cursor without repeating alerts.
 */
export const guardedAccounts = sqliteTable('guarded_accounts', {
  /** First 16 hex digits of sha256(lowercase address). */
  addressHash: text('address_hash').primaryKey(),
  /** The watcher id whose config guards the account (pruning deletes only its own). */
  owner: text('owner').notNull().default(LOCAL_WATCHER),
  label: text('label').notNull(),
  /** `userAbstraction` answer, `null` until read. */
  mode: text('mode'),
  /** `ok` | `unknown` (last read failed or too old) | `not-computable` (account mode). */
  status: text('status').notNull(),
  /** Why the account is `unknown` / `not-computable`. */
  reason: text('reason'),
  lastSuccessAt: integer('last_success_at'),
  lastAttemptAt: integer('last_attempt_at'),
  /** Fills up to this time (ms) were checked for liquidations. */
  fillsCheckedTo: integer('fills_checked_to'),
  /** JSON: balances summary and the dexes with positions. */
  stateJson: text('state_json').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** One open position of a guarded account, as last evaluated. */
export const guardedPositions = sqliteTable(
  'guarded_positions',
  {
    addressHash: text('address_hash').notNull(),
    /** HL coin, prefixed for HIP-3 (`xyz:TSLA`). */
    coin: text('coin').notNull(),
    dex: text('dex').notNull(),
    /** Presented level: `ok | warn | critical | unknown`. */
    level: text('level').notNull(),
    /** Last level judged on current data (`ok | warn | critical`): alerts fire on its changes. */
    knownLevel: text('known_level').notNull(),
    /** Distance-only level of the last evaluation (hysteresis). */
    baseLevel: text('base_level').notNull(),
    /** Id of the open warn/critical episode (its alerts share it), `null` while `ok`. */
    episodeId: text('episode_id'),
    /** JSON: the presented position (size, mark, liquidation prices, distance, reasons...). */
    stateJson: text('state_json').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.addressHash, t.coin] })],
);

/** Liquidation fills seen for guarded accounts (`tid` unique per fill): alerted once each. */
export const guardedLiquidations = sqliteTable(
  'guarded_liquidations',
  {
    addressHash: text('address_hash').notNull(),
    tid: text('tid').notNull(),
    coin: text('coin').notNull(),
    at: integer('at').notNull(),
    /** JSON: the fill (px, sz, side, closedPnl, liquidation markPx/method). */
    fillJson: text('fill_json').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.addressHash, t.tid] }),
    index('guarded_liquidations_at').on(t.addressHash, t.at),
  ],
);
