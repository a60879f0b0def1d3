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
  it('keeps a source exactly 0.5 % from the median and drops one just beyond', () => {
    // median 2000; 2010 is exactly +0.5 % → kept: (2000 + 2000 + 2010) / 3
    expect(
      aevoIndexPrice({ sources: [{ price: '2000' }, { price: '2010' }, { price: '2000' }] }),
    ).toEqual({ price: '2003.333333333333333333', sourcesUsed: 3 });
    expect(
      aevoIndexPrice({ sources: [{ price: '2000' }, { price: '2010.000001' }, { price: '1990' }] }),
    ).toEqual({ price: '1995', sourcesUsed: 2 });
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
