import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { createLogger } from '../logger.js';
import { openDb } from './openDb.js';
import { openWriterConnection } from './openWriterConnection.js';
import { disableAutoCheckpoint, scheduleWalCheckpoints } from './walCheckpointSchedule.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test("the writer connection checkpoints on its own thread while the main connection's automatic checkpoint is off", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpscope-wal-schedule-'));
  dirs.push(dir);
  const path = join(dir, 'wal.db');
  const main = openDb({ path });
  const restore = disableAutoCheckpoint(main.sqlite);
  expect(main.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  main.sqlite.exec('create table t (b blob)');
  const sizeBefore = statSync(path).size;
  // ~4 MB from the main connection: past the 1,000-page threshold, yet only in the WAL.
  const insert = main.sqlite.prepare('insert into t (b) values (?)');
  main.sqlite.transaction(() => {
    for (let i = 0; i < 1000; i++) insert.run(Buffer.alloc(4096, i % 251));
  })();
  expect(statSync(path).size).toBeLessThan(sizeBefore + 4_000_000);
  const writer = openWriterConnection(path);
  const schedule = scheduleWalCheckpoints({
    sqlite: writer.sqlite,
    intervalMs: 50,
    logger: createLogger({ level: 'silent' }),
  });
  // Only a checkpoint copies pages from the WAL into the database file.
  const deadline = Date.now() + 10_000;
  while (statSync(path).size < sizeBefore + 4_000_000 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(statSync(path).size).toBeGreaterThan(sizeBefore + 4_000_000);
  schedule.stop();
  writer.close();
  restore();
  expect(main.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  main.close();
});
