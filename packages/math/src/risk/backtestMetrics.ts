import {
  finiteNumber,
  minLength,
  openUnitNumber,
  parsePositive,
  positiveNumber,
  returnsSeries,
} from '../internal/args.js';
import { toNumber } from '../internal/decimal.js';
import { isZeroDispersion, mean, sampleStd } from '../internal/stats.js';
import { maxDrawdown } from './maxDrawdown.js';

/**
 * Parameters of {@link backtestMetrics}: either the simple returns per period or the equity curve
 * they come from, plus the period length.
 */
export type BacktestMetricsParameters = (
  | {
      /** Simple returns per period (fractions, each ≥ −1), oldest first; at least 2. */
      readonly returns: readonly number[];
      readonly equity?: never;
    }
  | {
      /**
       * Equity after each period (money: decimal strings > 0, any currency unit), oldest first; at
       * least 3 points. The returns are `eᵢ / eᵢ₋₁ − 1`, subtracted exactly before converting to
       * float64 so tiny returns on large balances keep their digits.
       */
      readonly equity: readonly string[];
      readonly returns?: never;
    }
) & {
  /** Length of one period in hours (`24` for daily points, `1` for hourly). */
  readonly periodHours: number;
  /**
   * Risk-free rate per year for the Sharpe ratio (fraction, `0.04` = 4 %/yr), spread evenly over
   * the periods. Default 0.
   */
  readonly riskFreeRatePerYear?: number | undefined;
  /** Confidence of the tail loss, in (0, 1); the tail is the worst `1 − confidence` share. Default 0.95. */
  readonly tailConfidence?: number | undefined;
};

/**
 * Historical tail loss of {@link BacktestMetrics}; losses are positive fractions (`0.03` = a 3 %
 * loss per period), a negative value means even the tail was a gain.
 *
 * @example
 * const t: TailLoss = { tailCount: 2, valueAtRisk: 0.02, expectedShortfall: 0.035 }
 */
export type TailLoss = {
  /** Number of worst periods in the tail: `ceil(n × (1 − confidence))`, at least 1. */
  readonly tailCount: number;
  /** Historical value at risk: minus the best return inside the tail (the k-th worst). */
  readonly valueAtRisk: number;
  /** Expected shortfall (CVaR): minus the mean return over the tail periods; ≥ `valueAtRisk`. */
  readonly expectedShortfall: number;
};

/** Result of {@link backtestMetrics}. All fractions (`0.1` = 10 %), float64. */
export type BacktestMetrics = {
  /** Total compounded return over the series, `Π(1 + rᵢ) − 1`. */
  readonly totalReturn: number;
  /**
   * Compound annual growth rate `(Π(1 + rᵢ))^(8760 / (n·periodHours)) − 1`, over a 365-day year of
   * 8,760 h as for funding APRs; `−1` for a series that lost everything.
   */
  readonly annualizedReturn: number;
  /** Maximum drawdown in [0, 1] ({@link maxDrawdown}). */
  readonly maxDrawdown: number;
  /**
   * Annualized Sharpe ratio `mean(r − r_f) / σ(r) × √(8760 / periodHours)` with the sample standard
   * deviation (n − 1); `null` when the returns have zero dispersion (up to float noise).
   */
  readonly sharpe: number | null;
  /** Calmar ratio `annualizedReturn / maxDrawdown`; `null` when the series never draws down. */
  readonly calmar: number | null;
  /**
   * Hit ratio `wins / (wins + losses)`: flat periods (return exactly 0) are ignored; `null` when no
   * period moved.
   */
  readonly hitRatio: number | null;
  /** Historical VaR and expected shortfall at `tailConfidence`, from the empirical distribution. */
  readonly tailLoss: TailLoss;
};

