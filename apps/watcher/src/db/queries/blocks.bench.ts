import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { openDb } from '../openDb.js';
import { createSqliteStore } from '../store/createSqliteStore.js';
import { type BlockRecord, insertBlocks } from './blocks.js';

/*
 * SPEC §6: ingest ≥ 50,000 block records/s into SQLite in batched transactions. A real file
 * database in WAL mode, migrated by the real migrations; each iteration commits one transaction of
 * BATCH new blocks (unique chain + number + hash), the way a poll commits its blocks.
 */
const BATCH = 5_000;

test('block ingest', async ({ bench }) => {
  const { db, sqlite, close } = openDb({
    path: join(mkdtempSync(join(tmpdir(), 'perpscope-bench-')), 'b.db'),
  });
  let next = 0;
  const batch = (): BlockRecord[] =>
    Array.from({ length: BATCH }, () => {
      const n = next++;
      return {
        chainId: 1 + (n % 15),
        number: n,
        hash: `0x${n.toString(16).padStart(64, 'a')}`,
        parentHash: `0x${(n - 1).toString(16).padStart(64, 'a')}`,
        timestamp: 1_700_000_000 + n,
        txCount: n % 7,
        seenAt: 1_700_000_000_000 + n,
      };
    });
  const report = (name: string, medianMs: number) =>
    console.log(
      `median ${name}: ${medianMs.toFixed(2)} ms per ${BATCH}-block transaction = ${Math.round((BATCH / medianMs) * 1000).toLocaleString('en-US')} blocks/s`,
    );
  // The path the chain watcher uses (the table's one insert path): raw prepared statement inside
  // the drizzle transaction. A drizzle builder per row measured ~100 µs/row and was removed.
  const raw = await bench(`insertBlocks: ${BATCH} blocks per transaction`, () => {
    const rows = batch();
    db.transaction(() => insertBlocks(sqlite, rows));
  }).run();
  report('ingest (raw prepared, used by the watcher)', raw.latency.p50);
  // Re-ingesting blocks already stored (a restart re-reads the recent range): the conflict path.
  const again = await bench(`insertBlocks of stored blocks: ${BATCH} per transaction`, () => {
    next -= BATCH;
    const rows = batch();
    db.transaction(() => insertBlocks(sqlite, rows));
  }).run();
  report('re-ingest of stored blocks (on conflict → canonical)', again.latency.p50);
  // The same batches through the WatcherStore, as the chain watcher writes them now: an async
  // transaction (BEGIN IMMEDIATE/COMMIT on the connection lock) with one awaited call.
  const store = createSqliteStore({ db, sqlite, close });
  const viaStore = await bench(`store.transaction + insertBlocks: ${BATCH} blocks`, async () => {
    const rows = batch();
    await store.transaction((q) => q.blocks.insertBlocks(rows));
  }).run();
  report('ingest through the store (async transaction)', viaStore.latency.p50);
  // Per-transaction overhead, where it matters most: small transactions (a poll commits a few rows).
  const small = (n: number) => {
    const rows = batch().slice(0, n);
    next -= BATCH - n;
    return rows;
  };
  const syncSmall = await bench('sync db.transaction, 5 blocks', () => {
    const rows = small(5);
    db.transaction(() => insertBlocks(sqlite, rows));
  }).run();
  const storeSmall = await bench('store.transaction, 5 blocks', async () => {
    const rows = small(5);
    await store.transaction((q) => q.blocks.insertBlocks(rows));
  }).run();
  console.log(
    `median 5-block transaction: sync ${(syncSmall.latency.p50 * 1000).toFixed(1)} µs, store ${(storeSmall.latency.p50 * 1000).toFixed(1)} µs`,
  );
  await store.close();
});
