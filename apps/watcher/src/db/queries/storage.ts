import { sql } from 'drizzle-orm';
import type { Db } from '../openDb.js';

/** Whether the database answers a trivial query (`/readyz`); false when it throws. */
export function databaseAnswers(db: Db): boolean {
  try {
    return db.get<{ one: number }>(sql`select 1 as one`)?.one === 1;
  } catch {
    return false;
  }
}

/** Pages × page size of the main database file, in bytes. */
export function databaseSizeBytes(db: Db): number | null {
  return (
    db.get<{ bytes: number }>(
      sql`SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()`,
    )?.bytes ?? null
  );
}

/**
 * The largest rowid of a table (rows ever inserted, for rowid tables that never reuse ids), 0 when
 * empty. `table` is a name from the caller's constant list, never user input.
 *
 * @throws when the table does not exist (its subject was never enabled).
 */
export function maxRowid(db: Db, table: string): number {
  return db.get<{ n: number | null }>(sql.raw(`SELECT max(rowid) AS n FROM ${table}`))?.n ?? 0;
}
