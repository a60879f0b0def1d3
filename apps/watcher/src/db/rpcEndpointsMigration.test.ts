import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsBefore } from '../../test/support/migrationsBefore.js';
import { openDb } from './openDb.js';

const dir = mkdtempSync(join(tmpdir(), 'perpscope-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 0004: RPC endpoints keyed by position, raw URLs gone', () => {
  it('drops the stored raw URLs (and their keys) from rpc_endpoints and chains.config_json', () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    migrate(drizzle(old), {
      migrationsFolder: migrationsBefore(dir, '0004_rpc_endpoints_by_position'),
    });
    old.exec(`INSERT INTO chains VALUES (1, 'a', 'A', 'zk', 1000,
      '{"key":"a","rpcUrls":["https://x.example/v2/OLDKEY1","https://x.example/v2/OLDKEY2"]}', 1)`);
    old.exec(`INSERT INTO rpc_endpoints (chain_id, url, position, updated_at) VALUES
      (1, 'https://x.example/v2/OLDKEY1', 0, 1), (1, 'https://x.example/v2/OLDKEY2', 0, 1)`);
    old.close();
    const { sqlite, close } = openDb({ path });
    const text = JSON.stringify([
      sqlite.prepare('SELECT * FROM chains').all(),
      sqlite.prepare('SELECT * FROM rpc_endpoints').all(),
    ]);
    expect(text).not.toContain('OLDKEY');
    expect(sqlite.prepare('SELECT key FROM chains').all()).toEqual([{ key: 'a' }]);
    close();
  });
});
