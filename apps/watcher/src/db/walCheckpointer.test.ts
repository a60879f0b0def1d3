import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { createLogger } from '../logger.js';
import { openDb } from './openDb.js';
import { startWalCheckpointer } from './walCheckpointer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test('checkpoints the WAL from the worker while the main connection never auto-checkpoints', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpscope-wal-'));
  dirs.push(dir);
  const path = join(dir, 'wal.db');
  const database = openDb({ path });
  const { sqlite } = database;
  const cp = startWalCheckpointer({
    sqlite,
    path,
    intervalMs: 50,
    logger: createLogger({ level: 'silent' }),
  });
  expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  sqlite.exec('create table t (b blob)');
  const sizeBefore = statSync(path).size;
  // ~4 MB: more than SQLite's default 1,000-page auto-checkpoint threshold.
  const insert = sqlite.prepare('insert into t (b) values (?)');
  sqlite.transaction(() => {
    for (let i = 0; i < 1000; i++) insert.run(Buffer.alloc(4096, i % 251));
  })();
  // Only a checkpoint copies pages from the WAL into the database file.
  const deadline = Date.now() + 10_000;
  while (statSync(path).size < sizeBefore + 4_000_000 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(statSync(path).size).toBeGreaterThan(sizeBefore + 4_000_000);
  await cp.stop();
  expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  expect(sqlite.prepare('select count(*) as n from t').get()).toEqual({ n: 1000 });
  database.close();
});
