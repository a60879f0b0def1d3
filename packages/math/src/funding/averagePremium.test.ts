import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../errors.js';
import { parseDecimal } from '../internal/decimal.js';
import { averagePremium } from './averagePremium.js';

/** Same decimal value ('0.0' equals '0'). */
const _same = (a: string | null, b: string) => a !== null && parseDecimal(a) === parseDecimal(b);

describe('premium averaging', () => {
  it('A8: linear weights 1..n (Aevo/Binance) — [0.0001, 0.0002, 0.0003] → 0.0014/6', () => {
    expect(averagePremium({ samples: ['0.0001', '0.0002', '0.0003'], weighting: 'linear' })).toBe(
      '0.000233333333333333',
    );
  });
  it('equal weights (Hyperliquid hourly average)', () => {
    expect(averagePremium({ samples: ['0.0001', '0.0002', '0.0003'], weighting: 'equal' })).toBe(
      '0.0002',
    );
  });
  it('rejects no samples', () => {
    expect(() => averagePremium({ samples: [], weighting: 'equal' })).toThrow(
      InvalidParameterError,
    );
  });
});
