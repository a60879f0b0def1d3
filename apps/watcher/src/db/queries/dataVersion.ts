import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { Db } from '../openDb.js';

const SQL = 'select total_changes() as c, (select data_version from pragma_data_version) as v';

/** One compiled statement per connection: routes call {@link dataVersion} on every request. */
const statements = new WeakMap<
  Database.Database,
  Database.Statement<[], { c: number; v: number }>
>();

/**
 * A token that changes whenever the database may have changed: rows written through this
 * connection (`total_changes()`) or a commit by another connection (`PRAGMA data_version`). Equal
 * tokens mean no committed change in between, so a response derived from the data may be reused.
 * Costs about a microsecond on the database handle (no table is read; the statement is compiled
 * once per connection — building and compiling it per call cost ~0.5 ms under load and was the
 * largest single cost of a cached `/v1/chains` answer).
 *
 * @example if (dataVersion(db) === cached.version) return cached.bytes;
 */
export function dataVersion(db: Db): string {
  const client = (db as unknown as { $client?: Database.Database }).$client;
  if (client === undefined) {
    // A transaction handle has no `$client`: compile per call (rare; routes pass the database).
    const row = db.get<{ c: number; v: number }>(sql.raw(SQL));
    return `${row.c}:${row.v}`;
  }
  let stmt = statements.get(client);
  if (!stmt) {
    stmt = client.prepare<[], { c: number; v: number }>(SQL);
    statements.set(client, stmt);
  }
  const row = stmt.get() as { c: number; v: number };
  return `${row.c}:${row.v}`;
}
