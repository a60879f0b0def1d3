export {
  analyzeClearinghouseState,
  type HyperliquidAccountRisk,
  type HyperliquidPositionRisk,
} from './analyzeClearinghouseState.js';
export {
  analyzeHyperliquidAccount,
  type HyperliquidAbstraction,
  type HyperliquidAccountAnalysis,
  type HyperliquidAccountInput,
  type HyperliquidAccountPosition,
  type HyperliquidMarginPool,
  type HyperliquidPortfolioMargin,
  type LiquidationPriceReason,
} from './analyzeHyperliquidAccount.js';
export {
  analyzeMetaAndAssetCtxs,
  type HyperliquidMarketSummary,
  type PremiumStyle,
} from './analyzeMetaAndAssetCtxs.js';
