import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { OpenDb } from './openDb.js';

/** Page cache of the writer connection, KiB. */
const WRITER_CACHE_KIB = 8_192;

/**
 * A second connection to a database `openDb` already opened, checked and migrated (the ingestion
 * worker's): the same pragmas — WAL, `synchronous = NORMAL`, a busy timeout so the two threads'
 * short write transactions wait for each other — without repeating the integrity check or the
 * migrations.
 *
 * @throws when the file does not exist (it must have been opened by `openDb` first).
 */
export function openWriterConnection(path: string): OpenDb {
  const sqlite = new Database(path, { fileMustExist: true });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  // Half of better-sqlite3's 16 MB page cache: this connection only appends and updates recent
  // rows (a small hot set), and every connection's cache counts against the RSS budget (SPEC §6).
  sqlite.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  return {
    db: drizzle(sqlite),
    sqlite,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
