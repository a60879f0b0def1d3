import { annualizedReturn } from './annualizedReturn.js';
import { calmarRatio } from './calmarRatio.js';
import { hitRatio } from './hitRatio.js';
import { maxDrawdown } from './maxDrawdown.js';
import { sharpeRatio } from './sharpeRatio.js';
import { simpleReturns } from './simpleReturns.js';
import { type TailLoss, tailLoss } from './tailLoss.js';

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
      /** Equity after each period (decimal strings > 0), oldest first; at least 3 points. */
      readonly equity: readonly string[];
      readonly returns?: never;
    }
) & {
  /** Length of one period in hours (`24` for daily points, `1` for hourly). */
  readonly periodHours: number;
  /** Risk-free rate per year for the Sharpe ratio (fraction). Default 0. */
  readonly riskFreeRatePerYear?: number | undefined;
  /** Confidence of the tail loss. Default 0.95. */
  readonly tailConfidence?: number | undefined;
};

/** Result of {@link backtestMetrics}. All fractions (`0.1` = 10 %). */
export type BacktestMetrics = {
  /** Total compounded return over the series. */
  readonly totalReturn: number;
  /** Compound annual growth rate ({@link annualizedReturn}). */
  readonly annualizedReturn: number;
  /** Maximum drawdown in [0, 1] ({@link maxDrawdown}). */
  readonly maxDrawdown: number;
  /** Annualized Sharpe ratio, `null` with zero dispersion ({@link sharpeRatio}). */
  readonly sharpe: number | null;
  /** Calmar ratio, `null` without drawdown ({@link calmarRatio}). */
  readonly calmar: number | null;
  /** Wins / (wins + losses), `null` if nothing moved ({@link hitRatio}). */
  readonly hitRatio: number | null;
  /** Historical VaR and expected shortfall ({@link tailLoss}). */
  readonly tailLoss: TailLoss;
};

/**
 * The note-3 backtest report in one call: annualized return, max drawdown, Sharpe, Calmar, hit
 * ratio and tail loss of a returns series (or of an equity curve, see {@link simpleReturns}) with
 * its period length.
 *
 * @throws {EmptySeriesError} fewer than 2 returns (3 equity points).
 * @throws {InvalidDecimalError} an equity value is not a decimal string.
 * @throws {InvalidParameterError} `periodHours` ≤ 0, a bad confidence, a return < −1 or equity ≤ 0.
 * @example
 * const m = backtestMetrics({ equity: ['100', '101', '100.5', '102'], periodHours: 24 })
 * m.maxDrawdown // ≈ 0.00495 (101 → 100.5)
 */
export function backtestMetrics(params: BacktestMetricsParameters): BacktestMetrics {
  const { periodHours, riskFreeRatePerYear, tailConfidence } = params;
  const returns = params.equity ? simpleReturns(params.equity) : params.returns;
  const series = { returns, periodHours };
  return {
    totalReturn: returns.reduce((growth, r) => growth * (1 + r), 1) - 1,
    annualizedReturn: annualizedReturn(series),
    maxDrawdown: maxDrawdown(returns),
    sharpe: sharpeRatio({ ...series, riskFreeRatePerYear }),
    calmar: calmarRatio(series),
    hitRatio: hitRatio(returns),
    tailLoss: tailLoss({ returns, confidence: tailConfidence }),
  };
}
