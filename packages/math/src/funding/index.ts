export {
  annualizeRate,
  annualizeRateFixed,
  annualPercentageYield,
  convertRateInterval,
} from './annualizeRate.js';
export { averagePremium, type PremiumWeighting } from './averagePremium.js';
export { annualizedBasis, netCarry, perpBasis } from './carry.js';
export { fundingPayment } from './fundingPayment.js';
export {
  aevoFundingRate,
  binanceFundingRate,
  type FundingRate,
  hyperliquidFundingRate,
} from './fundingRate.js';
export { type ImpactVenue, impactNotional } from './impactNotional.js';
export { predictHyperliquidFundingRate } from './predictFundingRate.js';
export {
  type BookLevel,
  hip3PremiumIndex,
  hip3PremiumIndexFixed,
  impactPrice,
  type PremiumIndexParameters,
  premiumIndex,
  premiumIndexFixed,
} from './premiumIndex.js';
