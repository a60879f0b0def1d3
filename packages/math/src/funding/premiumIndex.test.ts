import { describe, expect, it } from 'vitest';
import vectors from '../../test/vectors/hyperliquid/testvectors.funding-premium.json' with {
  type: 'json',
};
import { InvalidParameterError } from '../errors.js';
import { parseDecimal } from '../internal/decimal.js';
import { hip3PremiumIndex, impactPrice, premiumIndex } from './premiumIndex.js';

/** Same decimal value ('0.0' equals '0'). */
const same = (a: string | null, b: string) => a !== null && parseDecimal(a) === parseDecimal(b);

describe('premium index — recorded Hyperliquid assetCtx rows (testvectors.funding-premium.json)', () => {
  // Source: ../shared/fixtures/hyperliquid/testvectors.funding-premium.json, rows of the 2026-02-06
  // mainnet metaAndAssetCtxs captures (https://github.com/sonirico/go-hyperliquid testdata). The full
  // captures are checked row by row in hyperliquid/analyzeMetaAndAssetCtxs.test.ts.
  it.each(vectors.premium_main.map((v) => [v.coin, v] as const))('validator perp %s', (_, v) => {
    const p = premiumIndex({
      impactBid: v.impactPxs[0]!,
      impactAsk: v.impactPxs[1]!,
      indexPrice: v.oraclePx,
      decimals: 10,
    });
    expect(same(p, v.expectedPremium)).toBe(true);
  });
  it.each(vectors.premium_hip3_xyz.map((v) => [v.coin, v] as const))('HIP-3 %s', (_, v) => {
    const p = hip3PremiumIndex({
      impactBid: v.impactPxs[0]!,
      impactAsk: v.impactPxs[1]!,
      indexPrice: v.oraclePx,
      decimals: 10,
    });
    expect(same(p, v.expectedPremium)).toBe(true);
  });
  it('keeps full precision by default', () => {
    expect(premiumIndex({ impactBid: '10100', impactAsk: '10200', indexPrice: '10000' })).toBe(
      '0.01',
    );
    expect(premiumIndex({ impactBid: '66371', impactAsk: '66372', indexPrice: '66383' })).toBe(
      '-0.000165705075094527',
    );
  });
  it('rejects a zero index', () => {
    expect(() => premiumIndex({ impactBid: '1', impactAsk: '1', indexPrice: '0' })).toThrow(
      InvalidParameterError,
    );
  });
});

describe('impact price from a book', () => {
  const asks = [
    { price: '100', size: '1' },
    { price: '101', size: '2' },
    { price: '105', size: '10' },
  ];
  it('walks levels and averages exactly', () => {
    // 100 + 202 = 302 notional fills levels 1–2 exactly: 3 units → 100.666…
    expect(impactPrice({ levels: asks, notional: '302' })).toBe('100.666666666666666667');
    // 400: 302 from levels 1–2 plus 98/105 units at 105 → 400 / (3 + 0.9333…) = 101.6949…
    expect(impactPrice({ levels: asks, notional: '400' })).toBe('101.694915254237288136');
    expect(impactPrice({ levels: asks, notional: '50' })).toBe('100');
  });
  it('returns null when the book is too thin and throws on an empty book', () => {
    expect(impactPrice({ levels: asks, notional: '10000' })).toBeNull();
    expect(() => impactPrice({ levels: [], notional: '1' })).toThrow(InvalidParameterError);
  });
});
