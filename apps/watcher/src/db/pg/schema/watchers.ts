import { bigint, integer, pgTable, text } from 'drizzle-orm/pg-core';

// PostgreSQL twin of `src/db/schema/watchers.ts` (see the comments there). Written and read by
// `src/db/pg/queries/watchers.ts`; times are the server's clock in ms.

export const watchers = pgTable('watchers', {
  id: text('id').primaryKey(),
  instance: text('instance').notNull(),
  mode: text('mode').notNull(),
  startedAt: bigint('started_at', { mode: 'number' }).notNull(),
  heartbeatAt: bigint('heartbeat_at', { mode: 'number' }).notNull(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  version: text('version').notNull(),
});
