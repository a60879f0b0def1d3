import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The watcher processes sharing this database (issue 17, ARCHITECTURE.md "Several watchers"): one
 * row per watcher id, refreshed by its heartbeat. Only used on PostgreSQL
 * (`src/db/pg/watcherRegistry.ts`); a SQLite file belongs to one process, the table is here so
 * both schemas stay twins (`src/db/pg/pgSchema.test.ts`).
 */
export const watchers = sqliteTable('watchers', {
  /** `cluster.id`: stable across restarts; owner/observer columns carry it. */
  id: text('id').primaryKey(),
  /** Random per process start: tells a restart of the same id from a second live process. */
  instance: text('instance').notNull(),
  /** `sharded | redundant` (`src/config/clusterConfig.ts`). */
  mode: text('mode').notNull(),
  /** Ms since the epoch, on the database server's clock. */
  startedAt: integer('started_at').notNull(),
  /** Last heartbeat, ms since the epoch on the database server's clock. */
  heartbeatAt: integer('heartbeat_at').notNull(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  /** The watcher's version (`package.json`). */
  version: text('version').notNull(),
});
