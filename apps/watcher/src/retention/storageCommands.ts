import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { restrictDbFileModes } from '../db/openDb.js';
import { type DbSizeReport, vacuumDatabase } from '../db/queries/dbSizeReport.js';

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** Human-readable size report (`perpscope-watcher storage`). */
export function formatSizeReport(r: DbSizeReport): string {
  const lines = [
    `database ${mb(r.databaseBytes)} (free pages ${mb(r.freeBytes)}), WAL ${mb(r.walBytes)}`,
    ...r.objects.slice(0, 20).map((o) => `  ${o.name.padEnd(40)} ${mb(o.bytes).padStart(12)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** `perpscope-watcher vacuum`: VACUUM and print the sizes before and after. */
export function runVacuum(sqlite: Database.Database): string {
  const { before, after } = vacuumDatabase(sqlite);
  return `before: ${mb(before.databaseBytes)} (free ${mb(before.freeBytes)})\nafter:  ${mb(after.databaseBytes)}\n`;
}

/**
 * `perpscope-watcher backup --to FILE`: an online, consistent copy of the database (SQLite's backup
 * API), safe while the watcher keeps writing.
 *
 * The copy is created with mode 0600, like the database.
 *
 * @throws when `to` exists already or cannot be written.
 */
export async function runBackup(sqlite: Database.Database, to: string): Promise<string> {
  if (existsSync(to)) throw new Error(`${to} exists already; choose a new file`);
  const started = Date.now();
  // Created 0600 before SQLite writes into it: a backup holds everything the database does.
  restrictDbFileModes(to);
  const { totalPages } = await sqlite.backup(to);
  return `backup written to ${to} (${totalPages} pages) in ${Date.now() - started} ms\n`;
}
