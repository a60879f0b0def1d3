import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetentionConfig } from '../../retention/retentionConfig.js';
import { openDb } from '../openDb.js';
import { dbSizeReport, vacuumDatabase } from './dbSizeReport.js';
import { blocksRetention } from './retentionTargets.js';
import { firstRowidAtOrAfter, type RetentionTarget, runRetention } from './runRetention.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1); // an hour boundary

const samplesTarget: RetentionTarget = {
  name: 'samples',
  table: 'samples',
  timeColumn: 't',
  horizon: 'raw',
  rollups: [
    `SELECT 'market', subject, 'value', (t / 3600000) * 3600000 AS hour, count(*), min(v), max(v), sum(v)
     FROM samples WHERE rowid BETWEEN :fromRowid AND :toRowid AND t >= :from AND t < :to
     GROUP BY subject, hour`,
  ],
};

describe('runRetention', () => {
  let dir: string;
  let sqlite: Database.Database;
  let close: () => void;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-retention-'));
    ({ sqlite, close } = openDb({ path: join(dir, 'w.db') }));
    sqlite.exec(
      'CREATE TABLE samples (id INTEGER PRIMARY KEY, subject TEXT NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL)',
    );
  });
  afterEach(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One sample per minute per subject for `days` days from T0; v = minute of the hour. */
  function fill(days: number) {
    const ins = sqlite.prepare('INSERT INTO samples (subject, t, v) VALUES (?, ?, ?)');
    sqlite.transaction(() => {
      for (let t = T0; t < T0 + days * DAY; t += 60_000)
        for (const s of ['xyz:TSLA', 'xyz:NVDA']) ins.run(s, t, (t % HOUR) / 60_000);
    })();
  }
  const count = (sql: string, ...args: unknown[]) =>
    (sqlite.prepare(sql).get(...args) as { n: number }).n;
  const config = RetentionConfig.parse({ rawDays: 14, rollupDays: 30 });

  it('rolls up complete hours, then prunes raw rows past the horizon', () => {
    fill(20);
    const now = T0 + 20 * DAY + 30 * 60_000; // half past the hour
    const report = runRetention({ sqlite, targets: [samplesTarget], config, now });
    expect(report.targets[0]?.rolledHours).toBe(20 * 24);
    // 6 days + 30 minutes of 2 subjects × 60 per hour are older than 14 days.
    expect(report.targets[0]?.prunedRows).toBe(2 * 60 * (6 * 24) + 2 * 30);
    expect(count('SELECT min(t) AS n FROM samples')).toBe(now - 14 * DAY);
    expect(count('SELECT count(*) AS n FROM rollups_hourly')).toBe(2 * 20 * 24);
    const hour = sqlite
      .prepare("SELECT * FROM rollups_hourly WHERE subject_id = 'xyz:TSLA' AND hour_start = ?")
      .get(T0 + 5 * HOUR);
    // Minutes 0..59 of the hour: count 60, min 0, max 59, sum 1770.
    expect(hour).toMatchObject({
      subject_type: 'market',
      metric: 'value',
      count: 60,
      min: 0,
      max: 59,
      sum: 1770,
    });
  });

  it('applies a per-table override of rawDays', () => {
    fill(20);
    const now = T0 + 20 * DAY;
    runRetention({
      sqlite,
      targets: [samplesTarget],
      config: { ...config, rawDaysByTable: { samples: 2 } },
      now,
    });
    expect(count('SELECT min(t) AS n FROM samples')).toBe(now - 2 * DAY);
  });

  it('keeps the raw rows of the hours it re-rolls, even with a horizon shorter than them', () => {
    fill(1);
    const short = { ...config, rawDays: 0.5 / 24 }; // 30 minutes
    runRetention({
      sqlite,
      targets: [samplesTarget],
      config: short,
      now: T0 + 22 * HOUR + 10 * 60_000,
    });
    runRetention({
      sqlite,
      targets: [samplesTarget],
      config: short,
      now: T0 + 23 * HOUR + 10 * 60_000,
    });
    const hour21 = sqlite
      .prepare(
        "SELECT count, min, max FROM rollups_hourly WHERE subject_id = 'xyz:TSLA' AND hour_start = ?",
      )
      .get(T0 + 21 * HOUR);
    // The second pass re-rolls hours 20..22: hour 21 must still count all 60 minutes.
    expect(hour21).toEqual({ count: 60, min: 0, max: 59 });
  });

  it('is idempotent and rolls late rows into their hour on the next pass', () => {
    fill(1);
    const now = T0 + DAY + 10 * 60_000;
    runRetention({ sqlite, targets: [samplesTarget], config, now });
    const before = sqlite
      .prepare('SELECT * FROM rollups_hourly ORDER BY subject_id, hour_start')
      .all();
    // A late row for the last complete hour.
    sqlite
      .prepare('INSERT INTO samples (subject, t, v) VALUES (?, ?, ?)')
      .run('xyz:TSLA', T0 + 23 * HOUR + 1, 100);
    const again = runRetention({ sqlite, targets: [samplesTarget], config, now: now + 60_000 });
    expect(again.targets[0]).toEqual({ name: 'samples', rolledHours: 2, prunedRows: 0 });
    const after = sqlite
      .prepare('SELECT * FROM rollups_hourly ORDER BY subject_id, hour_start')
      .all();
    expect(after).toHaveLength(before.length);
    const late = sqlite
      .prepare(
        "SELECT count, max FROM rollups_hourly WHERE subject_id = 'xyz:TSLA' AND hour_start = ?",
      )
      .get(T0 + 23 * HOUR);
    expect(late).toEqual({ count: 61, max: 100 });
  });

  it('never prunes rows that are not rolled up yet, and prunes old rollups', () => {
    fill(2);
    // rawDays tiny: everything is past the horizon, but the current hour is not rolled up yet.
    const now = T0 + 2 * DAY - 30 * 60_000;
    runRetention({ sqlite, targets: [samplesTarget], config: { ...config, rawDays: 0.001 }, now });
    // What remains is exactly the current, not yet rolled-up hour (fill() wrote all of it) and the
    // two rolled-up hours before it, which the next pass re-rolls.
    expect(count('SELECT count(*) AS n FROM samples')).toBe(3 * 2 * 60);
    expect(count('SELECT min(t) AS n FROM samples')).toBe(T0 + 2 * DAY - 3 * HOUR);
    runRetention({
      sqlite,
      targets: [samplesTarget],
      config: { ...config, rollupDays: 1 },
      now: now + 12 * HOUR,
    });
    // Cutoff T0 + 35.5 h: the hours starting at T0 + 36 h .. T0 + 47 h remain, for 2 subjects.
    expect(count('SELECT min(hour_start) AS n FROM rollups_hourly')).toBe(T0 + 36 * HOUR);
    expect(count('SELECT count(*) AS n FROM rollups_hourly')).toBe(2 * 12);
  });

  it('rolls block gaps per chain from the blocks table (a 2-minute halt shows as the max gap)', () => {
    // The real `blocks` table from the watcher's migrations.
    const ins = sqlite.prepare(
      'INSERT INTO blocks (chain_id, number, hash, parent_hash, timestamp, tx_count, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    let seen = T0;
    for (let n = 1; n <= 100; n++) {
      seen += n === 50 ? 120_000 : 2_000;
      ins.run(8453, n, `0x${n}`, `0x${n - 1}`, Math.floor(seen / 1000), n % 3, seen);
    }
    runRetention({ sqlite, targets: [blocksRetention], config, now: T0 + 2 * HOUR });
    const gap = sqlite
      .prepare("SELECT count, min, max, sum FROM rollups_hourly WHERE metric = 'block_gap_seconds'")
      .get();
    expect(gap).toEqual({ count: 99, min: 2, max: 120, sum: 98 * 2 + 120 });
    const txs = sqlite
      .prepare("SELECT subject_id, count, sum FROM rollups_hourly WHERE metric = 'txs_per_block'")
      .get();
    expect(txs).toEqual({ subject_id: '8453', count: 100, sum: 33 + 34 + 33 - 0 });
  });

  it('keeps a halt that spans an hour boundary in the hour it ends, through every re-roll', () => {
    const ins = sqlite.prepare(
      'INSERT INTO blocks (chain_id, number, hash, parent_hash, timestamp, tx_count, seen_at, canonical) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // Two chains, a block every 10 s; chain 10 halts from T0 + 50 min to T0 + 70 min (a 1200 s
    // gap ending in the hour T0 + 1 h); chain 20 runs on. A reorged-out block (canonical = 0) sits
    // just before the halt's end and must not be taken as the previous block.
    const blocksOf = new Map<number, number>();
    const add = (chain: number, seen: number, canonical = 1) => {
      const n = (blocksOf.get(chain) ?? 0) + (canonical ? 1 : 0);
      blocksOf.set(chain, n);
      ins.run(chain, n, `0x${n}-${canonical}`, '0x', Math.floor(seen / 1000), 1, seen, canonical);
    };
    for (let t = T0; t < T0 + 5 * HOUR; t += 10_000) {
      const halted = t > T0 + 50 * 60_000 && t < T0 + 70 * 60_000;
      if (t === T0 + 69 * 60_000) add(10, t, 0);
      if (!halted) add(10, t);
      add(20, t);
    }
    const hour1 = () =>
      sqlite
        .prepare(
          "SELECT subject_id AS chain, count, min, max, sum FROM rollups_hourly WHERE metric = 'block_gap_seconds' AND hour_start = ? ORDER BY chain",
        )
        .all(T0 + HOUR);
    // Hour T0 + 1 h holds 360 blocks per running chain; chain 10's first one ends the halt.
    const expected = [
      { chain: '10', count: 300, min: 10, max: 1200, sum: 1200 + 299 * 10 },
      { chain: '20', count: 360, min: 10, max: 10, sum: 3600 },
    ];
    // Hourly passes: hour T0 + 1 h is rolled at + 2 h, re-rolled at + 3 h and last at + 4 h, when it
    // is the first hour of the re-rolled window.
    for (const pass of [2, 3, 4]) {
      runRetention({ sqlite, targets: [blocksRetention], config, now: T0 + pass * HOUR + 60_000 });
      expect(hour1(), `after the pass at T0 + ${pass} h`).toEqual(expected);
    }
  });

  it('finds the block before the re-rolled window through an index, not a table scan', () => {
    const select = blocksRetention.rollups[0]!;
    const plan = sqlite
      .prepare(`EXPLAIN QUERY PLAN ${select}`)
      .all({ from: T0, to: T0 + HOUR, fromRowid: 1, toRowid: 100 }) as { detail: string }[];
    const onBlocks = plan.map((r) => r.detail).filter((d) => /\bblocks\b|\bb\b/.test(d));
    expect(onBlocks.length).toBeGreaterThanOrEqual(2);
    for (const d of onBlocks) expect(d).toMatch(/^SEARCH /);
  });

  it('reports sizes; pruned space becomes free pages and VACUUM gives it back', () => {
    fill(20);
    const full = dbSizeReport(sqlite);
    expect(full.objects.find((o) => o.name === 'samples')?.bytes).toBeGreaterThan(500_000);
    runRetention({ sqlite, targets: [samplesTarget], config, now: T0 + 20 * DAY });
    const pruned = dbSizeReport(sqlite);
    expect(pruned.freeBytes).toBeGreaterThan(100_000);
    const { after } = vacuumDatabase(sqlite);
    expect(after.freeBytes).toBe(0);
    expect(after.databaseBytes).toBeLessThan(full.databaseBytes);
  });
});

describe('firstRowidAtOrAfter', () => {
  it('agrees with a linear scan on time-ordered rows, and handles empty tables and bounds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpscope-rowid-'));
    const { sqlite, close } = openDb({ path: join(dir, 'w.db') });
    sqlite.exec('CREATE TABLE s (t INTEGER NOT NULL)');
    expect(firstRowidAtOrAfter(sqlite, { table: 's', timeColumn: 't', time: 5 })).toBeNull();
    const times = [1, 1, 2, 5, 5, 5, 9, 12, 12, 30];
    for (const t of times) sqlite.prepare('INSERT INTO s (t) VALUES (?)').run(t);
    sqlite.exec('DELETE FROM s WHERE rowid IN (2, 8)'); // holes in rowid
    for (const time of [0, 1, 2, 3, 5, 6, 12, 13, 30, 31]) {
      const rows = sqlite.prepare('SELECT rowid AS r, t FROM s ORDER BY rowid').all() as Array<{
        r: number;
        t: number;
      }>;
      const expected = rows.find((row) => row.t >= time)?.r ?? 11;
      const got = firstRowidAtOrAfter(sqlite, { table: 's', timeColumn: 't', time });
      // Holes: any rowid in (previous row, expected] selects the same rows.
      const prev = rows.filter((row) => row.t < time).at(-1)?.r ?? 0;
      expect(got).toBeGreaterThan(prev);
      expect(got).toBeLessThanOrEqual(expected);
    }
    expect(() =>
      firstRowidAtOrAfter(sqlite, { table: 's; DROP TABLE s', timeColumn: 't', time: 1 }),
    ).toThrow('not an SQL identifier');
    close();
    rmSync(dir, { recursive: true, force: true });
  });
});
