import { describe, expect, it } from 'vitest';
import { openDb } from '../db/openDb.js';
import { blocks } from '../db/schema/chains.js';
import { createSqliteStore } from '../db/store/createSqliteStore.js';
import { chainGapSeries } from './chainGapSeries.js';

const T0 = Date.UTC(2026, 0, 1);

describe('chainGapSeries', () => {
  it('buckets gaps and head age; an ongoing halt shows as a rising head age', async () => {
    const database = openDb({ path: ':memory:' });
    const { db, close } = database;
    // Blocks every 2 s from T0 to T0+60 s, then nothing (halt) until now = T0+120 s.
    // One block before the window (T0-2 s) seeds the first gap.
    for (let n = 0; n <= 31; n++) {
      const seenAt = T0 - 2_000 + n * 2_000;
      db.insert(blocks)
        .values({
          chainId: 10,
          number: n,
          hash: `0x${n}`,
          parentHash: `0x${n - 1}`,
          timestamp: seenAt / 1000,
          txCount: 1,
          seenAt,
        })
        .run();
    }
    // A reorged-out sibling must not count as a new head.
    db.insert(blocks)
      .values({
        chainId: 10,
        number: 5,
        hash: '0xdead',
        parentHash: '0x4',
        timestamp: 0,
        txCount: 0,
        seenAt: T0 + 9_000,
        canonical: false,
      })
      .run();
    const [series] = await chainGapSeries(createSqliteStore(database), {
      now: T0 + 120_000,
      windowMs: 120_000,
      buckets: 4,
      chainIds: [10],
    });
    expect(series?.times).toEqual([30, 60, 90, 120].map((s) => (T0 + s * 1000) / 1000));
    // Buckets of 30 s: blocks at 0..30 s (gap 2), 32..60 s (gap 2), none, none.
    expect(series?.maxGapSeconds).toEqual([2, 2, null, null]);
    // Head age at each bucket end: last block at 30 s, at 60 s, then 30 s and 60 s of halt.
    expect(series?.headAgeSeconds).toEqual([0, 0, 30, 60]);
    close();
  });

  it('gives nulls for a chain without blocks', async () => {
    const database = openDb({ path: ':memory:' });
    const { close } = database;
    const [series] = await chainGapSeries(createSqliteStore(database), {
      now: T0,
      windowMs: 60_000,
      buckets: 3,
      chainIds: [1],
    });
    expect(series).toEqual({
      chainId: 1,
      times: [T0 / 1000 - 40, T0 / 1000 - 20, T0 / 1000],
      maxGapSeconds: [null, null, null],
      headAgeSeconds: [null, null, null],
    });
    close();
  });
});
