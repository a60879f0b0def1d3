import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { corruptBlocksPage, writeFilledDb } from '../../test/support/corruptDb.js';
import { runBackup } from '../retention/storageCommands.js';
import { DatabaseCorruptError, openDb } from './openDb.js';

const dir = mkdtempSync(join(tmpdir(), 'perpscope-opendb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mode = (path: string) => statSync(path).mode & 0o777;

function filledDb(name: string): string {
  const path = join(dir, name);
  writeFilledDb(path);
  return path;
}

describe('openDb: file modes (issue 14 item 5)', () => {
  it('creates the database, its WAL and shared-memory files and backups readable by the owner only', async () => {
    const path = join(dir, 'modes.db');
    const { sqlite, close } = openDb({ path });
    sqlite.exec("INSERT INTO alert_cursor (name, last_event_id) VALUES ('x', 1)");
    for (const p of [path, `${path}-wal`, `${path}-shm`]) expect(mode(p), p).toBe(0o600);
    const backup = join(dir, 'modes-backup.db');
    await runBackup(sqlite, backup);
    expect(mode(backup)).toBe(0o600);
    close();
  });

  it('tightens an existing world-readable database when it is opened', () => {
    const path = join(dir, 'old.db');
    new Database(path).close();
    expect(mode(path)).toBe(0o644 & ~process.umask());
    openDb({ path }).close();
    expect(mode(path)).toBe(0o600);
  });
});

describe('openDb: integrity check at start (issue 14 item 9)', () => {
  it('refuses a database with a corrupted page, naming quick_check and how to recover', () => {
    const path = filledDb('corrupt.db');
    corruptBlocksPage(path);

    let error: unknown;
    try {
      openDb({ path }).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseCorruptError);
    const message = (error as Error).message;
    expect(message).toContain(`database ${path} failed its integrity check (PRAGMA quick_check: `);
    expect(message).toContain('perpscope-watcher backup --to FILE');
    expect((error as DatabaseCorruptError).problems.length).toBeGreaterThan(0);
  });

  it('opens an intact database', () => {
    const path = filledDb('intact.db');
    const { sqlite, close } = openDb({ path });
    expect(sqlite.prepare('SELECT count(*) AS n FROM blocks').get()).toEqual({ n: 3000 });
    close();
  });
});
