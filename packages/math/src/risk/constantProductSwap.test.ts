import { describe, expect, it } from 'vitest';
import { constantProductSwap } from './constantProductSwap.js';

describe('constantProductSwap', () => {
  it('reproduces Uniswap v2-core getInputPrice test cases (0.3 % fee, 18 decimals)', () => {
    // https://github.com/Uniswap/v2-core/blob/master/test/UniswapV2Pair.spec.ts `swapTestCases`:
    // [swapAmount, reserveIn, reserveOut, expectedOutputAmount (wei)].
    const cases: [string, string, string, string][] = [
      ['1', '5', '10', '1.662497915624478906'],
      ['1', '10', '5', '0.453305446940074565'],
      ['2', '5', '10', '2.851015155847869602'],
      ['2', '10', '5', '0.831248957812239453'],
      ['1', '10', '10', '0.906610893880149131'],
      ['1', '100', '100', '0.987158034397061298'],
      ['1', '1000', '1000', '0.996006981039903216'],
    ];
    for (const [amountIn, reserveIn, reserveOut, expected] of cases) {
      expect(constantProductSwap({ reserveIn, reserveOut, amountIn }).amountOut).toBe(expected);
    }
  });

  it('reports prices and the Uniswap-SDK price impact (hand-derived, no fee)', () => {
    // x = 100, y = 200 (price 2), sell 25 without fee: out = 200·25/125 = 40.
    // After: 125 / 160 → price 1.28. Execution 40/25 = 1.6. Impact = (2·25 − 40)/(2·25) = 0.2
    // (= a/(x + a) = 25/125 for a fee-less pool).
    const r = constantProductSwap({
      reserveIn: '100',
      reserveOut: '200',
      amountIn: '25',
      feeFraction: '0',
    });
    expect(r).toEqual({
      amountOut: '40',
      spotPriceBefore: '2',
      spotPriceAfter: '1.28',
      priceImpact: 0.2,
    });
  });

  it('includes the fee in the impact and handles a zero trade', () => {
    // 0.3 % fee on a tiny trade: impact → fee. Sell 1e-6 into 1000/1000.
    const tiny = constantProductSwap({
      reserveIn: '1000',
      reserveOut: '1000',
      amountIn: '0.000001',
    });
    expect(tiny.priceImpact).toBeCloseTo(0.003, 8);
    const zero = constantProductSwap({ reserveIn: '1000', reserveOut: '1000', amountIn: '0' });
    expect(zero).toMatchObject({ amountOut: '0', priceImpact: 0 });
  });

  it('quotes the pool price reserveOut / reserveIn (a zero trade is the price alone)', () => {
    const price = (reserveIn: string, reserveOut: string) =>
      constantProductSwap({ reserveIn, reserveOut, amountIn: '0' }).spotPriceBefore;
    expect(price('5', '10')).toBe('2');
    // 1/3 at 18 decimals, half-even.
    expect(price('3', '1')).toBe('0.333333333333333333');
    expect(price('3', '2')).toBe('0.666666666666666667');
  });

  it('throws typed errors on bad input', () => {
    expect(() => constantProductSwap({ reserveIn: '0', reserveOut: '1', amountIn: '1' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'reserveIn' }),
    );
    expect(() => constantProductSwap({ reserveIn: '1', reserveOut: '1', amountIn: '-1' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'amountIn' }),
    );
    expect(() =>
      constantProductSwap({ reserveIn: '1', reserveOut: '1', amountIn: '1', feeFraction: '1' }),
    ).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'feeFraction' }),
    );
    expect(() => constantProductSwap({ reserveIn: '1', reserveOut: '1', amountIn: '1e2' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidDecimalError', parameter: 'amountIn' }),
    );
  });
});
