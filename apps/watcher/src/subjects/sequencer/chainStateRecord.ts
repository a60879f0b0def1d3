import type { BlockGapStats, ChainFlags, ChainStatus, UptimeFeedState } from '@perpscope/schemas';
import type { RpcHealthVerdict, RpcReasonCode } from './rpcQuorum.js';

/** A head as the watcher stores it: `timestamp` in Unix seconds (chain time). */
export type HeadRef = { number: number; hash: string; timestamp: number };

/** The uptime-feed reading kept in the chain state (times: `startedAt`/`updatedAt` Unix s, `readAt` ms). */
export type FeedReading = {
  /** The feed's state (`UptimeFeedState.state` of `@perpscope/schemas`). */
  state: UptimeFeedState['state'];
  answer: number | null;
  startedAt: number | null;
  updatedAt: number | null;
  graceEndsAt: number | null;
  readAt: number;
  error: string | null;
};

/**
 * The quorum's view of one RPC endpoint after a poll (by configured position). `changedAt` is when its
 * head last changed on the watcher clock (ms); `headTimestamp` is its head block's time (Unix s).
 */
export type RpcStateRecord = {
  url: string;
  health: RpcHealthVerdict;
  reasonCode: RpcReasonCode;
  reason: string | null;
  headNumber: number | null;
  headHash: string | null;
  headTimestamp: number | null;
  changedAt: number | null;
};

/** The last invalid-transaction probe. */
export type ProbeReading = { result: 'alive' | 'failed'; at: number; detail: string };

/**
 * Everything the watcher knows about a chain after a poll; persisted as JSON in `chain_state` so a
 * restart (even after kill -9) continues where it stopped. All `…At` fields are watcher-clock ms.
 */
export type ChainStateRecord = {
  chainId: number;
  status: ChainStatus;
  statusSince: number;
  flags: ChainFlags;
  reasons: string[];
  head: HeadRef | null;
  /** Wall-clock time the head number last increased, and the number it reached. */
  lastIncreaseAt: number | null;
  lastIncreaseNumber: number | null;
  /** When the current halt episode began (set while halted, even if a probe later answers). */
  haltStartedAt: number | null;
  /** When the last halt ended (start of `recovering`). */
  haltEndedAt: number | null;
  /** The last poll that found the chain idle (flag `idle`); absent in older persisted states. */
  /**
   * Since when the invalid-tx probe has answered "alive" without a break (watcher-clock ms), `null`
   * while it fails or is not fresh; absent in states persisted before it existed.
   */
  probeAliveSince?: number | null;
  lastIdleAt?: number | null;
  lastReorgAt: number | null;
  lastReorgDepth: number | null;
  safe: { number: number; timestamp: number } | null;
  finalized: { number: number; timestamp: number } | null;
  blockGap: BlockGapStats;
  feed: FeedReading | null;
  probe: ProbeReading | null;
  /** The quorum's verdict per RPC endpoint (absent in states persisted before it existed). */
  rpcs?: RpcStateRecord[];
  updatedAt: number;
};

/** The state of a chain never observed yet. */
export function initialChainState(chainId: number, now: number): ChainStateRecord {
  return {
    chainId,
    status: 'unknown',
    statusSince: now,
    flags: { reorg: false, safeLagWarn: false, safeLagCrit: false, feedDown: false, idle: false },
    reasons: ['not observed yet'],
    head: null,
    lastIncreaseAt: null,
    lastIncreaseNumber: null,
    haltStartedAt: null,
    haltEndedAt: null,
    lastIdleAt: null,
    lastReorgAt: null,
    lastReorgDepth: null,
    safe: null,
    finalized: null,
    blockGap: {
      windowSeconds: 0,
      observedBlocks: 0,
      expectedBlocks: null,
      emptyBlocks: 0,
      meanGapSeconds: null,
      maxGapSeconds: null,
    },
    feed: null,
    probe: null,
    updatedAt: now,
  };
}
