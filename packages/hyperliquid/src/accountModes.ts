/**
 * Hyperliquid account modes (`userAbstraction`, research/venues.md §4) and what each needs to be
 * computed. Plain constants, no zod: safe to import anywhere.
 *
 * @module
 */

/** The account modes HL documents today; `@perpscope/math`'s `analyzeHyperliquidAccount` handles each. */
export const HL_ACCOUNT_MODES = [
  'default',
  'disabled',
  'dexAbstraction',
  'unifiedAccount',
  'portfolioMargin',
] as const;

/** Modes where each dex is its own collateral: the per-dex `clearinghouseState` suffices. */
export const HL_STANDARD_MODES: readonly string[] = ['default', 'disabled'];

/** Modes whose collateral is the spot balance: `spotClearinghouseState` is needed too. */
export const HL_SPOT_MODES: readonly string[] = ['unifiedAccount', 'portfolioMargin'];
