import { z } from 'zod';
import { HlAddress, HlDecimal, isHlDecimal } from './HlDecimal.js';
import { MAX_MARKETS_PER_DEX } from './marketSchemas.js';

/**
 * Zod schemas of what the explorer (`POST {rpcUrl}/explorer`) answers and of the HIP-3 oracle
 * action read from it.
 *
 * @module
 */

/** The `setOracle` variant of a `perpDeploy` action (research/hyperliquid.md §1.1). */
export const HlSetOracleAction = z.object({
  type: z.literal('perpDeploy'),
  setOracle: z.object({
    dex: z.string(),
    oraclePxs: z.array(z.tuple([z.string(), HlDecimal])).max(MAX_MARKETS_PER_DEX),
    markPxs: z.array(z.array(z.tuple([z.string(), HlDecimal])).max(MAX_MARKETS_PER_DEX)).max(2),
    externalPerpPxs: z
      .array(z.tuple([z.string(), HlDecimal]))
      .max(MAX_MARKETS_PER_DEX)
      .optional(),
  }),
});
export type HlSetOracleAction = z.infer<typeof HlSetOracleAction>;

/** A `[coin, price]` list as {@link HlSetOracleAction} accepts it (at most one dex's markets). */
function isPriceList(v: unknown): v is [string, string][] {
  if (!Array.isArray(v) || v.length > MAX_MARKETS_PER_DEX) return false;
  for (const pair of v) {
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      typeof pair[0] !== 'string' ||
      !isHlDecimal(pair[1])
    ) {
      return false;
    }
  }
  return true;
}

/**
 * The hot-path check of one explorer action (a `setOracle` carries one price per market of its
 * dex, and every oracle writer sends one every ~3 s): accepts exactly what
 * {@link HlSetOracleAction} accepts and returns the same value (only the known fields; the price
 * lists are the input's own arrays, not copies) without zod's per-tuple allocations — at 3,000
 * markets zod's parse allocated ~1.9 MB/s in the watcher's ingestion worker. `null` means not a
 * valid `setOracle` action: call `HlSetOracleAction.safeParse` for the reason. Kept equivalent to
 * the schema by a property test (`schemas.test.ts`).
 */
export function parseSetOracleActionFast(action: unknown): HlSetOracleAction | null {
  if (typeof action !== 'object' || action === null || Array.isArray(action)) return null;
  const a = action as Record<string, unknown>;
  if (a.type !== 'perpDeploy') return null;
  const so = a.setOracle;
  if (typeof so !== 'object' || so === null || Array.isArray(so)) return null;
  const { dex, oraclePxs, markPxs, externalPerpPxs } = so as Record<string, unknown>;
  if (typeof dex !== 'string' || !isPriceList(oraclePxs)) return null;
  if (!Array.isArray(markPxs) || markPxs.length > 2 || !markPxs.every(isPriceList)) return null;
  if (externalPerpPxs !== undefined && !isPriceList(externalPerpPxs)) return null;
  return {
    type: 'perpDeploy',
    setOracle: {
      dex,
      oraclePxs,
      markPxs: markPxs as [string, string][][],
      ...(externalPerpPxs !== undefined && { externalPerpPxs }),
    },
  };
}

/**
 * One explorer transaction (`userDetails.txs[i]`). Shape typed by the SDK
 * (`ExplorerTransaction`: action, block, error, hash, time, user) and observed on
 * `POST https://rpc.hyperliquid.xyz/explorer` by third parties; historical entries may carry a
 * positional action array, so `action` is checked per use.
 */
export const HlExplorerTx = z.object({
  action: z.unknown(),
  block: z.number().int(),
  error: z.string().nullable(),
  hash: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  time: z.number().int(),
  user: HlAddress,
});
export type HlExplorerTx = z.infer<typeof HlExplorerTx>;

/** Explorer `userDetails` response. */
export const HlUserDetails = z.object({
  type: z.literal('userDetails'),
  txs: z.array(HlExplorerTx).max(5000),
});
export type HlUserDetails = z.infer<typeof HlUserDetails>;
