export {
  analyzeClearinghouseState,
  type HyperliquidAccountRisk,
  type HyperliquidPositionRisk,
} from './analyzeClearinghouseState.js';
export {
  analyzeMetaAndAssetCtxs,
  type HyperliquidMarketSummary,
  type PremiumStyle,
} from './analyzeMetaAndAssetCtxs.js';
