import type { DecimalString } from '../internal/args.js';
import { averageSamples } from './averagePremium.js';
import { type FundingRate, hyperliquidFundingRate } from './fundingRate.js';

/**
 * Predicted funding for the current hour from the premium samples observed so far (oldest first):
 * averages them plainly (Hyperliquid's hourly premium is the mean of its 5 s samples) and applies the
 * Hyperliquid formula (interest, HIP-3 multiplier, 4 %/h cap). Unseen samples are assumed equal to the average so
 * far, so the prediction is the rate that would be paid if the premium stayed where it has been.
 *
 * @returns the predicted hourly rate and the average premium used.
 * @throws {InvalidParameterError} when there are no samples or the multiplier is outside [0, 10].
 * @example predictHyperliquidFundingRate({ premiumSamples: ['0.0001', '0.0003'] }).fundingRate.rate // '0.0000125'
 */
export function predictHyperliquidFundingRate(params: {
  premiumSamples: readonly DecimalString[];
  interestRate8h?: DecimalString;
  multiplier?: DecimalString;
}): { averagePremium: DecimalString; fundingRate: FundingRate } {
  const averagePremium = averageSamples(params.premiumSamples, 'equal', 'premiumSamples');
  return { averagePremium, fundingRate: hyperliquidFundingRate({ ...params, averagePremium }) };
}
