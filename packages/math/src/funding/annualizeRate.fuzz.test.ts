import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from '../internal/decimal.js';
import { annualizeRate, convertRateInterval } from './annualizeRate.js';

const arbRate = fc
  .bigInt({ min: -(10n ** 16n), max: 10n ** 16n }) // |rate| ≤ 1 %, 18 decimals
  .map((n) => formatDecimal(n));
const arbInterval = fc.constantFrom(0.5, 1, 2, 4, 8, 24);

const close = (a: string, b: string, wei: bigint) => {
  const d = parseDecimal(a) - parseDecimal(b);
  return d <= wei && d >= -wei;
};

describe('annualization properties (fast-check)', () => {
  it('the APR of a rate equals the APR of the same rate converted to any other interval', () => {
    fc.assert(
      fc.property(arbRate, arbInterval, arbInterval, (rate, from, to) => {
        const converted = convertRateInterval({
          rate,
          fromIntervalHours: from,
          toIntervalHours: to,
        });
        // The conversion rounds once (≤ 0.5 wei per interval); ×8760/to amplifies that to < 8760/0.5 wei.
        expect(
          close(
            annualizeRate({ rate, intervalHours: from }),
            annualizeRate({ rate: converted, intervalHours: to }),
            17_520n,
          ),
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('rate → APR → rate and interval A → B → A round-trip', () => {
    fc.assert(
      fc.property(arbRate, arbInterval, arbInterval, (rate, a, b) => {
        const apr = annualizeRate({ rate, intervalHours: a });
        const fromApr = convertRateInterval({
          rate: apr,
          fromIntervalHours: 8760,
          toIntervalHours: a,
        });
        expect(close(fromApr, rate, 1n)).toBe(true);
        const there = convertRateInterval({ rate, fromIntervalHours: a, toIntervalHours: b });
        const back = convertRateInterval({ rate: there, fromIntervalHours: b, toIntervalHours: a });
        expect(close(back, rate, 48n)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
