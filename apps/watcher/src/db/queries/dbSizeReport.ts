import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** Where the bytes of the database are. */
export type DbSizeReport = {
  /** Pages in the main file × page size (what the file holds, including free pages). */
  databaseBytes: number;
  /** Free pages: space SQLite reuses before growing the file; VACUUM returns it to the OS. */
  freeBytes: number;
  /** Size of the `-wal` file, when the database is a file in WAL mode. */
  walBytes: number;
  /** Bytes per table and index (from the `dbstat` virtual table), largest first. */
  objects: Array<{ name: string; bytes: number }>;
};

/**
 * Measures the database: file, free pages, WAL and per-table/index sizes.
 *
 * @example const report = dbSizeReport(sqlite); console.log(report.databaseBytes);
 */
export function dbSizeReport(sqlite: Database.Database): DbSizeReport {
  const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
  const pageCount = sqlite.pragma('page_count', { simple: true }) as number;
  const freePages = sqlite.pragma('freelist_count', { simple: true }) as number;
  let walBytes = 0;
  if (!sqlite.memory) {
    try {
      walBytes = statSync(`${sqlite.name}-wal`).size;
    } catch {
      walBytes = 0; // no WAL file right now (checkpointed and truncated, or rollback journal mode)
    }
  }
  const objects = sqlite
    .prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC')
    .all() as Array<{ name: string; bytes: number }>;
  return {
    databaseBytes: pageSize * pageCount,
    freeBytes: pageSize * freePages,
    walBytes,
    objects,
  };
}

/**
 * Rewrites the database without free pages (`VACUUM`) after checkpointing the WAL. Takes an
 * exclusive lock for its duration (seconds per GB): run it from the CLI or admin route, not in a loop.
 *
 * @returns the size report before and after.
 */
export function vacuumDatabase(sqlite: Database.Database): {
  before: DbSizeReport;
  after: DbSizeReport;
} {
  const before = dbSizeReport(sqlite);
  sqlite.exec('VACUUM');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return { before, after: dbSizeReport(sqlite) };
}
