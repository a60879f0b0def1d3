import type { DecimalString } from '../internal/args.js';
import { averageSamples, type PremiumWeighting } from './averagePremium.js';
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
  const averagePremium = averageSamples(
    params.premiumSamples,
    params.weighting ?? 'equal',
    'premiumSamples',
  );
  return { averagePremium, fundingRate: hyperliquidFundingRate({ ...params, averagePremium }) };
}
