import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backtestMetrics } from './backtestMetrics.js';
import { maxDrawdown } from './maxDrawdown.js';

/** Daily metrics of a returns series (the period length only matters for annualization). */
const daily = (returns: readonly number[], more: { tailConfidence?: number } = {}) =>
  backtestMetrics({ returns, periodHours: 24, ...more });

describe('backtestMetrics from an equity curve', () => {
  it('divides consecutive equity points (hand-derived: 110/100 − 1, 99/110 − 1)', () => {
    const m = backtestMetrics({ equity: ['100', '110', '99'], periodHours: 24 });
    // Returns 0.1 and −0.1: one win, one loss; the worst period is −10 %; 1.1 × 0.9 − 1 = −1 %.
    expect(m.hitRatio).toBe(0.5);
    expect(m.tailLoss.valueAtRisk).toBeCloseTo(0.1, 15);
    expect(m.maxDrawdown).toBeCloseTo(0.1, 15);
    expect(m.totalReturn).toBeCloseTo(-0.01, 15);
  });

  it('keeps tiny returns on large balances (1e-12 on 1e9)', () => {
    // Float64 division of the balances would give −1.00008890058e-12; the exact difference
    // 0.001 / 1000000000.001 = 9.99999999999e-13.
    const m = backtestMetrics({
      equity: ['1000000000.001', '1000000000', '1000000000'],
      periodHours: 24,
    });
    expect(m.tailLoss.valueAtRisk).toBeCloseTo(1e-12, 22);
  });

  it('throws typed errors on bad curves', () => {
    expect(() => backtestMetrics({ equity: ['100', '101'], periodHours: 24 })).toThrow(
      expect.objectContaining({ name: 'Math.EmptySeriesError', minLength: 3, length: 2 }),
    );
    expect(() => backtestMetrics({ equity: ['100', '1e3', '1'], periodHours: 24 })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidDecimalError', parameter: 'equity[1]' }),
    );
    expect(() => backtestMetrics({ equity: ['100', '0', '1'], periodHours: 24 })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'equity[1]' }),
    );
  });
});

describe('maxDrawdown', () => {
  it('finds the deepest peak-to-trough fall (hand-derived)', () => {
    // 1 → 1.1 → 0.55 → 0.66: peak 1.1, trough 0.55 → 50 %.
    expect(maxDrawdown([0.1, -0.5, 0.2])).toBeCloseTo(0.5, 15);
    // Equity 100 → 120 → 90 → 108 → 81 → 135: peak 120, trough 81 → 1 − 81/120 = 0.325.
    expect(
      backtestMetrics({ equity: ['100', '120', '90', '108', '81', '135'], periodHours: 24 })
        .maxDrawdown,
    ).toBeCloseTo(0.325, 12);
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

describe('backtestMetrics: annualized return', () => {
  it('compounds to a 365-day year (hand-derived)', () => {
    // 1.01^365 − 1 = 36.78343433…
    expect(daily(Array(365).fill(0.01)).annualizedReturn).toBeCloseTo(36.78343433288728, 9);
    // +21 % over two years (two periods of 8,760 h, +10 % each) → √1.21 − 1 = 10 %/yr.
    expect(
      backtestMetrics({ returns: [0.1, 0.1], periodHours: 8760 }).annualizedReturn,
    ).toBeCloseTo(0.1, 14);
    // Total loss stays −100 %.
    expect(daily([0.5, -1]).annualizedReturn).toBe(-1);
  });

  it('rejects a non-positive period length', () => {
    expect(() => backtestMetrics({ returns: [0.01, 0.02], periodHours: 0 })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'periodHours' }),
    );
  });
});

describe('backtestMetrics: Sharpe ratio', () => {
  it('annualizes mean / sample σ by √(8760/periodHours) (hand-derived)', () => {
    // mean 0.005; deviations ±0.005, ±0.015 → Σ² = 5e-4, σ = √(5e-4/3) = 0.0129099…
    // 0.005 / 0.0129099 = 0.3872983 × √365 = 7.3993243
    expect(daily([0.01, -0.01, 0.02, 0]).sharpe).toBeCloseTo(7.399324293474371, 10);
  });

  it('subtracts the risk-free rate per period', () => {
    // r_f 3.65 %/yr daily → 0.0001/day; (0.005 − 0.0001)/0.0129099 × √365 = 7.2513378
    expect(
      backtestMetrics({
        returns: [0.01, -0.01, 0.02, 0],
        periodHours: 24,
        riskFreeRatePerYear: 0.0365,
      }).sharpe,
    ).toBeCloseTo(7.251337807604883, 9);
    expect(() =>
      backtestMetrics({ returns: [0.01, 0], periodHours: 24, riskFreeRatePerYear: Number.NaN }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'riskFreeRatePerYear',
      }),
    );
  });

  it('is null with zero variance, including float noise', () => {
    expect(daily([0.01, 0.01, 0.01]).sharpe).toBeNull();
    expect(
      backtestMetrics({ returns: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], periodHours: 1 }).sharpe,
    ).toBeNull();
  });

  it('needs two returns', () => {
    expect(() => daily([0.01])).toThrow(
      expect.objectContaining({ name: 'Math.EmptySeriesError', minLength: 2, length: 1 }),
    );
    expect(() => daily([0.1, -1.5])).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'returns[1]' }),
    );
  });
});

