import type { GuardVenue } from '../../config/positionsConfig.js';

/** How a venue depends on an L2 (research/venues.md §6). */
export type ChainImpact = 'prices' | 'bridge' | 'settlement';

/**
 * Local stand-in for the venue ↔ chain impact data that `@perpscope/schemas` will carry (issue 11):
 * per venue, the chains (registry keys) it depends on and for what. Source: research/venues.md §6 —
 * Hyperliquid runs its own L1; an Arbitrum One halt stalls only USDC deposits and withdrawals through
 * the bridge, while prices, trading and liquidations go on.
 */
const impacts: Record<GuardVenue, Readonly<Record<string, readonly ChainImpact[]>>> = {
  hyperliquid: { 'arbitrum-one': ['bridge'] },
};

/**
 * Does `venue` depend on the chain `chainKey` for its prices? Only then does a halt (or the
 * recovery after one) of that chain multiply the position guard's thresholds. The one place this
 * question is answered: rewire it to `@perpscope/schemas`' impact data once that lands.
 *
 * @example venueDependsOnChainForPrices('hyperliquid', 'arbitrum-one') // false: bridge only
 */
export function venueDependsOnChainForPrices(venue: GuardVenue, chainKey: string): boolean {
  return impacts[venue]?.[chainKey]?.includes('prices') ?? false;
}
