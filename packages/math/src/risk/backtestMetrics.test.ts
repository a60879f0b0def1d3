import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annualizedReturn } from './annualizedReturn.js';
import { backtestMetrics } from './backtestMetrics.js';
import { calmarRatio } from './calmarRatio.js';
import { hitRatio } from './hitRatio.js';
import { maxDrawdown } from './maxDrawdown.js';
import { sharpeRatio } from './sharpeRatio.js';
import { simpleReturns } from './simpleReturns.js';
import { tailLoss } from './tailLoss.js';

describe('simpleReturns', () => {
  it('divides consecutive equity points (hand-derived: 110/100 − 1, 99/110 − 1)', () => {
    const [a, b] = simpleReturns(['100', '110', '99']);
    expect(a).toBeCloseTo(0.1, 15);
    expect(b).toBeCloseTo(-0.1, 15);
  });

  it('keeps tiny returns on large balances (1e-12 on 1e9)', () => {
    const [r] = simpleReturns(['1000000000', '1000000000.001']);
    expect(r).toBeCloseTo(1e-12, 24);
  });

  it('throws typed errors on bad curves', () => {
    expect(() => simpleReturns(['100'])).toThrow(
      expect.objectContaining({ name: 'Math.EmptySeriesError' }),
    );
    expect(() => simpleReturns(['100', '1e3'])).toThrow(
      expect.objectContaining({ name: 'Math.InvalidDecimalError', parameter: 'equity[1]' }),
    );
    expect(() => simpleReturns(['100', '0'])).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'equity[1]' }),
    );
  });
});

describe('maxDrawdown', () => {
  it('finds the deepest peak-to-trough fall (hand-derived)', () => {
    // 1 → 1.1 → 0.55 → 0.66: peak 1.1, trough 0.55 → 50 %.
    expect(maxDrawdown([0.1, -0.5, 0.2])).toBeCloseTo(0.5, 15);
    // Equity 100 → 120 → 90 → 108 → 81 → 135: peak 120, trough 81 → 1 − 81/120 = 0.325.
    expect(maxDrawdown(simpleReturns(['100', '120', '90', '108', '81', '135']))).toBeCloseTo(
      0.325,
      12,
    );
    // A first-period loss is a drawdown from the starting equity.
    expect(maxDrawdown([-0.2])).toBeCloseTo(0.2, 15);
    expect(maxDrawdown([-1, 0])).toBe(1);
  });

  it('is in [0, 1] for any returns (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 5, noNaN: true }), { minLength: 1 }), (rs) => {
        const dd = maxDrawdown(rs);
        return dd >= 0 && dd <= 1;
      }),
    );
  });

  it('is 0 for a monotone non-decreasing curve (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 1 }), (rs) => {
        return maxDrawdown(rs) === 0;
      }),
    );
  });

  it('throws on an empty series and on returns below −100 %', () => {
    expect(() => maxDrawdown([])).toThrow(
      expect.objectContaining({ name: 'Math.EmptySeriesError' }),
    );
    expect(() => maxDrawdown([0.1, -1.5])).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'returns[1]' }),
    );
    expect(() => maxDrawdown([Number.NaN])).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError' }),
    );
  });
});

describe('annualizedReturn', () => {
  it('compounds to a 365-day year (hand-derived)', () => {
    // 1.01^365 − 1 = 36.78343433…
    expect(annualizedReturn({ returns: Array(365).fill(0.01), periodHours: 24 })).toBeCloseTo(
      36.78343433288728,
      9,
    );
    // +21 % over two years (one period of 17,520 h) → √1.21 − 1 = 10 %/yr.
    expect(annualizedReturn({ returns: [0.21], periodHours: 17_520 })).toBeCloseTo(0.1, 14);
    // Total loss stays −100 %.
    expect(annualizedReturn({ returns: [0.5, -1], periodHours: 24 })).toBe(-1);
  });

  it('rejects a non-positive period length', () => {
    expect(() => annualizedReturn({ returns: [0.01], periodHours: 0 })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'periodHours' }),
    );
  });
});

