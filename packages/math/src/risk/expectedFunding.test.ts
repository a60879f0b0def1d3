import { describe, expect, it } from 'vitest';
import { expectedFunding } from './expectedFunding.js';
import type { FundingSample } from './fundingSample.js';

const H = 3_600_000;
const hourly = (rates: readonly string[], volumes?: readonly string[]): FundingSample[] =>
  rates.map((rate, i) => ({
    symbol: 'ETH',
    timeMs: i * H,
    rate,
    intervalHours: 1,
    ...(volumes === undefined ? {} : { volume: volumes[i] as string }),
  }));

describe('expectedFunding', () => {
  it('normalizes each sample by its interval before averaging (SMA)', () => {
    // 0.01 %/8h = 0.0000125/h (SPEC §2.1 baseline); mean with 0.0000375/h = 0.000025/h
    const samples: FundingSample[] = [
      { symbol: 'ETH', timeMs: 0, rate: '0.0001', intervalHours: 8 },
      { symbol: 'ETH', timeMs: H, rate: '0.0000375', intervalHours: 1 },
    ];
    expect(expectedFunding({ samples, estimator: { kind: 'sma' } })).toBeCloseTo(0.000025, 18);
  });

  it('SMA over the last window only', () => {
    const samples = hourly(['0.0001', '0.0002', '0.0003']);
    expect(expectedFunding({ samples, estimator: { kind: 'sma', window: 2 } })).toBeCloseTo(
      0.00025,
      18,
    );
  });

  it('EWMA seeded with the first rate (hand-derived)', () => {
    // α = 0.5: 1 → 0.5·2 + 0.5·1 = 1.5 → 0.5·3 + 0.5·1.5 = 2.25 (×1e-4)
    const samples = hourly(['0.0001', '0.0002', '0.0003']);
    expect(expectedFunding({ samples, estimator: { kind: 'ewma', alpha: 0.5 } })).toBeCloseTo(
      0.000225,
      18,
    );
    expect(() => expectedFunding({ samples, estimator: { kind: 'ewma', alpha: 0 } })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'estimator.alpha' }),
    );
  });

  it('volume-weighted mean (hand-derived) and null without volume', () => {
    // (0.0001·3 + 0.0003·1) / 4 = 0.00015
    const samples = hourly(['0.0001', '0.0003'], ['3', '1']);
    expect(expectedFunding({ samples, estimator: { kind: 'volumeWeighted' } })).toBeCloseTo(
      0.00015,
      18,
    );
    const flat = hourly(['0.0001', '0.0003'], ['0', '0']);
    expect(expectedFunding({ samples: flat, estimator: { kind: 'volumeWeighted' } })).toBeNull();
    expect(() =>
      expectedFunding({ samples: hourly(['0.0001']), estimator: { kind: 'volumeWeighted' } }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidDecimalError',
        parameter: 'samples[0].volume',
      }),
    );
  });

  it('regression extrapolates the trend to atMs', () => {
    // 1, 2, 3 (×1e-5) at hours 0, 1, 2 → 4e-5 at hour 3; at the last sample → 3e-5
    const samples = hourly(['0.00001', '0.00002', '0.00003']);
    expect(
      expectedFunding({ samples, estimator: { kind: 'regression', atMs: 3 * H } }),
    ).toBeCloseTo(0.00004, 18);
    expect(expectedFunding({ samples, estimator: { kind: 'regression' } })).toBeCloseTo(
      0.00003,
      18,
    );
    expect(
      expectedFunding({ samples: hourly(['0.1']), estimator: { kind: 'regression' } }),
    ).toBeNull();
  });

  it('regression is ordinary least squares (textbook noisy set, hand-derived)', () => {
    // x = 1…4 h, y = 2, 4, 5, 4 (×1e-5): x̄ 2.5, ȳ 3.75, Sxy 3.5, Sxx 5 → slope 0.7, intercept 2;
    // read at hour 5: 2 + 0.7·5 = 5.5 (×1e-5). Samples sit at hours 1…4 (timeMs = hour·H).
    const samples = ['0.00002', '0.00004', '0.00005', '0.00004'].map((rate, i) => ({
      symbol: 'ETH',
      timeMs: (i + 1) * H,
      rate,
      intervalHours: 1,
    }));
    expect(
      expectedFunding({ samples, estimator: { kind: 'regression', atMs: 5 * H } }),
    ).toBeCloseTo(0.000055, 17);
    // Read at the last sample (hour 4): 2 + 0.7·4 = 4.8 (×1e-5).
    expect(expectedFunding({ samples, estimator: { kind: 'regression' } })).toBeCloseTo(
      0.000048,
      17,
    );
    // Two samples at the same time: no slope.
    const sameTime = samples.map((s) => ({ ...s, timeMs: H }));
    expect(expectedFunding({ samples: sameTime, estimator: { kind: 'regression' } })).toBeNull();
  });

  it('throws on empty, unsorted or malformed samples', () => {
    expect(() => expectedFunding({ samples: [], estimator: { kind: 'sma' } })).toThrow(
      expect.objectContaining({ name: 'Math.EmptySeriesError' }),
    );
    const unsorted: FundingSample[] = [
      { symbol: 'ETH', timeMs: H, rate: '0.0001', intervalHours: 1 },
      { symbol: 'ETH', timeMs: 0, rate: '0.0001', intervalHours: 1 },
    ];
    expect(() => expectedFunding({ samples: unsorted, estimator: { kind: 'sma' } })).toThrow(
      expect.objectContaining({ name: 'Math.UnsortedSeriesError', index: 1 }),
    );
    expect(() => expectedFunding({ samples: hourly(['1%']), estimator: { kind: 'sma' } })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidDecimalError', parameter: 'samples[0].rate' }),
    );
    expect(() =>
      expectedFunding({
        samples: [{ symbol: 'ETH', timeMs: 0, rate: '0.0001', intervalHours: 0 }],
        estimator: { kind: 'sma' },
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'samples[0].intervalHours',
      }),
    );
    expect(() =>
      expectedFunding({ samples: hourly(['0.1']), estimator: { kind: 'sma', window: 0 } }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'estimator.window',
      }),
    );
  });
});
