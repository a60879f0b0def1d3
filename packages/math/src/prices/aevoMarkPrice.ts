import { averageSamples } from '../funding/averagePremium.js';
import { fields } from '../funding/fields.js';
import { type DecimalString, nonNegativeNumber, positiveNumber } from '../internal/args.js';
import {
  divRound,
  formatDecimal,
  fromNumber,
  max,
  min,
  mul,
  parseDecimal,
  WAD,
} from '../internal/decimal.js';
import { median3 } from '../internal/median.js';

const GUARD = WAD / 1000n; // 0.1 %

/**
 * Aevo fair price: mid of the impact bid/ask at the impact notional (10,000 USD). For ETH and BTC pass
 * `bestBid`/`bestAsk`: the impact bid is raised to at least `bestBid × 0.999` and the impact ask lowered
 * to at most `bestAsk × 1.001` (Aevo mark-pricing page). Exact, half-even at 18 decimals.
 *
 * @throws {InvalidParameterError} when a price ≤ 0. `Math.InvalidDecimalError` on a malformed price or
 * when only one of `bestBid`/`bestAsk` is given (the guard needs both).
 * @example aevoFairPrice({ impactBid: '1997', impactAsk: '2004', bestBid: '2000', bestAsk: '2001' }) // '2000.5005'
 */
export function aevoFairPrice(params: {
  impactBid: DecimalString;
  impactAsk: DecimalString;
  bestBid?: DecimalString;
  bestAsk?: DecimalString;
}): DecimalString {
  let [bid, ask] = fields(params, ['impactBid', 'impactAsk'] as const);
  if (params.bestBid !== undefined || params.bestAsk !== undefined) {
    // The guard needs both: a missing one fails to parse with an error naming it.
    const [bestBid, bestAsk] = fields(params, ['bestBid', 'bestAsk'] as const);
    bid = max(bid, mul(bestBid, WAD - GUARD));
    ask = min(ask, mul(bestAsk, WAD + GUARD));
  }
  return formatDecimal(divRound(bid + ask, 2n, 'halfEven'));
}

/**
 * Aevo mark price: `median(Fair, Price1, Price2)` with
 * `Price1 = Index × (1 + lastFundingRate × hoursToNextFunding / fundingIntervalHours)` (Aevo funds hourly, so
 * the interval is 1 and this is the docs' "time until next funding in hours") and
 * `Price2 = Index + mean(basisSamples)`, the 5-minute moving average of `Fair − Index`.
 * Exact, half-even at 18 decimals.
 *
 * @throws {InvalidParameterError} when `basisSamples` is empty or `hoursToNextFunding` < 0.
 * @example
 * // Aevo docs: index 2000, last funding 0.005, 0.5 h to go → Price1 = 2005
 * aevoMarkPrice({ indexPrice: '2000', fairPrice: '2010', lastFundingRate: '0.005', hoursToNextFunding: 0.5, basisSamples: ['3'] })
 * // { markPrice: '2005', price1: '2005', price2: '2003' }
 */
export function aevoMarkPrice(params: {
  indexPrice: DecimalString;
  fairPrice: DecimalString;
  lastFundingRate: DecimalString;
  hoursToNextFunding: number;
  /** Default 1 (hourly funding). */
  fundingIntervalHours?: number;
  /** Samples of `Fair − Index` over the last 5 minutes. */
  basisSamples: readonly DecimalString[];
}): { markPrice: DecimalString; price1: DecimalString; price2: DecimalString } {
  const [index, fair] = fields(params, ['indexPrice', 'fairPrice'] as const);
  const hours = fromNumber(nonNegativeNumber('hoursToNextFunding', params.hoursToNextFunding));
  const interval = fromNumber(
    positiveNumber('fundingIntervalHours', params.fundingIntervalHours ?? 1),
  );
  // Price1 = index + index·funding·hours/interval, one rounding.
  const funding = parseDecimal(params.lastFundingRate, 'lastFundingRate');
  const price1 = index + divRound(index * funding * hours, WAD * interval, 'halfEven');
  const price2 = index + parseDecimal(averageSamples(params.basisSamples, 'equal', 'basisSamples'));
  return {
    markPrice: formatDecimal(median3(fair, price1, price2)),
    price1: formatDecimal(price1),
    price2: formatDecimal(price2),
  };
}
