import { describe, expect, it } from 'vitest';
import { depthSwings } from './depthSwings.js';

const snap = (timeMs: number, depth: string) => ({ timeMs, depth });

describe('depthSwings', () => {
  it('flags an alternating post/pull pattern (hand-derived)', () => {
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
    expect(r.swingCount).toBe(1);
    expect(r.spoofingSuspected).toBe(false);
  });

  it('does not count a steady decline as spoofing', () => {
    // 100 → 80 → 60 → 40 within 30 s: swings of 20/25/33 %: one ≥ 30 %.
    const r = depthSwings({
      snapshots: [snap(0, '100'), snap(10_000, '80'), snap(20_000, '60'), snap(30_000, '40')],
      windowMs: 30_000,
    });
    expect(r.swingCount).toBe(1);
    expect(r.spoofingSuspected).toBe(false);
  });

  it('counts same-direction swings once and empty books as no swing', () => {
    // 1000 → 500 → 200: two falls ≥ 30 %, same direction → a chain of 1; 0 → 0 is no swing,
    // 0 → 100 is a rise (100 % of the larger depth).
    const r = depthSwings({
      snapshots: [snap(0, '1000'), snap(1, '500'), snap(2, '200'), snap(3, '0'), snap(4, '0')],
      windowMs: 10,
    });
    expect(r.swingCount).toBe(1);
    const back = depthSwings({
      snapshots: [snap(0, '0'), snap(1, '0'), snap(2, '100'), snap(3, '0')],
      windowMs: 10,
      minSwings: 2,
    });
    expect(back).toEqual({ swingCount: 2, spoofingSuspected: true });
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
    const two = [snap(0, '1'), snap(1, '1')];
    expect(() => depthSwings({ snapshots: two, windowMs: 1, swingFraction: 1 })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'swingFraction' }),
    );
    expect(() => depthSwings({ snapshots: two, windowMs: 1, minSwings: 0 })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'minSwings' }),
    );
    expect(() => depthSwings({ snapshots: [snap(0, '1'), snap(1, '-1')], windowMs: 1 })).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'snapshots[1].depth',
      }),
    );
  });
});
