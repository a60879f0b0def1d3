import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsBefore } from '../../test/support/migrationsBefore.js';
import { openDb } from './openDb.js';
import { type Hip3SampleRow, hip3SamplesOf, prepareHip3Writes } from './queries/hip3.js';

const dir = mkdtempSync(join(tmpdir(), 'perpscope-samples-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sample = (coin: string, receivedAt: number, px: number): Hip3SampleRow => ({
  coin,
  receivedAt,
  oraclePx: String(px),
  markPx: String(px + 0.5),
  midPx: String(px + 0.25),
  funding: '0.0000125',
  premium: '0.0001',
  openInterest: '12345.6',
  dayNtlVlm: '987654.3',
  markDeviation: 0.5 / px,
  source: 'ws',
});

describe('hip3_samples is keyed time first (a tick appends, it does not dirty a page per market)', () => {
  it('one tick of 1,000 markets writes a few dozen WAL pages, not one per market, after 300 ticks', () => {
    const { db, sqlite, close } = openDb({ path: join(dir, 'pages.db') });
    // Checkpoints by hand: the WAL then holds exactly the pages one commit wrote.
    sqlite.pragma('wal_autocheckpoint = 0');
    const writes = prepareHip3Writes(db);
    const coins = Array.from({ length: 1000 }, (_, i) => `dex:SYN${i}`);
    const tick = (t: number) =>
      sqlite.transaction(() =>
        writes.insertSamples(coins.map((c, i) => sample(c, 1_000_000 + t * 1000, 100 + i + t))),
      )();
    // 300 ticks: every market has filled more than one index leaf of its own under the old
    // (coin, received_at) key (~150 entries per 4 KB leaf), the steady state of a long run.
    for (let t = 0; t < 300; t++) {
      tick(t);
      if (t % 50 === 0) sqlite.pragma('wal_checkpoint(TRUNCATE)');
    }
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(statSync(join(dir, 'pages.db-wal')).size).toBe(0);
    tick(300);
    const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
    // A WAL file is a 32-byte header and one (24-byte header + page) frame per page written.
    const frames = (statSync(join(dir, 'pages.db-wal')).size - 32) / (pageSize + 24);
    // 1,000 rows of ~110 bytes fill ~30 table pages and ~5 index pages (measured: 35 frames).
    // With the market-first key it was 1,154: a leaf per market.
    expect(frames).toBeLessThan(120);
    expect(hip3SamplesOf(db, 'dex:SYN7')).toHaveLength(301);
    close();
  });
});

describe('migration 0008: hip3_samples time first', () => {
  it('keeps every sample, in its rowid (arrival) order, with the key (received_at, coin)', () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    migrate(drizzle(old), {
      migrationsFolder: migrationsBefore(dir, '0008_hip3_samples_time_first'),
    });
    const insert = old.prepare(
      `INSERT INTO hip3_samples (coin, received_at, oracle_px, mark_px, funding, open_interest,
         day_ntl_vlm, source) VALUES (?, ?, '1', '1', '0', '0', '0', 'ws')`,
    );
    // Arrival order is not key order under either key: b before a at the same time.
    const rows: [string, number][] = [
      ['b:X', 2000],
      ['a:X', 2000],
      ['a:X', 3000],
      ['c:X', 1000],
    ];
    for (const [c, t] of rows) insert.run(c, t);
    old.close();
    const { sqlite, close } = openDb({ path });
    expect(
      sqlite.prepare('SELECT coin, received_at FROM hip3_samples ORDER BY rowid').raw().all(),
    ).toEqual(rows);
    const keyIndex = sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'hip3_samples'`)
      .pluck()
      .all() as string[];
    expect(keyIndex).toHaveLength(1);
    const cols = sqlite.pragma(`index_info(${keyIndex[0]})`) as { name: string }[];
    expect(cols.map((c) => c.name)).toEqual(['received_at', 'coin']);
    // Still idempotent: a replayed sample is ignored.
    expect(() =>
      sqlite
        .prepare(
          `INSERT INTO hip3_samples (coin, received_at, oracle_px, mark_px, funding, open_interest,
             day_ntl_vlm, source) VALUES ('a:X', 3000, '1', '1', '0', '0', '0', 'ws')`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
    close();
  });
});
