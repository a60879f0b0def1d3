import { describe, expect, it } from 'vitest';
import { fundingReversal } from './fundingReversal.js';
import type { FundingSample } from './fundingSample.js';

const H = 3_600_000;
const series = (rates: readonly string[]): FundingSample[] =>
  rates.map((rate, i) => ({ symbol: 'ETH', timeMs: i * H, rate, intervalHours: 1 }));

describe('fundingReversal', () => {
  it('finds the fast/slow SMA cross (hand-derived)', () => {
    // fast = SMA2, slow = SMA4 (×1e-5): i3 3.5 > 2.5; i4 4.5 > 3.5; i5 3 < 3.25 → down at hour 5;
    // i6 −0.5 < 2.
    const r = fundingReversal({
      samples: series([
        '0.00001',
        '0.00002',
        '0.00003',
        '0.00004',
        '0.00005',
        '0.00001',
        '-0.00002',
      ]),
      fastWindow: 2,
      slowWindow: 4,
    });
    expect(r.crosses).toEqual([{ timeMs: 5 * H, direction: 'down' }]);
    expect(r.signal).toBeNull();
    expect(r.fast).toBeCloseTo(-0.000005, 18);
    expect(r.slow).toBeCloseTo(0.00002, 18);
  });

  it('signals a cross that happens at the latest sample, in both directions', () => {
    const down = fundingReversal({
      samples: series(['0.00001', '0.00002', '0.00003', '0.00004', '0.00005', '0.00001']),
      fastWindow: 2,
      slowWindow: 4,
    });
    expect(down.signal).toEqual({ timeMs: 5 * H, direction: 'down' });
    const up = fundingReversal({
      samples: series(['0.00005', '0.00004', '0.00003', '0.00002', '0.00001', '0.00006']),
      fastWindow: 2,
      slowWindow: 4,
    });
    expect(up.signal).toEqual({ timeMs: 5 * H, direction: 'up' });
  });

  it('does not count a touch as a cross', () => {
    const flat = fundingReversal({ samples: series(Array(12).fill('0.0000125')) });
    expect(flat.crosses).toEqual([]);
    expect(flat.signal).toBeNull();
  });

  it('validates windows and length', () => {
    expect(() =>
      fundingReversal({ samples: series(['0.1', '0.1']), fastWindow: 3, slowWindow: 3 }),
    ).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'slowWindow' }),
    );
    expect(() => fundingReversal({ samples: series(Array(8).fill('0.1')) })).toThrow(
      expect.objectContaining({ name: 'Math.EmptySeriesError', minLength: 9 }),
    );
  });
});
