import { existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { WatcherConfig } from '../config/configSchema.js';
import { restrictDbFileModes } from '../db/openDb.js';
import type { DbSizeReport } from '../db/queries/dbSizeReport.js';
import type { WatcherStore } from '../db/store/watcherStore.js';
import { formatStorageProjection, projectStorage } from './projectStorage.js';

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/**
 * Human-readable size report (`perpscope-watcher storage`). On PostgreSQL the objects are tables
 * with their indexes, and free space inside the files and the server's WAL are not measured (see
 * `src/db/pg/queries/dbSizeReport.ts`): the first line says so instead of printing zeros.
 */
export function formatSizeReport(
  r: DbSizeReport,
  dialect: 'sqlite' | 'postgres' = 'sqlite',
): string {
  const lines = [
    dialect === 'postgres'
      ? `database ${mb(r.databaseBytes)} (PostgreSQL: free space inside its files and the server's WAL are not measured; tables include their indexes)`
      : `database ${mb(r.databaseBytes)} (free pages ${mb(r.freeBytes)}), WAL ${mb(r.walBytes)}`,
    ...r.objects.slice(0, 20).map((o) => `  ${o.name.padEnd(40)} ${mb(o.bytes).padStart(12)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `perpscope-watcher vacuum`: VACUUM and print the sizes before and after (SQLite: `VACUUM` + WAL
 * truncate; PostgreSQL: `VACUUM (ANALYZE)` per table — dead rows become reusable, files rarely
 * shrink).
 */
export async function runVacuum(store: WatcherStore): Promise<string> {
  const { before, after } = await store.maintenance.compact();
  if (store.dialect === 'postgres')
    return `VACUUM (ANALYZE) of every table done\nbefore: ${mb(before.databaseBytes)}\nafter:  ${mb(after.databaseBytes)} (PostgreSQL reuses the space of deleted rows; its files shrink only by VACUUM FULL, which locks each table: stop the watchers first)\n`;
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

/** HIP-3 markets on Hyperliquid mainnet (≈ 307 live at the last capture, 2026). */
export const ASSUMED_HIP3_MARKETS = 300;

/**
 * The projection part of `perpscope-watcher storage`: the configured chains and the HIP-3 markets
 * the database knows (not delisted; {@link ASSUMED_HIP3_MARKETS} before the first discovery; none
 * when HIP-3 is disabled) at the configured retention,
 * against the free space of the database's directory. A warning (for stderr) when it will not fit.
 */
export async function storageProjectionReport(params: {
  config: WatcherConfig;
  store: WatcherStore;
  sqlite: Database.Database;
  databaseBytes: number;
}): Promise<{ text: string; warning: string | null }> {
  const { config } = params;
  const known = config.hip3.enabled ? await params.store.queries.hip3.countWatchedHip3Markets() : 0;
  // Before the first discovery the database knows no market: assume Hyperliquid's current count.
  const hip3Markets = config.hip3.enabled && known === 0 ? ASSUMED_HIP3_MARKETS : known;
  const fs = statfsSync(params.sqlite.memory ? '.' : dirname(resolve(params.sqlite.name)));
  return formatStorageProjection({
    projection: projectStorage({
      chainBlockTimesMs: config.chains.map((c) => c.blockTimeMs),
      hip3Markets,
      retention: config.retention,
    }),
    chains: config.chains.length,
    hip3Markets,
    databaseBytes: params.databaseBytes,
    freeDiskBytes: fs.bavail * fs.bsize,
  });
}
