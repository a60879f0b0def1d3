import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsBefore } from '../../test/support/migrationsBefore.js';
import { openDb } from './openDb.js';
import {
  FOLD_ORACLE_UPDATES_SQL,
  type Hip3OracleUpdateRow,
  type Hip3SampleRow,
  hip3OracleUpdatesPage,
  hip3SamplesOf,
  insertHip3OracleUpdates,
  ORACLE_FOLD_SPAN_MS,
  prepareHip3Writes,
} from './queries/hip3.js';
import { hip3OracleUpdatesRetention } from './queries/retentionTargets.js';
import { runRetention } from './queries/runRetention.js';

const dir = mkdtempSync(join(tmpdir(), 'perpscope-time-first-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Frames in the WAL of `file` (checkpointed by hand before): the pages the commits since wrote. A
 * WAL file is a 32-byte header and one (24-byte header + page) frame per page written.
 */
function walFrames(sqlite: Database.Database, file: string) {
  const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
  return (statSync(`${file}-wal`).size - 32) / (pageSize + 24);
}

/** Moves every staged oracle update into `hip3_oracle_updates`, in one transaction. */
const fold = (sqlite: Database.Database) =>
  sqlite.transaction(() => {
    for (const statement of FOLD_ORACLE_UPDATES_SQL) sqlite.prepare(statement).run();
  })();

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
    const file = join(dir, 'pages.db');
    const { db, sqlite, close } = openDb({ path: file });
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
    expect(statSync(`${file}-wal`).size).toBe(0);
    tick(300);
    const frames = walFrames(sqlite, file);
    // 1,000 rows of ~110 bytes fill ~30 table pages and ~5 index pages (measured: 35 frames).
    // With the market-first key it was 1,154: a leaf per market.
    expect(frames).toBeLessThan(120);
    expect(hip3SamplesOf(db, 'dex:SYN7')).toHaveLength(301);
    close();
  });
});

const oracle = (coin: string, at: number, source = 'ctx', txHash = ''): Hip3OracleUpdateRow => ({
  coin,
  source,
  at,
  oraclePx: String(at % 997),
  markPx: '1',
  intervalMs: 3000,
  markJump: 0,
  txHash,
  error: null,
});