describe('backtestMetrics: Calmar, hit ratio, tail loss', () => {
  it('calmar = annualized return / max drawdown (hand-derived)', () => {
    // Growth 1.1 × 0.5 × 1.2 = 0.66 over 3 years → 0.66^(1/3) − 1 = −0.1293412; ÷ 0.5
    expect(backtestMetrics({ returns: [0.1, -0.5, 0.2], periodHours: 8760 }).calmar).toBeCloseTo(
      -0.25868246176527765,
      12,
    );
    expect(daily([0.01, 0.02]).calmar).toBeNull();
  });

  it('hit ratio counts wins among periods that moved', () => {
    expect(daily([0.01, -0.02, 0, 0.03]).hitRatio).toBeCloseTo(2 / 3, 15);
    expect(daily([0, 0]).hitRatio).toBeNull();
  });

  it('tail loss: VaR and expected shortfall over the worst ceil(n(1−c)) periods (hand-derived)', () => {
    // sorted: −0.05, −0.02, 0, 0.01, 0.03; k = ceil(5 × 0.4) = 2 → VaR 0.02, ES (0.05+0.02)/2
    expect(daily([-0.05, -0.02, 0.01, 0.03, 0], { tailConfidence: 0.6 }).tailLoss).toEqual({
      tailCount: 2,
      valueAtRisk: 0.02,
      expectedShortfall: 0.035,
    });
    // 20 returns at 95 %: k = ceil(20 × 0.05) = 1 (not 2 from float noise): the single worst.
    const rs = Array.from({ length: 20 }, (_, i) => (i - 5) / 100);
    expect(daily(rs).tailLoss).toEqual({
      tailCount: 1,
      valueAtRisk: 0.05,
      expectedShortfall: 0.05,
    });
    expect(() => daily(rs, { tailConfidence: 1 })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'tailConfidence' }),
    );
  });

  it('expected shortfall ≥ value at risk (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 200 }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (rs, c) => {
          const t = daily(rs, { tailConfidence: c }).tailLoss;
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
    // The same curve as returns: 1/100, −0.5/101, 1.5/100.5.
    expect(
      backtestMetrics({
        returns: [1 / 100, -0.5 / 101, 1.5 / 100.5],
        periodHours: 24,
        tailConfidence: 0.5,
      }),
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

describe('ratio exports by name (thin wrappers of backtestMetrics)', () => {
  it('sharpeRatio, annualizedReturn, calmarRatio and hitRatio return the backtestMetrics fields', async () => {
    const { sharpeRatio, annualizedReturn, calmarRatio, hitRatio } = await import('../index.js');
    const params = { returns: [0.01, -0.01, 0.02, 0], periodHours: 24 };
    // Same expected numbers as the backtestMetrics tests above (hand-derived there).
    expect(sharpeRatio(params)).toBeCloseTo(7.399324293474371, 10);
    expect(annualizedReturn({ returns: [0.1, 0.1], periodHours: 8760 })).toBeCloseTo(0.1, 12);
    expect(hitRatio(params)).toBeCloseTo(2 / 3, 15);
    expect(calmarRatio({ returns: [0.1, 0.1], periodHours: 8760 })).toBeNull(); // never draws down
  });
});
