import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../db/openDb.js';
import { dbSizeReport } from '../db/queries/dbSizeReport.js';
import { createSqliteStore } from '../db/store/createSqliteStore.js';
import { formatSizeReport, runBackup, runVacuum } from './storageCommands.js';

describe('storage commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpscope-storage-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up online to a new file with the same rows, and refuses to overwrite', async () => {
    const source = openDb({ path: join(dir, 'w.db') });
    source.sqlite.exec("INSERT INTO alert_cursor (name, last_event_id) VALUES ('incidents', 42)");
    const to = join(dir, 'copy.db');
    expect(await runBackup(source.sqlite, to)).toMatch(
      /^backup written to .*copy\.db \(\d+ pages\)/,
    );
    const copy = openDb({ path: to });
    expect(copy.sqlite.prepare('SELECT last_event_id AS id FROM alert_cursor').get()).toEqual({
      id: 42,
    });
    copy.close();
    await expect(runBackup(source.sqlite, to)).rejects.toThrow('exists already');
    expect(formatSizeReport(dbSizeReport(source.sqlite))).toMatch(/^database \d+\.\d\d MB/);
    expect(await runVacuum(createSqliteStore(source))).toMatch(/^before: .*\nafter: /);
    source.close();
  });
});
