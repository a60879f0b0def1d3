import { describe, expect, it } from 'vitest';
import { InvalidDecimalError } from '../errors.js';
import { aevoFairPrice, aevoMarkPrice } from './aevoMarkPrice.js';

describe('Aevo mark (perp-math.md §4 A1, A2, A9)', () => {
  it('A1: Price 1 = 2000 × (1 + 0.005 × 0.5) = 2005', () => {
    const r = aevoMarkPrice({
      indexPrice: '2000',
      fairPrice: '2010',
      lastFundingRate: '0.005',
      hoursToNextFunding: 0.5,
      basisSamples: ['3'],
    });
    expect(r.price1).toBe('2005');
    expect(r.price2).toBe('2003');
    expect(r.markPrice).toBe('2005');
  });
  it('A2: with Price1 < Price2 < Fair the mark is Price2', () => {
    const r = aevoMarkPrice({
      indexPrice: '2000',
      fairPrice: '2010',
      lastFundingRate: '0',
      hoursToNextFunding: 0.5,
      basisSamples: ['4', '6'],
    });
    expect(r).toEqual({ markPrice: '2005', price1: '2000', price2: '2005' });
  });
  it('A9: ETH/BTC fair price guard (best bid −0.1 %, best ask +0.1 %)', () => {
    expect(
      aevoFairPrice({ impactBid: '1997', impactAsk: '2004', bestBid: '2000', bestAsk: '2001' }),
    ).toBe('2000.5005');
    expect(aevoFairPrice({ impactBid: '1997', impactAsk: '2004' })).toBe('2000.5');
    // The guard needs both best prices.
    expect(() => aevoFairPrice({ impactBid: '1997', impactAsk: '2004', bestBid: '2000' })).toThrow(
      InvalidDecimalError,
    );
    expect(() => aevoFairPrice({ impactBid: '1997', impactAsk: '2004', bestAsk: '2001' })).toThrow(
      /bestBid/,
    );
  });
});
