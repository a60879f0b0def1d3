import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as sqliteMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { migrate as pgMigrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsBefore } from '../../../test/support/migrationsBefore.js';
import { type PostgresServer, startPostgres } from '../../../test/support/startPostgres.js';
import { openDb } from '../openDb.js';
import { migratePg, pgMigrationsFolder } from './openPgDb.js';

// The owners/observers migrations (SQLite 0007, PostgreSQL 0002) on databases an older release
// left with rows in them: every row keeps its values and gets owner/observer "local" (a single
// watcher's), and RPC endpoint health survives the new primary key.

const dir = mkdtempSync(join(tmpdir(), 'perpscope-owners-migration-'));
let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const OLD_ROWS = `
  INSERT INTO chains (chain_id, key, name, class, block_time_ms, config_json, updated_at)
    VALUES (4294967297, 'big', 'Big', 'other', NULL, '{}', 1790000000123);
  INSERT INTO rpc_endpoints (chain_id, url, position, health, head_number, updated_at) VALUES
    (4294967297, 'https://a.example/', 0, 'healthy', 25000000000, 1790000000123),
    (4294967297, 'https://b.example/', 1, 'failing', NULL, 1790000000124);
  INSERT INTO guarded_accounts (address_hash, label, status, state_json, updated_at)
    VALUES ('0123456789abcdef', 'alpha', 'ok', '{}', 1790000000123);
  INSERT INTO hip3_markets (coin, dex, meta_json, status, status_since, reasons_json, metrics_json,
      first_seen_at, updated_at)
    VALUES ('xyz:A', 'xyz', '{}', 'up', 1, '[]', '{}', 1, 1);`;

/** What both dialects must hold after migrating {@link OLD_ROWS}. */
const EXPECTED = {
  rpc: [
    [4294967297, 'local', 0, 'https://a.example/', 'healthy', 25000000000],
    [4294967297, 'local', 1, 'https://b.example/', 'failing', null],
  ],
  owners: [
    ['chains', 'local'],
    ['guarded_accounts', 'local'],
    ['hip3_markets', 'local'],
  ],
};

const OWNERS_SQL = `select 'chains' as t, owner from chains
  union all select 'guarded_accounts', owner from guarded_accounts
  union all select 'hip3_markets', owner from hip3_markets order by t`;
const RPC_SQL = `select chain_id, observer, position, url, health, head_number from rpc_endpoints
  order by position`;

describe('owners/observers migration keeps the rows of an older release', () => {
  it('SQLite (0007): owner and observer "local", endpoint health kept', () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    sqliteMigrate(sqliteDrizzle(old), {
      migrationsFolder: migrationsBefore(dir, '0007_owners_observers'),
    });
    old.exec(OLD_ROWS);
    old.close();
    const { sqlite, close } = openDb({ path });
    try {
      expect(sqlite.prepare(RPC_SQL).raw().all()).toEqual(EXPECTED.rpc);
      expect(sqlite.prepare(OWNERS_SQL).raw().all()).toEqual(EXPECTED.owners);
    } finally {
      close();
    }
  });

  it('PostgreSQL (0002): owner and observer "local", endpoint health kept', async () => {
    const url = await server.createDatabase('owners_migration');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await pgMigrate(pgDrizzle({ client }), {
        migrationsFolder: migrationsBefore(dir, '0002_owners_observers', pgMigrationsFolder),
      });
      await client.query(OLD_ROWS);
      await migratePg({ url });
      const rpc = await client.query({ text: RPC_SQL, rowMode: 'array' });
      // bigint columns come back as strings from the raw driver: compare as numbers.
      const asNumbers = (row: unknown[]) =>
        row.map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v));
      expect(rpc.rows.map(asNumbers)).toEqual(EXPECTED.rpc);
      const owners = await client.query({ text: OWNERS_SQL, rowMode: 'array' });
      expect(owners.rows).toEqual(EXPECTED.owners);
    } finally {
      await client.end();
    }
  });
});
