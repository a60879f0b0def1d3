export {
  type CreateFetchTransportParameters,
  createFetchTransport,
  HL_API_URL,
} from './createFetchTransport.js';
export {
  type CreateInfoClientParameters,
  createInfoClient,
  firstIssue,
  type HlUser,
  type InfoClient,
  type InfoRequestBody,
  type InfoTransport,
  requestLabel,
} from './createInfoClient.js';
export {
  type CreateWeightAccountantParameters,
  createWeightAccountant,
  type WeightAccountant,
} from './createWeightAccountant.js';
export { HlExplorerTx, HlSetOracleAction, HlUserDetails } from './explorerSchemas.js';
export { HL_DECIMAL_RE, HlAddress, HlDecimal } from './HlDecimal.js';
export {
  HlBudgetError,
  HlHttpError,
  HlPayloadError,
  HyperliquidError,
} from './HyperliquidError.js';
export { infoRequestWeight, responseItemsWeight } from './infoRequestWeight.js';
export {
  HlAllDexsAssetCtxsEvent,
  HlCandles,
  HlL2Book,
  HlMarginTable,
  HlMeta,
  HlMetaAndAssetCtxs,
  HlMetaAndValidAssetCtxs,
  HlPerpAssetCtx,
  HlPerpDex,
  HlPerpDexLimits,
  HlPerpDexs,
  HlPerpsAtOpenInterestCap,
  HlUniverseEntry,
  MAX_MARKETS_PER_DEX,
  parsePerpAssetCtxFast,
} from './marketSchemas.js';
export {
  HL_ACCOUNT_MODES,
  HlAccountMode,
  HlAllDexsClearinghouseStateEvent,
  HlClearinghouseState,
  HlSpotClearinghouseState,
  HlSubAccounts,
  HlUserFill,
  HlUserFills,
  HlUserPosition,
  HlUserVaultEquities,
} from './userSchemas.js';
