import { closeSync, openSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openDb } from '../../src/db/openDb.js';

/** Creates a migrated database file at `path` with `rows` blocks (several b-tree pages), closed. */
export function writeFilledDb(path: string, rows = 3000): void {
  const { sqlite, close } = openDb({ path });
  const insert = sqlite.prepare(
    'INSERT INTO blocks (chain_id, number, hash, parent_hash, timestamp, tx_count, seen_at) VALUES (1, ?, ?, ?, ?, 1, ?)',
  );
  sqlite.transaction(() => {
    for (let n = 0; n < rows; n++)
      insert.run(n, `0x${n.toString(16).padStart(64, '0')}`, `0x${'ab'.repeat(32)}`, n, n * 1000);
  })();
  close();
}

/**
 * Overwrites one leaf page of the `blocks` table (the 4th, in the middle of the file) with garbage:
 * what a torn write or a bad sector leaves. The file must be closed (its WAL checkpointed).
 */
export function corruptBlocksPage(path: string): void {
  const probe = new Database(path, { readonly: true });
  const pageSize = probe.pragma('page_size', { simple: true }) as number;
  const { pageno } = probe
    .prepare(
      "SELECT pageno FROM dbstat WHERE name = 'blocks' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 3",
    )
    .get() as { pageno: number };
  probe.close();
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (pageno - 1) * pageSize);
  closeSync(fd);
}
