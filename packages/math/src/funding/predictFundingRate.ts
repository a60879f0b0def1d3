import type { DecimalString } from '../internal/args.js';
import { type Fixed, formatDecimal, parseDecimal, WAD } from '../internal/decimal.js';
import { averagePremiumFixed, type PremiumWeighting } from './averagePremium.js';
import { type FundingRate, hyperliquidFundingRate } from './fundingRate.js';

/**
 * Predicted funding for the current hour from the premium samples observed so far (oldest first):
 * averages them (`'equal'` for Hyperliquid, `'linear'` for Aevo/Binance) and applies the Hyperliquid
 * formula (interest, HIP-3 multiplier, 4 %/h cap). Unseen samples are assumed equal to the average so
 * far, so the prediction is the rate that would be paid if the premium stayed where it has been.
 *
 * @returns the predicted hourly rate and the average premium used.
 * @throws {InvalidParameterError} when there are no samples.
 * @example predictHyperliquidFundingRate({ premiumSamples: ['0.0001', '0.0003'] }).fundingRate.rate // '0.0000125'
 */
export function predictHyperliquidFundingRate(params: {
  premiumSamples: readonly DecimalString[];
  weighting?: PremiumWeighting;
  interestRate8h?: DecimalString;
  multiplier?: DecimalString;
}): { averagePremium: DecimalString; fundingRate: FundingRate } {
  const samples: Fixed[] = params.premiumSamples.map((s, i) =>
    parseDecimal(s, `premiumSamples[${i}]`),
  );
  const average = formatDecimal(averagePremiumFixed(samples, params.weighting ?? 'equal'));
  return {
    averagePremium: average,
    fundingRate: hyperliquidFundingRate({
      averagePremium: average,
      ...(params.interestRate8h === undefined ? {} : { interestRate8h: params.interestRate8h }),
      ...(params.multiplier === undefined ? {} : { multiplier: params.multiplier }),
    }),
  };
}

/**
 * Fraction of the hour elapsed at `timeMs` (0 ≤ x < 1), for weighting a partial-hour prediction.
 * @example hourFraction(Date.UTC(2026, 0, 1, 12, 30)) // '0.5'
 */
export function hourFraction(timeMs: number): DecimalString {
  const ms = ((timeMs % 3_600_000) + 3_600_000) % 3_600_000;
  return formatDecimal((BigInt(Math.trunc(ms)) * WAD) / 3_600_000n);
}
