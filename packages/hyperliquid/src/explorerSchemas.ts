import { z } from 'zod';
import { HlAddress, HlDecimal } from './HlDecimal.js';
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
