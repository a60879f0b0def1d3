import { chainDependency } from '@perpscope/schemas';
import type { GuardDependencyKind, GuardVenue } from '../../config/positionsConfig.js';

/**
 * Does `venue` depend on the chain `chainKey` for its prices? Only then does a halt (or the
 * recovery after one) of that chain multiply the position guard's thresholds. Answered from the
 * venue ↔ chain impact table the extension uses too (`@perpscope/schemas` `VENUE_CHAIN_IMPACT`,
 * research/venues.md §6): Hyperliquid runs its own L1, so an Arbitrum One halt stalls only the USDC
 * bridge, and its prices, trading and liquidations go on.
 *
 * A chain the table does not list for the venue counts when the operator declared it
 * (`positions.dependencies`, `declared`) as `prices`; the table wins where it has an entry (the
 * config rejects a declaration that contradicts it).
 *
 * @example venueDependsOnChainForPrices('hyperliquid', 'arbitrum-one') // false: bridge only
 * @example venueDependsOnChainForPrices('hyperliquid', 'my-l2', { 'my-l2': 'prices' }) // true
 */
export function venueDependsOnChainForPrices(
  venue: GuardVenue,
  chainKey: string,
  declared: Readonly<Record<string, GuardDependencyKind>> = {},
): boolean {
  const kind =
    chainDependency({ venue, chain: chainKey })?.kind ??
    (Object.hasOwn(declared, chainKey) ? declared[chainKey] : undefined);
  return kind === 'prices';
}
