import { bigint, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { LOCAL_WATCHER } from '../../schema/chains.js';

// PostgreSQL twin of `src/db/schema/positions.ts` (see the comments there).

export const guardedAccounts = pgTable('guarded_accounts', {
  addressHash: text('address_hash').primaryKey(),
  owner: text('owner').notNull().default(LOCAL_WATCHER),
  label: text('label').notNull(),
  mode: text('mode'),
  status: text('status').notNull(),
  reason: text('reason'),
  lastSuccessAt: bigint('last_success_at', { mode: 'number' }),
  lastAttemptAt: bigint('last_attempt_at', { mode: 'number' }),
  fillsCheckedTo: bigint('fills_checked_to', { mode: 'number' }),
  stateJson: text('state_json').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const guardedPositions = pgTable(
  'guarded_positions',
  {
    addressHash: text('address_hash').notNull(),
    coin: text('coin').notNull(),
    dex: text('dex').notNull(),
    level: text('level').notNull(),
    knownLevel: text('known_level').notNull(),
    baseLevel: text('base_level').notNull(),
    episodeId: text('episode_id'),
    stateJson: text('state_json').notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.addressHash, t.coin] })],
);

export const guardedLiquidations = pgTable(
  'guarded_liquidations',
  {
    addressHash: text('address_hash').notNull(),
    tid: text('tid').notNull(),
    coin: text('coin').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    fillJson: text('fill_json').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.addressHash, t.tid] }),
    index('guarded_liquidations_at').on(t.addressHash, t.at),
  ],
);
