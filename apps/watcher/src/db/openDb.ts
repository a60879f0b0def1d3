import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';

/** The drizzle handle every query function takes: the database or a transaction on it. */
export type Db = BaseSQLiteDatabase<'sync', Database.RunResult>;

/** An open database: the drizzle handle plus the raw connection (for prepared hot paths and close). */
export type OpenDb = { db: Db; sqlite: Database.Database; close(): void };

/** Folder of the committed SQL migrations (`apps/watcher/drizzle`). */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Opens (creating if needed) the SQLite database, switches it to WAL and applies the committed
 * migrations. `:memory:` gives a private in-memory database (tests).
 *
 * @throws when the file cannot be opened or a migration fails (the CLI exits: the database is unusable).
 * @example const { db, close } = openDb({ path: './data/perpscope.db' });
 */
export function openDb(params: { path: string }): OpenDb {
  if (params.path !== ':memory:') mkdirSync(dirname(params.path), { recursive: true });
  const sqlite = new Database(params.path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable against process crashes (kill -9) in WAL mode; only power loss can drop the tail.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite);
  migrate(db, { migrationsFolder });
  return {
    db,
    sqlite,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