describe('oracle updates are staged time first and folded (a tick does not dirty a leaf per market)', () => {
  it('30 ticks of 1,000 markets (a third moving their oracle each tick) write ~1/10 of the pages', () => {
    const file = join(dir, 'oracle.db');
    const { db, sqlite, close } = openDb({ path: file });
    sqlite.pragma('wal_autocheckpoint = 0');
    const writes = prepareHip3Writes(db);
    const coins = Array.from({ length: 1000 }, (_, i) => `dex:SYN${i}`);
    const tick = (t: number) =>
      sqlite.transaction(() =>
        writes.insertOracleUpdates(
          coins.filter((_, i) => i % 3 === t % 3).map((c) => oracle(c, 1_000_000 + t * 1000)),
        ),
      )();
    // 450 ticks: 150 updates per market, more than a 4 KB leaf of the market-first key holds.
    for (let t = 0; t < 450; t++) {
      tick(t);
      if (t % 50 === 0) sqlite.pragma('wal_checkpoint(TRUNCATE)');
    }
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    for (let t = 450; t < 480; t++) tick(t);
    const perTick = walFrames(sqlite, file) / 30;
    // Measured: ~41 frames per tick (appends, and one fold of ~1,100 pages per 30 ticks). Writing
    // the market-first table directly: 1,155 per tick (a leaf per market that moved).
    expect(perTick).toBeLessThan(120);
    // Nothing lost or doubled: every update of a market, in either table, newest first.
    const all = hip3OracleUpdatesPage(db, { coin: 'dex:SYN4', limit: 1000, cursor: null });
    expect(all).toHaveLength(160);
    // SYN4 moves on the ticks t with t % 3 = 1: 1, 4, …, 478.
    expect(all.map((r) => r.at)).toEqual(
      [...Array(160).keys()].map((k) => 1_000_000 + (478 - 3 * k) * 1000),
    );
    close();
  });

  it('a page reads both tables: newest first, each row once (also one in both), cursors continue', () => {
    const { db, sqlite, close } = openDb({ path: join(dir, 'union.db') });
    const writes = prepareHip3Writes(db);
    // Folded rows (older), then staged rows, one of which is also folded (a replayed batch).
    insertHip3OracleUpdates(db, [oracle('a:X', 1000), oracle('a:X', 2000), oracle('b:X', 2000)]);
    sqlite.transaction(() =>
      writes.insertOracleUpdates([
        oracle('a:X', 2000),
        oracle('a:X', 3000),
        oracle('a:X', 3000, 'explorer', '0xbb'),
        oracle('a:X', 3000, 'explorer', '0xaa'),
        oracle('a:X', 4000),
      ]),
    )();
    const staged = sqlite.prepare('SELECT count(*) FROM hip3_oracle_updates_recent').pluck();
    expect(staged.get()).toBe(5);
    const walk = (source?: string) => {
      const seen: string[] = [];
      let cursor = null;
      for (;;) {
        const page = hip3OracleUpdatesPage(db, {
          coin: 'a:X',
          limit: 2,
          cursor,
          ...(source && { source }),
        });
        seen.push(...page.map((r) => `${r.at}:${r.source}:${r.txHash}`));
        const last = page.at(-1);
        if (page.length < 2 || !last) return seen;
        cursor = { at: last.at, source: last.source, txHash: last.txHash };
      }
    };
    const expected = [
      '4000:ctx:',
      '3000:explorer:0xbb',
      '3000:explorer:0xaa',
      '3000:ctx:',
      '2000:ctx:',
      '1000:ctx:',
    ];
    expect(walk()).toEqual(expected);
    expect(walk('explorer')).toEqual(['3000:explorer:0xbb', '3000:explorer:0xaa']);
    // The fold moves everything and changes no answer.
    fold(sqlite);
    expect(staged.get()).toBe(0);
    expect(walk()).toEqual(expected);
    expect(sqlite.prepare('SELECT count(*) FROM hip3_oracle_updates').pluck().get()).toBe(7);
    close();
  });

  it('a fold comes once the newest update time moves a span on; rows staged before a restart are folded before new ones', () => {
    const path = join(dir, 'span.db');
    const first = openDb({ path });
    const count = (db: typeof first, table: string) =>
      db.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    const w1 = prepareHip3Writes(first.db);
    const at0 = 5_000_000;
    const stage = (w: typeof w1, db: typeof first, rows: Hip3OracleUpdateRow[]) =>
      db.sqlite.transaction(() => w.insertOracleUpdates(rows))();
    stage(w1, first, [oracle('a:X', at0)]);
    stage(w1, first, [oracle('z:X', at0 + ORACLE_FOLD_SPAN_MS - 1)]);
    expect(count(first, 'hip3_oracle_updates_recent')).toBe(2);
    stage(w1, first, [oracle('a:X', at0 + ORACLE_FOLD_SPAN_MS)]);
    expect(count(first, 'hip3_oracle_updates_recent')).toBe(0);
    expect(count(first, 'hip3_oracle_updates')).toBe(3);
    // A batch of older updates spanning more than the fold's span (an explorer poll's minute of
    // history) waits for the next fold rather than writing every market's leaf in one of its own.
    const history = [60_000, 40_000, 20_000, 0].map((ago) => oracle('m:X', at0 + 90_000 - ago));
    stage(w1, first, history);
    expect(count(first, 'hip3_oracle_updates_recent')).toBe(4);
    stage(w1, first, [oracle('b:X', at0 + 90_000 + ORACLE_FOLD_SPAN_MS - 1)]);
    expect(count(first, 'hip3_oracle_updates_recent')).toBe(5);
    stage(w1, first, [oracle('c:X', at0 + 90_000 + ORACLE_FOLD_SPAN_MS)]);
    expect(count(first, 'hip3_oracle_updates_recent')).toBe(0);
    expect(count(first, 'hip3_oracle_updates')).toBe(9);
    // Staged, then a crash (here: close) and a restart hours later.
    stage(w1, first, [oracle('z:X', at0 + 200_000)]);
    first.close();
    const second = openDb({ path });
    const w2 = prepareHip3Writes(second.db);
    const later = at0 + 5 * 3_600_000;
    stage(w2, second, [oracle('a:X', later)]);
    // The old row was folded before the new one was staged: in one fold with it, market order
    // would have put the new a:X row before the old z:X one (rowids hours out of time order).
    expect(count(second, 'hip3_oracle_updates_recent')).toBe(1);
    const rowidOrder = second.sqlite
      .prepare('SELECT coin, at FROM hip3_oracle_updates ORDER BY rowid')
      .raw()
      .all();
    expect(rowidOrder.at(-1)).toEqual(['z:X', at0 + 200_000]);
    expect(
      hip3OracleUpdatesPage(second.db, { coin: 'a:X', limit: 10, cursor: null }).map((r) => r.at),
    ).toEqual([later, at0 + ORACLE_FOLD_SPAN_MS, at0]);
    second.close();
  });

  it('retention folds first and rolls up every row of the hour, also ones a fold stored out of time order', () => {
    const { db, sqlite, close } = openDb({ path: join(dir, 'retention.db') });
    const HOUR = 3_600_000;
    const h0 = 100 * HOUR;
    const stage = sqlite.prepare(
      `INSERT INTO hip3_oracle_updates_recent (coin, source, at, interval_ms, tx_hash)
       VALUES (?, 'ctx', ?, 3000, '')`,
    );
    // The table's first hour starts at h0.
    stage.run('seed:X', h0);
    fold(sqlite);
    // Then one fold across the hour boundary h0 + 1 h, stored in market order: z:X's two rows of
    // the first hour get rowids after a:X's rows of the second.
    const a = [-20_000, -10_000, 5_000, 8_000, 12_000, 15_000];
    const z = [-25_000, -15_000, 10_000];
    for (const d of a) stage.run('a:X', h0 + HOUR + d);
    for (const d of z) stage.run('z:X', h0 + HOUR + d);
    fold(sqlite);
    const order = sqlite
      .prepare("SELECT coin, at - ? FROM hip3_oracle_updates WHERE coin <> 'seed:X' ORDER BY rowid")
      .raw()
      .all(h0 + HOUR);
    expect(order).toEqual([...a.map((d) => ['a:X', d]), ...z.map((d) => ['z:X', d])]);
    // Staged when the first pass runs (a span under the fold's): that pass folds them first.
    const writes = prepareHip3Writes(db);
    sqlite.transaction(() =>
      writes.insertOracleUpdates([
        oracle('a:X', h0 + HOUR + 20_000),
        oracle('z:X', h0 + HOUR + 25_000),
      ]),
    )();
    expect(sqlite.prepare('SELECT count(*) FROM hip3_oracle_updates_recent').pluck().get()).toBe(2);
    const pass = (now: number) =>
      runRetention({
        sqlite,
        targets: [hip3OracleUpdatesRetention],
        config: { rawDays: 365, rollupDays: 365, eventDays: 365, batchSize: 1000 },
        now,
      });
    const counts = () =>
      sqlite
        .prepare(
          `SELECT subject_id, (hour_start - ?) / 3600000, count FROM rollups_hourly
           WHERE metric = 'oracle_update_interval_seconds' AND subject_id <> 'seed:X'
           ORDER BY subject_id, hour_start`,
        )
        .raw()
        .all(h0);
    // First pass: the hour before the boundary. Its binary search for the boundary's rowid ends
    // inside the fold above (at a:X's +5 s row); without the widening, z:X's two rows of that hour
    // fall outside the range.
    pass(h0 + HOUR + 60_000);
    expect(counts()).toEqual([
      ['a:X', 0, 2],
      ['z:X', 0, 2],
    ]);
    // The staged rows were folded in by that pass; the next one rolls the hour after.
    expect(sqlite.prepare('SELECT count(*) FROM hip3_oracle_updates_recent').pluck().get()).toBe(0);
    pass(h0 + 2 * HOUR + 60_000);
    expect(counts()).toEqual([
      ['a:X', 0, 2],
      ['a:X', 1, 5],
      ['z:X', 0, 2],
      ['z:X', 1, 2],
    ]);
    close();
  });

  it('the fold statements are what retention runs first', () => {
    expect(hip3OracleUpdatesRetention.before).toBe(FOLD_ORACLE_UPDATES_SQL);
  });
});

describe('migration 0008: hip3_samples time first', () => {
  it('keeps every sample, in its rowid (arrival) order, with the key (received_at, coin)', () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    migrate(drizzle(old), {
      migrationsFolder: migrationsBefore(dir, '0008_hip3_time_first_writes'),
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
