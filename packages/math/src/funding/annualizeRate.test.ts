import { describe, expect, it } from 'vitest';
import { InvalidDecimalError } from '../errors.js';
import { parseDecimal } from '../internal/decimal.js';
import { annualizeRate, annualPercentageYield, convertRateInterval } from './annualizeRate.js';

/** Same decimal value ('0.0' equals '0'). */
const _same = (a: string | null, b: string) => a !== null && parseDecimal(a) === parseDecimal(b);

describe('annualization (perp-math.md §4 C14, F3)', () => {
  it.each([
    ['0.0001', 8],
    ['0.0000125', 1],
    ['0.00005', 4],
  ] as const)('%s per %i h → 10.95 % APR', (rate, intervalHours) => {
    expect(annualizeRate({ rate, intervalHours })).toBe('0.1095');
  });
  it('converts between intervals and back from APR', () => {
    expect(convertRateInterval({ rate: '0.0001', fromIntervalHours: 8, toIntervalHours: 1 })).toBe(
      '0.0000125',
    );
    expect(
      convertRateInterval({ rate: '0.1095', fromIntervalHours: 8760, toIntervalHours: 8 }),
    ).toBe('0.0001');
  });
  it('APY compounds per interval', () => {
    expect(Number(annualPercentageYield({ rate: '0.0001', intervalHours: 8 }))).toBeCloseTo(
      1.0001 ** 1095 - 1,
      12,
    );
  });
  it('rejects a zero interval and a malformed rate', () => {
    expect(() => annualizeRate({ rate: '0.0001', intervalHours: 0 })).toThrow(/intervalHours/);
    expect(() => annualizeRate({ rate: '1e-4', intervalHours: 8 })).toThrow(InvalidDecimalError);
  });
});
