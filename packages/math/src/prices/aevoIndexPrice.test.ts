import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../errors.js';
import { aevoIndexPrice } from './aevoIndexPrice.js';

describe('Aevo index (founding note 2; perp-math.md §1.3)', () => {
  it('drops sources more than ±0.5 % from the median and averages the rest', () => {
    const r = aevoIndexPrice({
      sources: [{ price: '2000' }, { price: '2001' }, { price: '2100' }],
    });
    expect(r).toEqual({ price: '2000.5', sourcesUsed: 2 });
  });
  it('caps instead of dropping with the cap policy', () => {
    // median 2001, band edge 2001 × 1.005 = 2011.005
    const r = aevoIndexPrice({
      sources: [{ price: '2000' }, { price: '2001' }, { price: '2100' }],
      policy: 'cap',
    });
    expect(r).toEqual({ price: '2004.001666666666666667', sourcesUsed: 3 });
  });
  it('converts USDT quotes to USDC', () => {
    const r = aevoIndexPrice({
      sources: [{ price: '2000', quote: 'USDT' }, { price: '1998' }],
      usdtToUsdc: '0.999',
    });
    expect(r.price).toBe('1998');
    expect(() => aevoIndexPrice({ sources: [{ price: '1', quote: 'USDT' }] })).toThrow(
      /usdtToUsdc/,
    );
    expect(() => aevoIndexPrice({ sources: [] })).toThrow(InvalidParameterError);
  });
});
