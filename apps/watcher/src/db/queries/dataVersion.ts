import { sql } from 'drizzle-orm';
import type { Db } from '../openDb.js';

/**
 * A token that changes whenever the database may have changed: rows written through this
 * connection (`total_changes()`) or a commit by another connection (`PRAGMA data_version`). Equal
 * tokens mean no committed change in between, so a response derived from the data may be reused.
 * Costs a few microseconds (no table is read).
 *
 * @example if (dataVersion(db) === cached.version) return cached.bytes;
 */
export function dataVersion(db: Db): string {
  const row = db.get<{ c: number; v: number }>(
    sql`select total_changes() as c, (select data_version from pragma_data_version) as v`,
  );
  return `${row.c}:${row.v}`;
}
