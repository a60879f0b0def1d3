import type { DbSizeReport } from '../../queries/dbSizeReport.js';
import type { PgDb } from '../openPgDb.js';

/**
 * PostgreSQL twins of `src/db/queries/dbSizeReport.ts` (issue 17), same {@link DbSizeReport} shape.
 * What the fields mean on PostgreSQL:
 * - `databaseBytes`: `pg_database_size(current_database())` (every file of the database);
 * - `freeBytes`: 0 — free space inside PostgreSQL's files is not measurable without the
 *   `pgstattuple` extension; pruned rows become reusable space after (auto)vacuum, and the files do
 *   not shrink (only `VACUUM FULL`, which locks the table, gives it back);
 * - `walBytes`: 0 — the WAL belongs to the whole server, not to one database, and listing it needs
 *   the `pg_monitor` role;
 * - `objects`: every table of the current schema with `pg_total_relation_size` (table + its indexes
 *   + TOAST), largest first — not one entry per index as SQLite's `dbstat` gives.
 */

/**
 * Measures the database (twin of the SQLite `dbSizeReport`; see the file's TSDoc for the fields).
 *
 * @example const report = await dbSizeReport(db); console.log(report.databaseBytes);
 */
export async function dbSizeReport(q: PgDb): Promise<DbSizeReport> {
  const c = q.$client;
  const db = await c.query<{ bytes: string }>(
    'SELECT pg_database_size(current_database()) AS bytes',
  );
  const objects = await c.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes
     FROM pg_class c
     WHERE c.relkind IN ('r', 'p', 'm') AND c.relnamespace = current_schema()::regnamespace
     ORDER BY bytes DESC, name`,
  );
  return {
    databaseBytes: Number(db.rows[0]?.bytes ?? 0),
    freeBytes: 0,
    walBytes: 0,
    objects: objects.rows.map((r) => ({ name: r.name, bytes: Number(r.bytes) })),
  };
}

/**
 * Twin of the SQLite `vacuumDatabase`: `VACUUM (ANALYZE)` of every table of the current schema, one
 * statement per table (each takes only a lock that lets reads and writes go on). Unlike SQLite's
 * `VACUUM` it does not rewrite the files: dead rows become reusable space (what autovacuum also
 * does on its own schedule) and only empty pages at a table's end are returned to the OS, so
 * `after.databaseBytes` can equal `before.databaseBytes`. `VACUUM FULL` is not run (it locks each
 * table for the rewrite).
 *
 * @returns the size report before and after, and the tables vacuumed.
 * @throws when `q` is inside a transaction (`VACUUM` cannot run in one).
 */
export async function vacuumDatabase(
  q: PgDb,
): Promise<{ before: DbSizeReport; after: DbSizeReport; vacuumed: string[] }> {
  const c = q.$client;
  const before = await dbSizeReport(q);
  const tables = await c.query<{ name: string }>(
    `SELECT quote_ident(c.relname) AS name FROM pg_class c
     WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace ORDER BY c.relname`,
  );
  const vacuumed: string[] = [];
  for (const { name } of tables.rows) {
    await c.query(`VACUUM (ANALYZE) ${name}`);
    vacuumed.push(name);
  }
  return { before, after: await dbSizeReport(q), vacuumed };
}
