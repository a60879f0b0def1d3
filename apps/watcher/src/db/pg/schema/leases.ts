import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * PostgreSQL only (a single SQLite writer needs no lease): one row per duty that exactly one
 * watcher may perform at a time (`alerts`: incident transitions and alert delivery). Times are the
 * database server's clock, so watchers on different hosts never compare their own clocks. `epoch`
 * grows on every change of holder and fences a holder that lost the lease without noticing
 * (`src/db/pg/pgLease.ts`).
 */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  /** The holding process (`<watcher id>/<random>`, unique per start). */
  holder: text('holder').notNull(),
  /** 1 for the first holder, +1 at every takeover; renewals keep it. */
  epoch: bigint('epoch', { mode: 'number' }).notNull(),
  acquiredAt: timestamp('acquired_at', { withTimezone: true, mode: 'date' }).notNull(),
  renewedAt: timestamp('renewed_at', { withTimezone: true, mode: 'date' }).notNull(),
  /** The lease is free from this instant on (another process may take it over). */
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});
