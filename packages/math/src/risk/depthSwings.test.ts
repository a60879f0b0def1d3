import { describe, expect, it } from 'vitest';
import { depthSwings } from './depthSwings.js';

const snap = (timeMs: number, depth: string) => ({ timeMs, depth });

describe('depthSwings', () => {
  it('flags a collapse and an alternating post/pull pattern (hand-derived)', () => {
    // 1M → 200k (−80 %) → 1M (+80 %) → 150k (−85 %) → 900k (+83 %): 4 alternating swings ≥ 30 %.
    const r = depthSwings({
      snapshots: [
        snap(0, '1000000'),
        snap(5_000, '200000'),
        snap(10_000, '1000000'),
        snap(15_000, '150000'),
        snap(20_000, '900000'),
      ],
      windowMs: 60_000,
    });
    expect(r.maxDrop).toEqual({
      fromTimeMs: 10_000,
      toTimeMs: 15_000,
      fromDepth: '1000000',
      toDepth: '150000',
      dropFraction: expect.closeTo(0.85, 12),
    });
    expect(r.collapsed).toBe(true);
    expect(r.swingCount).toBe(4);
    expect(r.spoofingSuspected).toBe(true);
  });

  it('ignores the same moves when they are slower than the window', () => {
    const r = depthSwings({
      snapshots: [
        snap(0, '1000000'),
        snap(120_000, '200000'),
        snap(240_000, '1000000'),
        snap(360_000, '150000'),
      ],
      windowMs: 60_000,
    });
    expect(r.maxDrop).toBeNull();
    expect(r.collapsed).toBe(false);
    expect(r.swingCount).toBe(1);
    expect(r.spoofingSuspected).toBe(false);
  });

  it('treats a steady decline as a collapse but not as spoofing', () => {
    // 100 → 80 → 60 → 40 within 30 s: drop 60 %, swings of 20/25/33 %: one ≥ 30 %.
    const r = depthSwings({
      snapshots: [snap(0, '100'), snap(10_000, '80'), snap(20_000, '60'), snap(30_000, '40')],
      windowMs: 30_000,
    });
    expect(r.maxDrop?.dropFraction).toBeCloseTo(0.6, 12);
    expect(r.collapsed).toBe(true);
    expect(r.swingCount).toBe(1);
    expect(r.spoofingSuspected).toBe(false);
  });

  it('throws on too few, unsorted or malformed snapshots', () => {
    expect(() => depthSwings({ snapshots: [snap(0, '1')], windowMs: 1 })).toThrow(
      expect.objectContaining({ name: 'Math.EmptySeriesError' }),
    );
    expect(() => depthSwings({ snapshots: [snap(5, '1'), snap(4, '1')], windowMs: 1 })).toThrow(
      expect.objectContaining({ name: 'Math.UnsortedSeriesError', index: 1 }),
    );
    expect(() => depthSwings({ snapshots: [snap(0, '1'), snap(1, 'x')], windowMs: 1 })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidDecimalError' }),
    );
    expect(() => depthSwings({ snapshots: [snap(0, '1'), snap(1, '1')], windowMs: 0 })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'windowMs' }),
    );
  });
});
