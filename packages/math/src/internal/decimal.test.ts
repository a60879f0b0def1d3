import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidDecimalError } from '../errors.js';
import {
  DivisionByZeroError,
  div,
  divRound,
  formatDecimal,
  fromNumber,
  mul,
  parseDecimal,
  pointAt,
  type Rounding,
  rescale,
  toNumber,
  WAD,
} from './decimal.js';

describe('parseDecimal', () => {
  it.each([
    ['-0.5', -500_000_000_000_000_000n],
    ['12', 12n * WAD],
    ['0.000001', 1_000_000_000_000n],
    ['0', 0n],
    ['-0', 0n],
    ['.5', 500_000_000_000_000_000n],
    ['5.', 5n * WAD],
    ['0.000000000000000001', 1n],
    ['123456789012345678901234.5', 123456789012345678901234n * WAD + WAD / 2n],
  ])('parses %s', (input, expected) => {
    expect(parseDecimal(input)).toBe(expected);
  });

  it.each([
    '1e5',
    '',
    'NaN',
    '.',
    ' 1',
    '1 ',
    '1,5',
    '+1',
    '--1',
    '1.2.3',
    'Infinity',
    '0x10',
    '-',
  ])('rejects %j with InvalidDecimalError naming the parameter', (input) => {
    expect(() => parseDecimal(input, 'size')).toThrow(InvalidDecimalError);
    expect(() => parseDecimal(input, 'size')).toThrow(/size must be a decimal string/);
  });

  it('rejects non-strings passed from untyped callers', () => {
    expect(() => parseDecimal(1 as unknown as string)).toThrow(InvalidDecimalError);
  });

  it('rounds digits beyond the 18th decimal half-even by default, or as asked', () => {
    expect(parseDecimal('0.0000000000000000015')).toBe(2n);
    expect(parseDecimal('0.0000000000000000025')).toBe(2n);
    expect(parseDecimal('-0.0000000000000000015')).toBe(-2n);
    expect(parseDecimal('0.0000000000000000019', 'x', 'floor')).toBe(1n);
  });
});

describe('formatDecimal', () => {
  it.each([
    [0n, '0'],
    [-500_000_000_000_000_000n, '-0.5'],
    [12n * WAD, '12'],
    [1n, '0.000000000000000001'],
    [-1n, '-0.000000000000000001'],
  ])('formats %s as %s', (input, expected) => {
    expect(formatDecimal(input)).toBe(expected);
  });

  it('rounds to the requested decimals with the requested mode and never prints -0', () => {
    expect(formatDecimal(parseDecimal('2.345'), { decimals: 2 })).toBe('2.34');
    expect(formatDecimal(parseDecimal('2.355'), { decimals: 2 })).toBe('2.36');
    expect(formatDecimal(parseDecimal('2.345'), { decimals: 2, rounding: 'halfUp' })).toBe('2.35');
    expect(formatDecimal(parseDecimal('-0.001'), { decimals: 2 })).toBe('0');
    expect(formatDecimal(parseDecimal('1.5'), { decimals: 3, padZeros: true })).toBe('1.500');
    expect(formatDecimal(parseDecimal('7.9'), { decimals: 0, rounding: 'floor' })).toBe('7');
  });

  it('round-trips every decimal with up to 18 places', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (x) => {
        expect(parseDecimal(formatDecimal(x))).toBe(x);
      }),
    );
  });

  it('pointAt reads digits at any scale exactly as the option path formats them', () => {
    expect(pointAt('1500', 3)).toBe('1.5');
    expect(pointAt('5', 2)).toBe('0.05');
    expect(pointAt('0', 18)).toBe('0');
    expect(pointAt('120', 0)).toBe('120');
    // Against the `decimals` path of formatDecimal (its own padding and trimming, not pointAt).
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 10n ** 3n })),
        fc.integer({ min: 0, max: 18 }),
        (x, decimals) => {
          const scaled = x * 10n ** BigInt(18 - decimals);
          expect(pointAt(x.toString(), decimals)).toBe(formatDecimal(scaled, { decimals: 18 }));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('divRound', () => {
  const cases: [bigint, bigint, Rounding, bigint][] = [
    [7n, 2n, 'floor', 3n],
    [-7n, 2n, 'floor', -4n],
    [7n, 2n, 'ceil', 4n],
    [-7n, 2n, 'ceil', -3n],
    [7n, 2n, 'trunc', 3n],
    [-7n, 2n, 'trunc', -3n],
    [7n, 2n, 'expand', 4n],
    [-7n, 2n, 'expand', -4n],
    [5n, 2n, 'halfEven', 2n],
    [7n, 2n, 'halfEven', 4n],
    [-5n, 2n, 'halfEven', -2n],
    [5n, 2n, 'halfUp', 3n],
    [-5n, 2n, 'halfUp', -3n],
    [7n, -2n, 'floor', -4n],
    [8n, 3n, 'halfUp', 3n],
    [7n, 3n, 'halfUp', 2n],
  ];
  it.each(cases)('%s / %s rounded %s is %s', (n, d, r, q) => {
    expect(divRound(n, d, r)).toBe(q);
  });

  it('throws a typed error on division by zero', () => {
    expect(() => divRound(1n, 0n, 'floor')).toThrow(DivisionByZeroError);
    expect(() => div(WAD, 0n)).toThrow(DivisionByZeroError);
  });

  it('floor ≤ exact ≤ ceil and they differ by at most one unit', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        (n, d) => {
          const lo = divRound(n, d, 'floor');
          const hi = divRound(n, d, 'ceil');
          expect(lo * d <= n && n <= hi * d).toBe(true);
          expect(hi - lo <= 1n).toBe(true);
        },
      ),
    );
  });
});

describe('mul/div/rescale', () => {
  it('multiplies and divides at WAD scale with explicit rounding', () => {
    expect(formatDecimal(mul(parseDecimal('1.5'), parseDecimal('2.25')))).toBe('3.375');
    expect(formatDecimal(div(parseDecimal('1'), parseDecimal('3'), 'floor'))).toBe(
      '0.333333333333333333',
    );
    expect(formatDecimal(div(parseDecimal('2'), parseDecimal('3'), 'halfEven'))).toBe(
      '0.666666666666666667',
    );
    expect(rescale(1_234_567n, 6, 2, 'floor')).toBe(123n);
    expect(rescale(123n, 2, 6)).toBe(1_230_000n);
  });

  it('converts to and from float64', () => {
    expect(fromNumber(0.1)).toBe(parseDecimal('0.1'));
    expect(fromNumber(1e-7)).toBe(parseDecimal('0.0000001'));
    expect(fromNumber(-2.5e21)).toBe(parseDecimal('-2500000000000000000000'));
    expect(fromNumber(1.5e-20)).toBe(0n);
    expect(toNumber(parseDecimal('-1234.5678'))).toBe(-1234.5678);
    expect(() => fromNumber(Number.NaN)).toThrow(InvalidDecimalError);
  });
});
