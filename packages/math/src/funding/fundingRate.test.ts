import { describe, expect, it } from 'vitest';
import vectors from '../../test/vectors/hyperliquid/testvectors.funding-premium.json' with {
  type: 'json',
};
import { InvalidParameterError } from '../errors.js';
import { parseDecimal } from '../internal/decimal.js';
import { aevoFundingRate, binanceFundingRate, hyperliquidFundingRate } from './fundingRate.js';
import { predictHyperliquidFundingRate } from './predictFundingRate.js';

/** Same decimal value ('0.0' equals '0'). */
const _same = (a: string | null, b: string) => a !== null && parseDecimal(a) === parseDecimal(b);

describe('Aevo funding (perp-math.md §4 A3–A7)', () => {
  it.each([
    ['0', '0.0001', '0.0000125'],
    ['0.0002', '0.0001', '0.0000125'],
    ['0.001', '0.0005', '0.0000625'],
    ['-0.001', '-0.0005', '-0.0000625'],
    ['0.0006', '0.0001', '0.0000125'],
    ['-0.0004', '0.0001', '0.0000125'],
  ])('P̄ = %s → 8H %s, 1H %s', (p, r8, r1) => {
    const f = aevoFundingRate({ averagePremium: p });
    expect(f).toEqual({ rate: r1, intervalHours: 1 });
    // The 8-hour rate is the hourly rate × the default interval 8.
    expect(parseDecimal(f.rate) * 8n).toBe(parseDecimal(r8));
  });
  it('applies the per-market ceiling/floor before dividing by the interval (4 h markets)', () => {
    const market = { averagePremium: '0.01', fundingIntervalHours: 4 };
    // Uncapped 8H = 0.01 − 0.0005 = 0.0095 → 0.0095 / 4 per hour.
    expect(aevoFundingRate(market).rate).toBe('0.002375');
    // Capped 8H = 0.002 → 0.002 / 4 per hour.
    const f = aevoFundingRate({ ...market, ceiling: '0.002', floor: '-0.002' });
    expect(f).toEqual({ rate: '0.0005', intervalHours: 1 });
    expect(aevoFundingRate({ ...market, averagePremium: '-0.01', floor: '-0.002' }).rate).toBe(
      '-0.0005',
    );
    const inverted = () =>
      aevoFundingRate({ averagePremium: '0', ceiling: '0.001', floor: '0.002' });
    expect(inverted).toThrow(InvalidParameterError);
    expect(inverted).toThrow(/floor must be at most ceiling, got "0.002"/);
  });
});

describe('Hyperliquid funding', () => {
  it('C12: docs example premium 1 %, interest 0.01 % → 0.95 % per 8 h, 0.11875 %/h', () => {
    // https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding
    expect(hyperliquidFundingRate({ averagePremium: '0.01' })).toEqual({
      rate: '0.0011875',
      intervalHours: 1,
    });
  });
  const recorded = vectors.funding.filter((f) => 'premiumAvg' in f) as unknown as {
    case: string;
    premiumAvg: string;
    expectedHourlyFundingRate: string;
  }[];
  it.each(recorded.map((f) => [f.case, f] as const))('recorded fundingHistory: %s', (_, f) => {
    const { rate } = hyperliquidFundingRate({ averagePremium: f.premiumAvg });
    // The API publishes 10 decimals (0.00000433135 is published as 0.0000043313): allow 1e-10.
    expect(
      parseDecimal(rate) - parseDecimal(f.expectedHourlyFundingRate) <= 100_000_000n &&
        parseDecimal(f.expectedHourlyFundingRate) - parseDecimal(rate) <= 100_000_000n,
    ).toBe(true);
  });
  it('HIP-3 multiplier 0.5 scales the whole rate (xyz ctx funding 0.00000625)', () => {
    expect(hyperliquidFundingRate({ averagePremium: '0.0001', multiplier: '0.5' }).rate).toBe(
      '0.00000625',
    );
    expect(hyperliquidFundingRate({ averagePremium: '0.0001', multiplier: '0' }).rate).toBe('0');
  });
  it('HIP-3 interest override replaces the interest component', () => {
    expect(hyperliquidFundingRate({ averagePremium: '0', interestRate8h: '-0.0002' }).rate).toBe(
      '-0.000025',
    );
  });
  it('caps at ±4 %/h', () => {
    expect(hyperliquidFundingRate({ averagePremium: '0.5' }).rate).toBe('0.04');
    expect(hyperliquidFundingRate({ averagePremium: '-0.5', multiplier: '10' }).rate).toBe('-0.04');
  });
  it('rejects a multiplier above 10', () => {
    expect(() => hyperliquidFundingRate({ averagePremium: '0', multiplier: '11' })).toThrow(
      InvalidParameterError,
    );
  });
  it('predicts the current hour from the samples so far', () => {
    const p = predictHyperliquidFundingRate({ premiumSamples: ['0.001', '0.003'] });
    expect(p.averagePremium).toBe('0.002');
    expect(p.fundingRate.rate).toBe('0.0001875'); // (0.002 − 0.0005) / 8
  });
});

describe('Binance funding (perp-math.md §4 B8, B9)', () => {
  it('B8: 4 h symbol, P̄ 0.0002 → 0.00005 per 4 h', () => {
    expect(binanceFundingRate({ averagePremium: '0.0002', fundingIntervalHours: 4 })).toEqual({
      rate: '0.00005',
      intervalHours: 4,
    });
  });
  it('B9: capped at ±0.75 × MMR (ADAUSDT 75x tier MMR 0.65 % → ±0.4875 %), ±0.65 % with k = 1', () => {
    expect(
      binanceFundingRate({ averagePremium: '0.05', maintenanceMarginRate: '0.0065' }).rate,
    ).toBe('0.004875');
    expect(
      binanceFundingRate({
        averagePremium: '-0.05',
        maintenanceMarginRate: '0.0065',
        capMultiplier: '1',
      }).rate,
    ).toBe('-0.0065');
  });
  it('explicit adjusted cap/floor (fundingInfo) as ceiling/floor', () => {
    expect(
      binanceFundingRate({ averagePremium: '0.05', ceiling: '0.025', floor: '-0.025' }).rate,
    ).toBe('0.025');
  });
  it('an explicit ceiling/floor takes precedence over ±k·MMR when both are given', () => {
    // 8h rate 0.05 − 0.0005 = 0.0495; k·MMR = 0.75 × 0.005 = 0.00375 would cut it below the explicit cap.
    const both = { maintenanceMarginRate: '0.005', ceiling: '0.02', floor: '-0.02' };
    expect(binanceFundingRate({ averagePremium: '0.05', ...both }).rate).toBe('0.02');
    expect(binanceFundingRate({ averagePremium: '-0.05', ...both }).rate).toBe('-0.02');
    expect(() =>
      binanceFundingRate({ averagePremium: '0', ceiling: '0.01', floor: '0.02' }),
    ).toThrow(/floor must be at most ceiling, got "0.02"/);
  });
});
