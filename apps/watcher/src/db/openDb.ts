import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { WatcherError } from '../errors.js';

/** The drizzle handle every query function takes: the database or a transaction on it. */
export type Db = BaseSQLiteDatabase<'sync', Database.RunResult>;

/** An open database: the drizzle handle plus the raw connection (for prepared hot paths and close). */
export type OpenDb = { db: Db; sqlite: Database.Database; close(): void };

/** Folder of the committed SQL migrations (`apps/watcher/drizzle`). */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Owner read/write only: the database holds incident history, alert payloads and stored config. */
export const DB_FILE_MODE = 0o600;

/**
 * Creates `path` empty with {@link DB_FILE_MODE} (or tightens an existing file and its `-wal`/`-shm`),
 * so SQLite — which gives its WAL and shared-memory files the database file's mode — never leaves a
 * world-readable copy. Backups call it for their target too.
 */
export function restrictDbFileModes(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', DB_FILE_MODE));
  for (const p of [path, `${path}-wal`, `${path}-shm`])
    if (existsSync(p)) chmodSync(p, DB_FILE_MODE);
}

/**
 * The database failed `PRAGMA quick_check` at start (a corrupted page): the watcher refuses to serve
 * from it. The message says how to recover (restore a backup, or move the file aside).
 */
export class DatabaseCorruptError extends WatcherError {
  override name = 'Watcher.DatabaseCorruptError';
  /** The first problems `quick_check` reported. */
  readonly problems: readonly string[];
  constructor(path: string, problems: readonly string[]) {
    super(
      `database ${path} failed its integrity check (PRAGMA quick_check: ${problems.join('; ')}). ` +
        'The watcher will not serve from a corrupted database. To recover: stop every watcher on it, ' +
        `move ${path} and its -wal/-shm files aside, then copy your latest backup (made with ` +
        `\`perpscope-watcher backup --to FILE\`) to ${path}, or start without one to begin an empty ` +
        'history. The sqlite3 shell can salvage what is readable: `sqlite3 BROKEN.db .recover | sqlite3 salvaged.db`.',
    );
    this.problems = problems;
  }
}

/** Runs `PRAGMA quick_check` (every page and index entry read once; O(file size)). */
function quickCheck(sqlite: Database.Database, path: string): void {
  let rows: string[];
  try {
    rows = (sqlite.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (error) {
    // A header or schema page so broken that the check cannot even start (SQLITE_CORRUPT/NOTADB).
    throw new DatabaseCorruptError(path, [(error as Error).message]);
  }
  if (rows.length !== 1 || rows[0] !== 'ok') throw new DatabaseCorruptError(path, rows);
}

/**
 * Opens (creating if needed, mode 0600) the SQLite database, checks its integrity
 * (`PRAGMA quick_check`), switches it to WAL and applies the committed migrations. `:memory:` gives
 * a private in-memory database (tests).
 *
 * @throws {DatabaseCorruptError} when `quick_check` finds a corrupted page.
 * @throws when the file cannot be opened or a migration fails (the CLI exits: the database is unusable).
 * @example const { db, close } = openDb({ path: './data/perpscope.db' });
 */
export function openDb(params: { path: string }): OpenDb {
  if (params.path !== ':memory:') {
    mkdirSync(dirname(params.path), { recursive: true, mode: 0o700 });
    restrictDbFileModes(params.path);
  }
  const sqlite = new Database(params.path);
  try {
    quickCheck(sqlite, params.path);
  } catch (error) {
    sqlite.close();
    throw error;
  }
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
