import type { DevnetChain } from '@perpscope/devnet';
import type { ChainEntryInput } from '../config/chainsConfig.js';

/** How fast the watcher reacts on devnet chains; the scenario library is compressed for these. */
export type DevnetTiming = {
  pollIntervalMs: number;
  /** Recovery and feed grace periods, and how long the reorg flag is held. */
  graceSeconds: number;
};

/**
 * A `chains[]` config entry for a devnet chain with thresholds compressed the way the devnet scenario
 * library expects (packages/devnet chainScenarios.ts: a 1–2 s chain degrades after ~3–6 s without a
 * head and halts after ~6–12 s; safe-lag warn/crit above the chain's normal safe distance).
 * Tx-driven chains are Nitro-like (probe before halt); interval chains OP-stack-like. The devnet's
 * background traffic is the only transaction source, so no per-block system transaction is assumed.
 *
 * @example const entry = devnetChainEntry(chain, { pollIntervalMs: 500, graceSeconds: 15 });
 */
export function devnetChainEntry(chain: DevnetChain, timing: DevnetTiming): ChainEntryInput {
  const txDriven = chain.spec.blockTime === 'tx-driven';
  const blockSeconds = txDriven ? 1 : (chain.spec.blockTime as number);
  const normalSafeLagSeconds = (chain.spec.safeLagBlocks ?? 10) * blockSeconds;
  return {
    key: chain.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-'),
    chainId: chain.chainId,
    name: chain.name,
    class: txDriven ? 'nitro' : 'op-stack',
    // Tx-driven devnet chains get a background transaction about once a second.
    blockTimeMs: blockSeconds * 1000,
    rpcUrls: [...chain.rpcUrls],
    uptimeFeed: chain.uptimeFeedAddress
      ? { kind: 'chainlink', address: chain.uptimeFeedAddress }
      : null,
    pollIntervalMs: timing.pollIntervalMs,
    // Generous: a loaded machine answers slowly, and a false "all RPCs failed" reads as unknown.
    rpcTimeoutMs: Math.max(1000, timing.pollIntervalMs * 2),
    feedIntervalMs: Math.max(timing.pollIntervalMs, 1000),
    traits: { systemTxsPerBlock: 0 },
    thresholds: {
      degradedAfterSeconds: Math.max(3, 3 * blockSeconds) + (txDriven ? 2 : 0),
      haltedAfterSeconds: Math.max(6, 6 * blockSeconds) + (txDriven ? 4 : 0),
      blockGapWindowSeconds: Math.max(12, 10 * blockSeconds),
      slowBlockRatio: 0.6,
      safeLagWarnSeconds: normalSafeLagSeconds + 8,
      safeLagCritSeconds: normalSafeLagSeconds + 20,
      recoveryGraceSeconds: timing.graceSeconds,
      feedGraceSeconds: timing.graceSeconds,
      reorgFlagHoldSeconds: timing.graceSeconds,
      lagToleranceBlocks: 3,
    },
  };
}
