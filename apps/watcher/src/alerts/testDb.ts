import Database from 'better-sqlite3';
import { generateSQLiteDrizzleJson, generateSQLiteMigration } from 'drizzle-kit/api';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import * as alerts from '../db/schema/alerts.js';
import * as retention from '../db/schema/retention.js';

/** TEMPORARY until the watcher's migrations land: creates the alert tables from the schema. */
export function openTestDb(path: string): {
  db: BetterSQLite3Database<Record<string, never>>;
  sqlite: Database.Database;
  close(): void;
} {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  const exists = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'alert_outbox'").get();
  if (!exists) {
    const sqls = syncMigration();
    for (const s of sqls) sqlite.exec(s);
  }
  return { db: drizzle(sqlite), sqlite, close: () => sqlite.close() };
}

let cached: string[] | undefined;
function syncMigration(): string[] {
  if (!cached) throw new Error('call prepareTestDb() first');
  return cached;
}
export async function prepareTestDb(): Promise<void> {
  const prev = await generateSQLiteDrizzleJson({});
  const cur = await generateSQLiteDrizzleJson({ ...alerts, ...retention });
  cached = await generateSQLiteMigration(prev, cur);
}
