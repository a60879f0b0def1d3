import { type DecimalString, fail, parsePositive, positiveNumber } from '../internal/args.js';
import { divRound, formatDecimal, toNumber, WAD } from '../internal/decimal.js';
import { sampleStd } from '../internal/stats.js';

const HOURS_PER_YEAR = 8760;

/** A volatility and the horizon it is quoted for. */
export type Volatility = {
  /** σ of log returns as a fraction (`0.6` = 60 %). */
  readonly sigma: number;
  /** Horizon of `sigma` in hours; default 8760 (annualized). */
  readonly sigmaHorizonHours?: number;
  /** Horizon to express the distance over, in hours (e.g. 24 for "σ per day"). Default 24. */
  readonly targetHorizonHours?: number;
};

/**
 * Distance from mark to liquidation: `|mark − liq| / mark` as a fraction and in percent, and, given a
 * volatility, in σ units over `targetHorizonHours` (σ scaled by √(target/horizon)). The fraction is exact
 * (half-even, 18 dp); the σ value is float64. Note 1's "keep at least 2× normal distance during a halt"
 * is `haltSafetyMultiplier`: `isSafeDuringHalt` compares the distance with `multiplier × normalDistance`.
 *
 * @returns `null` when there is no liquidation price.
 * @throws {InvalidParameterError} when `markPrice` ≤ 0 or σ ≤ 0.
 * @example liquidationDistance({ markPrice: '100', liquidationPrice: '80' }) // { fraction: '0.2', percent: '20', sigmas: null, … }
 */
export function liquidationDistance(params: {
  markPrice: DecimalString;
  liquidationPrice: DecimalString | null;
  volatility?: Volatility;
  /** Distance considered normal for this position (fraction); enables `isSafeDuringHalt`. */
  normalDistance?: DecimalString;
  /** Multiple of `normalDistance` required during an L2 halt; default 2. */
  haltSafetyMultiplier?: number;
}): {
  fraction: DecimalString;
  percent: DecimalString;
  sigmas: number | null;
  isSafeDuringHalt: boolean | null;
} | null {
  if (params.liquidationPrice === null) return null;
  const mark = parsePositive(params.markPrice, 'markPrice');
  const liq = parsePositive(params.liquidationPrice, 'liquidationPrice');
  const diff = mark > liq ? mark - liq : liq - mark;
  const fraction = divRound(diff * WAD, mark, 'halfEven');
  let sigmas: number | null = null;
  if (params.volatility !== undefined) {
    const v = params.volatility;
    const sigma = positiveNumber('volatility.sigma', v.sigma);
    const from = positiveNumber(
      'volatility.sigmaHorizonHours',
      v.sigmaHorizonHours ?? HOURS_PER_YEAR,
    );
    const to = positiveNumber('volatility.targetHorizonHours', v.targetHorizonHours ?? 24);
    sigmas = toNumber(fraction) / (sigma * Math.sqrt(to / from));
  }
  let isSafeDuringHalt: boolean | null = null;
  if (params.normalDistance !== undefined) {
    const normal = parsePositive(params.normalDistance, 'normalDistance');
    const m = positiveNumber('haltSafetyMultiplier', params.haltSafetyMultiplier ?? 2);
    isSafeDuringHalt = toNumber(fraction) >= m * toNumber(normal);
  }
  return {
    fraction: formatDecimal(fraction),
    percent: formatDecimal(fraction * 100n),
    sigmas,
    isSafeDuringHalt,
  };
}

/**
 * Realized volatility: the sample standard deviation of log returns between consecutive prices, scaled
 * to `horizonHours` (`× √(horizonHours / sampleIntervalHours)`, default 8760 h = annualized; pass
 * `sampleIntervalHours` itself for the per-sample σ). Float64 (a statistic).
 *
 * @throws {InvalidParameterError} with fewer than 3 prices or a price ≤ 0.
 * @example realizedVolatility({ prices: ['100', '101', '100', '101'], sampleIntervalHours: 24 }) // ≈ 0.219
 */
export function realizedVolatility(params: {
  prices: readonly DecimalString[];
  sampleIntervalHours: number;
  horizonHours?: number;
}): number {
  const interval = positiveNumber('sampleIntervalHours', params.sampleIntervalHours);
  const horizon = positiveNumber('horizonHours', params.horizonHours ?? HOURS_PER_YEAR);
  if (params.prices.length < 3) fail('prices', 'at least 3 prices', params.prices.length);
  const xs = params.prices.map((p, i) => toNumber(parsePositive(p, `prices[${i}]`)));
  const returns = xs.slice(1).map((x, i) => Math.log(x / xs[i]!));
  return sampleStd(returns) * Math.sqrt(horizon / interval);
}
