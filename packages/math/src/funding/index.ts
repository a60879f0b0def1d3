export {
  annualizeRate,
  annualizeRateFixed,
  annualPercentageYield,
  convertRateInterval,
  rateFromApr,
} from './annualizeRate.js';
export { averagePremium, averagePremiumFixed, type PremiumWeighting } from './averagePremium.js';
export { annualizedBasis, dailyRateFromApr, fundingIncome, netCarry, perpBasis } from './carry.js';
export { fundingPayment } from './fundingPayment.js';
export {
  aevoFundingRate,
  binanceFundingRate,
  type FundingRate,
  fundingRate8hFixed,
  hyperliquidFundingRate,
  hyperliquidFundingRateFixed,
} from './fundingRate.js';
export { type ImpactVenue, impactNotional } from './impactNotional.js';
export { hourFraction, predictHyperliquidFundingRate } from './predictFundingRate.js';
export {
  type BookLevel,
  hip3PremiumIndex,
  hip3PremiumIndexFixed,
  impactPrice,
  type PremiumIndexParameters,
  premiumIndex,
  premiumIndexFixed,
} from './premiumIndex.js';
