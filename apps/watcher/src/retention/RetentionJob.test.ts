import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSteadyClock } from '../clock.js';
import type { Duty } from '../cluster/duty.js';
import { openDb } from '../db/openDb.js';
import { defaultRetentionTargets } from '../db/queries/retentionTargets.js';
import { createSqliteStore } from '../db/store/createSqliteStore.js';
import type { WatcherStore } from '../db/store/watcherStore.js';
import { MAX_PRUNE_SHARE_AFTER_CLOCK_JUMP, RetentionJob } from './RetentionJob.js';
import { RetentionConfig } from './retentionConfig.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 5, 1);
const ROWS = 2 * 24 * 60; // one block and one event per minute for two days

/*
 * Issue 14 item 11: with the wall clock set 100 days ahead, one retention pass deleted every raw
 * block and every event (events have no rollup). Real SQLite file, the real retention targets.
 */
describe('RetentionJob after a clock jump', () => {
  let dir: string;
  let sqlite: Database.Database;
  let store: WatcherStore;
  let close: () => void;
  const warnings: string[] = [];
  const logger = {
    info: () => undefined,
    warn: (_o: unknown, msg?: string) => {
      warnings.push(String(msg));
    },
    error: () => undefined,
  };
  const t = { wall: T0 + 2 * DAY, mono: 1_000 };
  const count = (table: string) =>
    (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-retention-jump-'));
    const database = openDb({ path: join(dir, 'w.db') });
    ({ sqlite, close } = database);
    store = createSqliteStore(database);
    warnings.length = 0;
    t.wall = T0 + 2 * DAY;
    t.mono = 1_000;
    const block = sqlite.prepare(
      'INSERT INTO blocks (chain_id, number, hash, parent_hash, timestamp, tx_count, seen_at) VALUES (1, ?, ?, ?, ?, 1, ?)',
    );
    const event = sqlite.prepare(
      "INSERT INTO events (at, kind, subject_type, subject_id, payload_json) VALUES (?, 'chain.status', 'chain', '1', '{}')",
    );
    sqlite.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        const at = T0 + i * MINUTE;
        block.run(i, `0x${i.toString(16)}`, '0x0', Math.floor(at / 1000), at);
        event.run(at);
      }
    })();
  });
  afterEach(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  const job = (now: () => number) =>
    new RetentionJob({
      store,
      targets: defaultRetentionTargets,
      config: RetentionConfig.parse({}),
      now,
      monotonic: () => t.mono,
      logger,
    });

  it('runs a pass only while holding the retention duty', async () => {
    let held = false;
    const duty: Duty = {
      name: 'retention',
      held: () => (held ? { name: 'retention', holder: 'me/1', epoch: 1 } : null),
      fence: async () => held,
      onChange: () => () => {},
      stop: async () => {},
    };
    t.wall = T0 + 200 * DAY; // everything is past its retention: a pass would prune
    const retention = new RetentionJob({
      store,
      targets: defaultRetentionTargets,
      config: RetentionConfig.parse({}),
      now: () => t.wall,
      monotonic: () => t.mono,
      logger,
      duty,
    });
    expect(await retention.runOnce()).toBeNull();
    expect(count('blocks')).toBe(ROWS);
    expect(await store.queries.storage.lastRetentionRunAt()).toBeNull();
    held = true;
    expect(await retention.runOnce()).not.toBeNull();
    expect(await store.queries.storage.lastRetentionRunAt()).toBe(t.wall);
  });

  it('a pass after a +100 day step prunes at most 10 % of each table, and says why', async () => {
    const retention = job(() => t.wall);
    expect((await retention.runOnce())?.targets.every((x) => x.prunedRows === 0)).toBe(true);
    t.mono += HOUR;
    t.wall += HOUR + 100 * DAY;
    const report = await retention.runOnce();
    for (const table of ['blocks', 'events']) {
      expect(count(table), table).toBeGreaterThanOrEqual(
        Math.floor(ROWS * (1 - MAX_PRUNE_SHARE_AFTER_CLOCK_JUMP)),
      );
      expect(report?.targets.find((x) => x.name === table)?.capped, table).toBe(true);
    }
    expect(warnings).toContain(
      'retention: clock jump suspected; this pass prunes at most 10 % of each table',
    );
  });

  it('on the steady clock the CLI uses, the step does not move the horizon at all', async () => {
    const steady = createSteadyClock({ wall: () => t.wall, monotonic: () => t.mono });
    const retention = job(() => steady.now());
    await retention.runOnce();
    t.mono += HOUR;
    t.wall += HOUR + 100 * DAY;
    const report = await retention.runOnce();
    expect(report?.targets.every((x) => x.prunedRows === 0)).toBe(true);
    expect(count('blocks')).toBe(ROWS);
    expect(count('events')).toBe(ROWS);
    expect(warnings).toEqual([]);
  });

  it('time that really passed is pruned as usual (no cap without a jump)', async () => {
    const retention = job(() => t.wall);
    await retention.runOnce();
    // 15 days later on both clocks: the first day of blocks is past rawDays (14) and rolled up.
    t.mono += 15 * DAY;
    t.wall += 15 * DAY;
    const report = await retention.runOnce();
    expect(report?.targets.find((x) => x.name === 'blocks')?.capped).toBeUndefined();
    expect(count('blocks')).toBeLessThan(ROWS * 0.6);
    expect(warnings).toEqual([]);
  });
});
