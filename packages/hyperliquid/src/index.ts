export { HlSubAccounts, HlUserVaultEquities } from './accountDiscoverySchemas.js';
export { HL_ACCOUNT_MODES, HL_SPOT_MODES, HL_STANDARD_MODES } from './accountModes.js';
export { type CoinName, coinName, dexOf, isHip3Coin, parseCoin, symbolOf } from './coinName.js';
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
export {
  HlExplorerTx,
  HlSetOracleAction,
  HlUserDetails,
  parseSetOracleActionFast,
} from './explorerSchemas.js';
export {
  createKnownTxFilter,
  ExplorerTextError,
  type KnownTxFilter,
} from './explorerText.js';
export { HL_DECIMAL_RE, HlAddress, HlDecimal } from './HlDecimal.js';
export {
  HlBudgetError,
  HlHttpError,
  HlPayloadError,
  HyperliquidError,
} from './HyperliquidError.js';
export { infoRequestWeight, responseItemsWeight } from './infoRequestWeight.js';
export {
  HL_FUNDING_INTERVAL_HOURS,
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
  parseAllDexsAssetCtxsEventFast,
  parsePerpAssetCtxFast,
} from './marketSchemas.js';
export {
  HlAccountMode,
  HlAllDexsClearinghouseStateEvent,
  HlClearinghouseState,
  HlSpotClearinghouseState,
  HlUserFill,
  HlUserFills,
  HlUserPosition,
} from './userSchemas.js';
