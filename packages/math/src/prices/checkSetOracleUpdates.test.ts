import { describe, expect, it } from 'vitest';
import { InvalidParameterError, UnsortedSeriesError } from '../errors.js';
import { checkSetOracleUpdates } from './checkSetOracleUpdates.js';

describe('HIP-3 setOracle rule checker (hyperliquid.md §1.2)', () => {
  const day = [{ fromMs: 0, price: '100' }];
  it('accepts a compliant 3-second cadence', () => {
    const updates = [0, 3000, 6000, 9000].map((t, i) => ({
      timeMs: t,
      oraclePx: String(100 + i * 0.5),
      markPxs: [String(100 + i * 0.5)],
    }));
    expect(checkSetOracleUpdates({ updates, dayOpenPrices: day })).toEqual([]);
  });
  it('flags each rule with the offending index', () => {
    const v = checkSetOracleUpdates({
      updates: [
        { timeMs: 0, oraclePx: '100', markPxs: ['100'] },
        { timeMs: 1000, oraclePx: '100', markPxs: ['102'] }, // too soon, +2 %
        { timeMs: 24000, oraclePx: '1001', markPxs: ['102'] }, // stale gap, oracle > 10× day open
        { timeMs: 27000, oraclePx: '100', markPxs: [], externalPerpPx: '9' }, // external < 1/10
        { timeMs: 38000, oraclePx: '100', markPxs: [] }, // 11 s gap: 1 s after the fallback at 37 s
      ],
      dayOpenPrices: day,
    });
    expect(v.map((x) => [x.index, x.rule, x.subject])).toEqual([
      [1, 'tooFrequent', 'interval'],
      [1, 'markMoveOverLimit', 'markPx'],
      [2, 'stale', 'interval'],
      [2, 'outsideDailyClamp', 'oraclePx'],
      [3, 'outsideDailyClamp', 'externalPerpPx'],
      [4, 'stale', 'interval'],
      [4, 'tooFrequent', 'interval'],
    ]);
    expect(v[1]!.value).toBe('0.02');
    expect(v[2]!.value).toBe('23000');
    expect(v[6]!.value).toBe('1000');
  });
  it('uses the day-open price in force at each update and rejects time going backwards', () => {
    const v = checkSetOracleUpdates({
      updates: [{ timeMs: 90_000_000, oraclePx: '1500', markPxs: [] }],
      dayOpenPrices: [
        { fromMs: 0, price: '100' },
        { fromMs: 86_400_000, price: '200' },
      ],
    });
    expect(v).toEqual([]);
    expect(() =>
      checkSetOracleUpdates({
        updates: [
          { timeMs: 5000, oraclePx: '1', markPxs: [] },
          { timeMs: 4000, oraclePx: '1', markPxs: [] },
        ],
        dayOpenPrices: day,
      }),
    ).toThrow(InvalidParameterError);
  });
  it('rejects day-open prices out of order instead of using the wrong day', () => {
    // Sorted, the day open in force at 90,000,000 ms is 200 and 1500 is 7.5× it (no violation); read in the
    // given order the old checker took 100 and reported 15×.
    expect(() =>
      checkSetOracleUpdates({
        updates: [{ timeMs: 90_000_000, oraclePx: '1500', markPxs: [] }],
        dayOpenPrices: [
          { fromMs: 86_400_000, price: '200' },
          { fromMs: 0, price: '100' },
        ],
      }),
    ).toThrow(UnsortedSeriesError);
    expect(() =>
      checkSetOracleUpdates({
        updates: [{ timeMs: 0, oraclePx: '1', markPxs: [] }],
        dayOpenPrices: [{ fromMs: Number.NaN, price: '1' }],
      }),
    ).toThrow(/dayOpenPrices\[0\]\.fromMs/);
    expect(() =>
      checkSetOracleUpdates({
        updates: [{ timeMs: 5, oraclePx: '1', markPxs: [] }],
        dayOpenPrices: [{ fromMs: 10, price: '1' }],
      }),
    ).toThrow(/updates\[0\]\.timeMs/);
  });
  it('rounds reported ratios half-even instead of truncating them', () => {
    const v = checkSetOracleUpdates({
      updates: [
        { timeMs: 0, oraclePx: '2000', markPxs: ['3'] },
        { timeMs: 3000, oraclePx: '3', markPxs: ['3.05'] },
      ],
      dayOpenPrices: [{ fromMs: 0, price: '3' }],
    });
    expect(v).toEqual([
      // 2000 / 3 = 666.6666…, 18th decimal rounded up
      { index: 0, rule: 'outsideDailyClamp', subject: 'oraclePx', value: '666.666666666666666667' },
      // |3.05 − 3| / 3 = 0.0166…
      { index: 1, rule: 'markMoveOverLimit', subject: 'markPx', value: '0.016666666666666667' },
    ]);
  });
  it('rejects more than two deployer marks and a non-finite time', () => {
    expect(() =>
      checkSetOracleUpdates({
        updates: [{ timeMs: 0, oraclePx: '1', markPxs: ['1', '1', '1'] }],
        dayOpenPrices: [{ fromMs: 0, price: '1' }],
      }),
    ).toThrow(/updates\[0\]\.markPxs must be at most 2 prices, got 3/);
    expect(() =>
      checkSetOracleUpdates({
        updates: [{ timeMs: Number.POSITIVE_INFINITY, oraclePx: '1', markPxs: [] }],
        dayOpenPrices: [{ fromMs: 0, price: '1' }],
      }),
    ).toThrow(/updates\[0\]\.timeMs/);
  });
});