describe('sharpeRatio', () => {
  it('annualizes mean / sample σ by √(8760/periodHours) (hand-derived)', () => {
    // mean 0.005; deviations ±0.005, ±0.015 → Σ² = 5e-4, σ = √(5e-4/3) = 0.0129099…
    // 0.005 / 0.0129099 = 0.3872983 × √365 = 7.3993243
    expect(sharpeRatio({ returns: [0.01, -0.01, 0.02, 0], periodHours: 24 })).toBeCloseTo(
      7.399324293474371,
      10,
    );
  });

  it('subtracts the risk-free rate per period', () => {
    // r_f 3.65 %/yr daily → 0.0001/day; (0.005 − 0.0001)/0.0129099 × √365 = 7.2513378
    expect(
      sharpeRatio({
        returns: [0.01, -0.01, 0.02, 0],
        periodHours: 24,
        riskFreeRatePerYear: 0.0365,
      }),
    ).toBeCloseTo(7.251337807604883, 9);
  });

  it('is null with zero variance, including float noise', () => {
    expect(sharpeRatio({ returns: [0.01, 0.01, 0.01], periodHours: 24 })).toBeNull();
    expect(
      sharpeRatio({ returns: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], periodHours: 1 }),
    ).toBeNull();
  });

  it('needs two returns', () => {
    expect(() => sharpeRatio({ returns: [0.01], periodHours: 24 })).toThrow(
      expect.objectContaining({ name: 'Math.EmptySeriesError', minLength: 2, length: 1 }),
    );
  });
});

describe('calmarRatio, hitRatio, tailLoss', () => {
  it('calmar = annualized return / max drawdown (hand-derived)', () => {
    // Growth 1.1 × 0.5 × 1.2 = 0.66 over 3 years → 0.66^(1/3) − 1 = −0.1293412; ÷ 0.5
    expect(calmarRatio({ returns: [0.1, -0.5, 0.2], periodHours: 8760 })).toBeCloseTo(
      -0.25868246176527765,
      12,
    );
    expect(calmarRatio({ returns: [0.01, 0.02], periodHours: 24 })).toBeNull();
  });

  it('hit ratio counts wins among periods that moved', () => {
    expect(hitRatio([0.01, -0.02, 0, 0.03])).toBeCloseTo(2 / 3, 15);
    expect(hitRatio([0, 0])).toBeNull();
  });

  it('tail loss: VaR and expected shortfall over the worst ceil(n(1−c)) periods (hand-derived)', () => {
    // sorted: −0.05, −0.02, 0, 0.01, 0.03; k = ceil(5 × 0.4) = 2 → VaR 0.02, ES (0.05+0.02)/2
    expect(tailLoss({ returns: [-0.05, -0.02, 0.01, 0.03, 0], confidence: 0.6 })).toEqual({
      tailCount: 2,
      valueAtRisk: 0.02,
      expectedShortfall: 0.035,
    });
    // 20 returns at 95 %: k = ceil(20 × 0.05) = 1 (not 2 from float noise): the single worst.
    const rs = Array.from({ length: 20 }, (_, i) => (i - 5) / 100);
    expect(tailLoss({ returns: rs })).toEqual({
      tailCount: 1,
      valueAtRisk: 0.05,
      expectedShortfall: 0.05,
    });
    expect(() => tailLoss({ returns: rs, confidence: 1 })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'confidence' }),
    );
  });

  it('expected shortfall ≥ value at risk (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (rs, c) => {
          const t = tailLoss({ returns: rs, confidence: c });
          return t.expectedShortfall >= t.valueAtRisk - 1e-12;
        },
      ),
    );
  });
});

describe('backtestMetrics', () => {
  it('reports every metric of note 3 for one equity curve', () => {
    const equity = ['100', '101', '100.5', '102'];
    const m = backtestMetrics({ equity, periodHours: 24, tailConfidence: 0.5 });
    expect(
      backtestMetrics({ returns: simpleReturns(equity), periodHours: 24, tailConfidence: 0.5 }),
    ).toEqual(m);
    expect(m.totalReturn).toBeCloseTo(0.02, 12);
    // 1.02^(365/3) − 1
    expect(m.annualizedReturn).toBeCloseTo(1.02 ** (365 / 3) - 1, 9);
    expect(m.maxDrawdown).toBeCloseTo(1 - 100.5 / 101, 12);
    expect(m.calmar).toBeCloseTo(m.annualizedReturn / m.maxDrawdown, 9);
    expect(m.hitRatio).toBeCloseTo(2 / 3, 12);
    expect(m.sharpe).not.toBeNull();
    // k = ceil(3 × 0.5) = 2 worst: −0.00495…, +0.00995… → ES = −(−0.0049505 + 0.01)/2
    expect(m.tailLoss.tailCount).toBe(2);
    expect(m.tailLoss.expectedShortfall).toBeCloseTo(-(-0.5 / 101 + 0.01) / 2, 12);
  });
});
