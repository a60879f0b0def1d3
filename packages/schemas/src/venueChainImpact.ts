import { z } from 'zod';

/**
 * How a trading venue depends on a chain (research/venues.md §6):
 * - `prices`: the venue's prices, orders and liquidations run on the chain (L2-native perps such as
 *   GMX v2 on Arbitrum): a halt freezes them and the restart can gap — note 1's "keep liquidation
 *   distance ≥ 2× normal" applies.
 * - `bridge`: only deposits/withdrawals cross the chain (Hyperliquid's USDC bridge on Arbitrum):
 *   trading goes on, no threshold changes.
 * - `settlement`: matched trades settle on the chain (Aevo's rollup): settlement, deposits and
 *   withdrawals stall; whether matching continues is not documented.
 */
export const ChainDependencyKind = z
  .enum(['prices', 'bridge', 'settlement'])
  .meta({ id: 'ChainDependencyKind' });
export type ChainDependencyKind = z.infer<typeof ChainDependencyKind>;

/** One venue's dependency on one chain, with the guidance shown while that chain is not `up`. */
export const VenueChainDependency = z
  .object({
    /** Chain registry key of the watcher (`arbitrum-one`, `base`, `aevo`, `hyperevm`). */
    chain: z.string().min(1),
    kind: ChainDependencyKind,
    /** What a halt of this chain means for this venue's traders: one plain-text sentence. */
    guidance: z.string().min(1),
  })
  .meta({ id: 'VenueChainDependency' });
export type VenueChainDependency = z.infer<typeof VenueChainDependency>;

/** Venues whose chain dependencies are known. */
export const VENUE_IDS = ['hyperliquid', 'aevo', 'gmx', 'gtrade', 'avantis', 'synthetix'] as const;
export type VenueId = (typeof VENUE_IDS)[number];

const pricesGuidance = (venue: string, chain: string) =>
  `${venue} prices, orders and liquidations on ${chain} are frozen; the restart can gap: keep liquidation distance at least 2× normal.`;

/**
 * Which chains each venue depends on and how (research/venues.md §6). The extension applies the
 * halt multiplier only to `prices` dependencies and shows each entry's guidance; the watcher can
 * use the same table to word its alerts per venue.
 */
export const VENUE_CHAIN_IMPACT: Readonly<Record<VenueId, readonly VenueChainDependency[]>> = {
  // Hyperliquid runs its own L1: an Arbitrum halt stalls the USDC bridge only.
  hyperliquid: [
    {
      chain: 'arbitrum-one',
      kind: 'bridge',
      guidance:
        'deposits and withdrawals via the Arbitrum bridge are stalled; Hyperliquid trading, prices and liquidations are unaffected.',
    },
    // HyperEVM is a separate chain of Hyperliquid's; perps run on HyperCore (venues.md §6). That only
    // transfers to and from HyperEVM stall is our inference.
    {
      chain: 'hyperevm',
      kind: 'bridge',
      guidance:
        'transfers between HyperEVM and Hyperliquid are stalled; Hyperliquid perp trading, prices and liquidations are unaffected.',
    },
  ],
  // Off-chain book and risk engine; crossed orders settle on the Aevo rollup. Matching during a halt
  // is not documented, so the text claims neither.
  aevo: [
    {
      chain: 'aevo',
      kind: 'settlement',
      guidance:
        'Aevo trade settlement, deposits and withdrawals are stalled; whether orders still match is not documented: do not rely on closing a position.',
    },
  ],
  gmx: [{ chain: 'arbitrum-one', kind: 'prices', guidance: pricesGuidance('GMX', 'Arbitrum') }],
  gtrade: [
    { chain: 'arbitrum-one', kind: 'prices', guidance: pricesGuidance('gTrade', 'Arbitrum') },
    { chain: 'base', kind: 'prices', guidance: pricesGuidance('gTrade', 'Base') },
  ],
  avantis: [{ chain: 'base', kind: 'prices', guidance: pricesGuidance('Avantis', 'Base') }],
  synthetix: [{ chain: 'base', kind: 'prices', guidance: pricesGuidance('Synthetix', 'Base') }],
};

/**
 * The dependency of `venue` on `chain`, or null when the venue does not depend on it (or the venue
 * is unknown): a halt of such a chain changes nothing for the venue's positions.
 *
 * @example
 * chainDependency({ venue: 'hyperliquid', chain: 'arbitrum-one' })?.kind // 'bridge'
 */
export function chainDependency(params: {
  readonly venue: string;
  readonly chain: string;
  readonly impacts?: Readonly<Partial<Record<string, readonly VenueChainDependency[]>>>;
}): VenueChainDependency | null {
  const table: Readonly<Partial<Record<string, readonly VenueChainDependency[]>>> =
    params.impacts ?? VENUE_CHAIN_IMPACT;
  return table[params.venue]?.find((d) => d.chain === params.chain) ?? null;
}
