import type { HlPerpAssetCtx } from '@perpscope/hyperliquid';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMarketState, MAX_INTERVALS, OracleIntervals, observeCtx } from './marketState.js';

/** Nearest-rank percentile of ascending `sorted` (the definition the metrics document). */
const nearestRank = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? null
    : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

describe('OracleIntervals', () => {
  // Small values so duplicates are common (the removal must take out exactly one of them), and
  // wide ones so they are rare (every shift of the sorted half must move the right values).
  it.each([
    ['duplicates common', 40],
    ['duplicates rare', 2 ** 31 - 1],
  ])(
    'keeps the last MAX_INTERVALS intervals in arrival order and the same values sorted beside them (%s)',
    (_, top) => {
      fc.assert(
        fc.property(
          // size 'max': fast-check's default sizes stay far below MAX_INTERVALS, so the
          // drop of the oldest (the path that runs at steady state) would never be reached.
          fc.array(fc.integer({ min: 0, max: top }), { maxLength: MAX_INTERVALS * 3, size: 'max' }),
          (pushed) => {
            const intervals = new OracleIntervals();
            for (const ms of pushed) intervals.push(ms);
            const kept = pushed.slice(-MAX_INTERVALS);
            const sorted = [...kept].sort((a, b) => a - b);
            expect(intervals.count).toBe(kept.length);
            expect(intervals.inArrivalOrder()).toEqual(kept);
            expect(intervals.ascending()).toEqual(sorted);
            for (const p of [0.01, 0.5, 0.95, 1]) {
              expect(intervals.percentile(p)).toBe(nearestRank(sorted, p));
            }
            expect(intervals.max()).toBe(sorted.at(-1) ?? null);
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it('holds whole ms up to ±24.8 days exactly and clamps beyond', () => {
    const intervals = new OracleIntervals();
    const day = 86_400_000;
    for (const ms of [3_000, 24 * day, -5, 30 * day, -30 * day, 2.4]) intervals.push(ms);
    expect(intervals.inArrivalOrder()).toEqual([3_000, 24 * day, -5, 2 ** 31 - 1, -(2 ** 31), 2]);
    expect(intervals.max()).toBe(2 ** 31 - 1);
  });

  it('has no percentile or maximum before the first interval', () => {
    const intervals = new OracleIntervals();
    expect([intervals.count, intervals.percentile(0.5), intervals.max()]).toEqual([0, null, null]);
    expect(intervals.inArrivalOrder()).toEqual([]);
  });
});

describe('observeCtx', () => {
  const ctx = (markPx: string): HlPerpAssetCtx => ({
    funding: '0.0000125',
    openInterest: '1234.5',
    prevDayPx: '400.0',
    dayNtlVlm: '1000000.0',
    premium: '0.0001',
    oraclePx: '401.0',
    markPx,
    midPx: '401.05',
    impactPxs: ['401.0', '401.1'],
    dayBaseVlm: '2500.0',
  });

  it('keeps the held sample when an equal one arrives, and takes a changed one', () => {
    const state = createMarketState('xyz:TSLA', 'xyz');
    const first = ctx('401.1');
    expect(observeCtx(state, first, 1_000).changed).toBe(true);
    const same = ctx('401.1');
    expect(observeCtx(state, same, 2_000).changed).toBe(false);
    expect(state.ctx).toBe(first);
    expect(state.lastSampleMs).toBe(2_000);
    const moved = ctx('401.2');
    expect(observeCtx(state, moved, 3_000).changed).toBe(true);
    expect(state.ctx).toBe(moved);
  });
});