/**
 * The note-3 backtest report in one call: total and annualized return, max drawdown, Sharpe,
 * Calmar, hit ratio and tail loss (historical VaR and expected shortfall over the
 * `k = ceil(n·(1 − confidence))` worst returns) of a returns series or of an equity curve, with its
 * period length.
 *
 * @throws {EmptySeriesError} fewer than 2 returns (3 equity points).
 * @throws {InvalidDecimalError} an equity value is not a decimal string.
 * @throws {InvalidParameterError} `periodHours` ≤ 0, a non-finite risk-free rate, `tailConfidence`
 *   outside (0, 1), a return that is not finite or < −1, or equity ≤ 0.
 * @example
 * const m = backtestMetrics({ equity: ['100', '101', '100.5', '102'], periodHours: 24 })
 * m.maxDrawdown // ≈ 0.00495 (101 → 100.5)
 * m.hitRatio // 0.6666… (2 wins, 1 loss)
 */
export function backtestMetrics(params: BacktestMetricsParameters): BacktestMetrics {
  const { periodHours, riskFreeRatePerYear = 0, tailConfidence = 0.95, equity } = params;
  let returns = params.returns as readonly number[];
  if (equity) {
    minLength('equity', equity, 3);
    const values = equity.map((e, i) => parsePositive(e, `equity[${i}]`));
    returns = values
      .slice(1)
      .map((e, i) => toNumber(e - (values[i] as bigint)) / toNumber(values[i] as bigint));
  }
  returnsSeries('returns', returns, 2);
  positiveNumber('periodHours', periodHours);
  finiteNumber('riskFreeRatePerYear', riskFreeRatePerYear);
  openUnitNumber('tailConfidence', tailConfidence);
  // Mean log growth per period instead of the running product avoids overflow/underflow on long
  // series; a −100 % period makes it −∞, and expm1(−∞) = −1.
  const logGrowth = mean(returns.map(Math.log1p));
  const annualized = Math.expm1((logGrowth * 8760) / periodHours);
  const drawdown = maxDrawdown(returns);
  const std = sampleStd(returns);
  const moved = returns.filter((r) => r); // flat periods count neither as win nor as loss
  const sorted = [...returns].sort((a, b) => a - b);
  // The 1e-9 guards against 20 × (1 − 0.95) = 1.0000000000000009 becoming a tail of 2.
  const tailCount = Math.max(1, Math.ceil(sorted.length * (1 - tailConfidence) - 1e-9));
  return {
    totalReturn: Math.expm1(logGrowth * returns.length),
    annualizedReturn: annualized,
    maxDrawdown: drawdown,
    sharpe: isZeroDispersion(std, returns)
      ? null
      : ((mean(returns) - (riskFreeRatePerYear * periodHours) / 8760) / std) *
        Math.sqrt(8760 / periodHours),
    calmar: drawdown ? annualized / drawdown : null,
    hitRatio: moved.length ? moved.filter((r) => r > 0).length / moved.length : null,
    tailLoss: {
      tailCount,
      valueAtRisk: -(sorted[tailCount - 1] as number),
      expectedShortfall: -mean(sorted.slice(0, tailCount)),
    },
  };
}

/**
 * Annualized Sharpe ratio of a returns series or equity curve: {@link backtestMetrics}`(params).sharpe`
 * (`null` at zero dispersion).
 * @example sharpeRatio({ returns: [0.01, -0.005, 0.02], periodHours: 24 })
 */
export const sharpeRatio = (params: BacktestMetricsParameters): number | null =>
  backtestMetrics(params).sharpe;

/**
 * Compound annual growth rate over a 8,760 h year: {@link backtestMetrics}`(params).annualizedReturn`.
 * @example annualizedReturn({ returns: [0.01, 0.01], periodHours: 8760 }) // ≈ 0.01
 */
export const annualizedReturn = (params: BacktestMetricsParameters): number =>
  backtestMetrics(params).annualizedReturn;

/**
 * Calmar ratio `annualizedReturn / maxDrawdown`: {@link backtestMetrics}`(params).calmar`.
 * @example calmarRatio({ equity: ['100', '101', '100.5', '102'], periodHours: 24 })
 */
export const calmarRatio = (params: BacktestMetricsParameters): number | null =>
  backtestMetrics(params).calmar;

/**
 * Share of winning periods among those that moved: {@link backtestMetrics}`(params).hitRatio`.
 * @example hitRatio({ returns: [0.01, -0.01, 0.02], periodHours: 24 }) // 0.666…
 */
export const hitRatio = (params: BacktestMetricsParameters): number | null =>
  backtestMetrics(params).hitRatio;
