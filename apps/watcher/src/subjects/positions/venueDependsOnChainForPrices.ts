import { chainDependency } from '@perpscope/schemas';
import type { GuardVenue } from '../../config/positionsConfig.js';

/**
 * Does `venue` depend on the chain `chainKey` for its prices? Only then does a halt (or the
 * recovery after one) of that chain multiply the position guard's thresholds. Answered from the
 * venue ↔ chain impact table the extension uses too (`@perpscope/schemas` `VENUE_CHAIN_IMPACT`,
 * research/venues.md §6): Hyperliquid runs its own L1, so an Arbitrum One halt stalls only the USDC
 * bridge, and its prices, trading and liquidations go on.
 *
 * @example venueDependsOnChainForPrices('hyperliquid', 'arbitrum-one') // false: bridge only
 */
export function venueDependsOnChainForPrices(venue: GuardVenue, chainKey: string): boolean {
  return chainDependency({ venue, chain: chainKey })?.kind === 'prices';
}
