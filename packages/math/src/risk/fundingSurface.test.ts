import { describe, expect, it } from 'vitest';
import vector from '../../test/vectors/risk-funding-history-btc-2023-05.json' with { type: 'json' };
import { fundingReversal } from './fundingReversal.js';
import type { FundingSample } from './fundingSample.js';
import { fundingSurface } from './fundingSurface.js';

const H = 3_600_000;

describe('fundingSurface', () => {
  const samples: FundingSample[] = [
    { symbol: 'ETH', timeMs: H + 60_000, rate: '0.0001', intervalHours: 8 },
    { symbol: 'BTC', timeMs: H, rate: '0.00003', intervalHours: 1 },
    { symbol: 'BTC', timeMs: 0, rate: '0.00001', intervalHours: 1 },
  ];

  it('grids time bucket × symbol with realized and expected funding per hour (hand-derived)', () => {
    const s = fundingSurface({ samples, bucketMs: H, estimator: { kind: 'sma' } });

    expect(s.cells).toEqual([
      {
        symbol: 'BTC',
        bucketStartMs: 0,
        sampleCount: 1,
        meanRatePerHour: 0.00001,
        expectedRatePerHour: 0.00001,
      },
      // Expected = SMA of BTC's history up to this bucket's end: (1e-5 + 3e-5)/2
      {
        symbol: 'BTC',
        bucketStartMs: H,
        sampleCount: 1,
        meanRatePerHour: 0.00003,
        expectedRatePerHour: expect.closeTo(0.00002, 18),
      },
      // 0.0001 per 8 h = 0.0000125 per hour
      {
        symbol: 'ETH',
        bucketStartMs: H,
        sampleCount: 1,
        meanRatePerHour: 0.0000125,
        expectedRatePerHour: 0.0000125,
      },
    ]);
  });

  it('aligns buckets to originMs and averages several samples per cell', () => {
    // Daily buckets starting 08:00 UTC: samples at 07:00 and 09:00 and 10:00 on day 0.
    const origin = 8 * H;
    const s = fundingSurface({
      samples: [
        { symbol: 'SOL', timeMs: 7 * H, rate: '0.00001', intervalHours: 1 },
        { symbol: 'SOL', timeMs: 9 * H, rate: '0.00002', intervalHours: 1 },
        { symbol: 'SOL', timeMs: 10 * H, rate: '0.00004', intervalHours: 1 },
      ],
      bucketMs: 24 * H,
      originMs: origin,
      estimator: { kind: 'ewma', alpha: 0.5 },
    });
    expect(s.cells.map((c) => c.bucketStartMs)).toEqual([origin - 24 * H, origin]);
    expect(s.cells[1]?.sampleCount).toBe(2);
    expect(s.cells[1]?.meanRatePerHour).toBeCloseTo(0.00003, 18);
    // EWMA over 1, 2, 4 (×1e-5): 1 → 1.5 → 2.75
    expect(s.cells[1]?.expectedRatePerHour).toBeCloseTo(0.0000275, 18);
  });

  it('reads regression forecasts at each cell end and never looks ahead', () => {
    const base: FundingSample[] = [0, 1, 2].map((i) => ({
      symbol: 'BTC',
      timeMs: i * H,
      rate: ((i + 1) / 100_000).toFixed(5),
      intervalHours: 1,
    }));
    const s1 = fundingSurface({ samples: base, bucketMs: H, estimator: { kind: 'regression' } });
    // Line through 1, 2, 3 (×1e-5) read at the end of bucket 2 (hour 3) → 4e-5.
    expect(s1.cells[2]?.expectedRatePerHour).toBeCloseTo(0.00004, 18);
    expect(s1.cells[0]?.expectedRatePerHour).toBeNull(); // one sample: no line
    const later = [...base, { symbol: 'BTC', timeMs: 3 * H, rate: '-0.001', intervalHours: 1 }];
    const s2 = fundingSurface({ samples: later, bucketMs: H, estimator: { kind: 'regression' } });
    expect(s2.cells.slice(0, 3)).toEqual(s1.cells);
  });

  it('validates its inputs', () => {
    expect(() => fundingSurface({ samples, bucketMs: 0, estimator: { kind: 'sma' } })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'bucketMs' }),
    );
    expect(() =>
      fundingSurface({ samples, bucketMs: H, estimator: { kind: 'volumeWeighted' } }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidDecimalError',
        parameter: 'samples[0].volume',
      }),
    );
    expect(fundingSurface({ samples: [], bucketMs: H, estimator: { kind: 'sma' } }).cells).toEqual(
      [],
    );
  });
});

describe('fundingSurface and fundingReversal on real Hyperliquid BTC funding (2023-05)', () => {
  // Expected values computed independently in Python (decimal.Decimal rate / 8, float means) from the
  // recorded rows; source in the vector file.
  const samples: FundingSample[] = vector.rows.map((r) => ({
    symbol: r.coin,
    timeMs: r.time,
    rate: r.fundingRate,
    intervalHours: 8,
  }));

  it('builds 12 daily cells with per-hour means and a no-look-ahead SMA(3)', () => {
    const s = fundingSurface({
      samples,
      bucketMs: 86_400_000,
      estimator: { kind: 'sma', window: 3 },
    });
    expect(new Set(s.cells.map((c) => c.symbol))).toEqual(new Set(['BTC']));
    expect(s.cells).toHaveLength(12);
    expect(s.cells[0]).toMatchObject({ bucketStartMs: 1_683_849_600_000, sampleCount: 3 });
    expect(s.cells[0]?.meanRatePerHour).toBeCloseTo(-9.068125e-5, 15);
    expect(s.cells[11]).toMatchObject({ bucketStartMs: 1_684_800_000_000, sampleCount: 1 });
    expect(s.cells[11]?.meanRatePerHour).toBeCloseTo(-2.373875e-5, 15);
    expect(s.cells[11]?.expectedRatePerHour).toBeCloseTo(-3.1026666666666666e-5, 15);
  });

  it('detects the one SMA(3)/SMA(9) cross of the period', () => {
    const r = fundingReversal({ samples, fastWindow: 3, slowWindow: 9 });
    expect(r.crosses).toEqual([{ timeMs: 1_684_598_400_345, direction: 'down' }]);
    expect(r.fast).toBeCloseTo(-3.1026666666666666e-5, 15);
    expect(r.slow).toBeCloseTo(-1.7868055555555557e-5, 15);
    expect(r.signal).toBeNull();
  });
});
