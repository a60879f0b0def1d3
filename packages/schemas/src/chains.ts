import { z } from 'zod';

/** Liveness status of an L2 sequencer as judged by the watcher (SPEC §3.1). */
export const ChainStatus = z
  .enum(['up', 'degraded', 'halted', 'recovering', 'unknown'])
  .meta({ id: 'ChainStatus' });
export type ChainStatus = z.infer<typeof ChainStatus>;

/**
 * The phase of the halt playbook (SPEC §0 note 1) a status maps to: `degraded` → `pre-halt`,
 * `halted` → `halted`, `recovering` → `recovering`; `up`/`unknown` → none.
 */
export const HaltPhase = z.enum(['pre-halt', 'halted', 'recovering']).meta({ id: 'HaltPhase' });
export type HaltPhase = z.infer<typeof HaltPhase>;

/** Flags that can accompany any status. */
export const ChainFlags = z
  .object({
    /** A reorg was detected recently (the flag is held for `reorgFlagHoldSeconds`). */
    reorg: z.boolean(),
    safeLagWarn: z.boolean(),
    safeLagCrit: z.boolean(),
    /** The on-chain uptime feed says the sequencer is down (`answer == 1`). */
    feedDown: z.boolean(),
    /**
     * No new block for the degraded threshold on a probe chain (Nitro-class, no empty blocks) while
     * the invalid-tx probe, run within its interval, proves the sequencer alive: the chain is idle,
     * and stays `up`.
     */
    idle: z.boolean(),
  })
  .meta({ id: 'ChainFlags' });
export type ChainFlags = z.infer<typeof ChainFlags>;

/** A block reference; `timestamp` is the block's own timestamp in Unix seconds. */
export const BlockRef = z
  .object({ number: z.number().int().nonnegative(), hash: z.string(), timestamp: z.number().int() })
  .meta({ id: 'BlockRef' });
export type BlockRef = z.infer<typeof BlockRef>;

/** One chain in `GET /v1/chains`. Times are ISO 8601 (UTC); ages are seconds of the watcher's clock. */
export const ChainSummary = z
  .object({
    chainId: z.number().int().positive(),
    key: z.string(),
    name: z.string(),
    class: z.enum(['op-stack', 'nitro', 'zk', 'other']),
    status: ChainStatus,
    phase: HaltPhase.nullable(),
    /** Note 1's guidance for the phase (short plain-text sentences; empty when there is nothing to do). */
    guidance: z.array(z.string()),
    flags: ChainFlags,
    /** Why the status is what it is, most important first. */
    reasons: z.array(z.string()),
    head: BlockRef.nullable(),
    /** `now − head.timestamp`. */
    headAgeSeconds: z.number().nullable(),
    /** Wall-clock seconds since the head number last increased. */
    secondsSinceNewHead: z.number().nullable(),
    statusSince: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ChainSummary' });
export type ChainSummary = z.infer<typeof ChainSummary>;

/** Body of `GET /v1/chains`. */
export const ChainList = z.object({ chains: z.array(ChainSummary) }).meta({ id: 'ChainList' });
export type ChainList = z.infer<typeof ChainList>;

/**
 * The quorum's verdict on an RPC endpoint (SPEC §3.1): `healthy` at the believed head; `lagging`
 * more than the lag tolerance behind it (ignored); `stuck` behind and its head unchanged for longer
 * than the halt threshold while the chain moved on (ignored); `failing` errors, timeouts, garbage, or
 * blocks that contradict the believed chain (never believed); `unknown` before the first poll.
 */
export const RpcHealthStatus = z
  .enum(['healthy', 'lagging', 'stuck', 'failing', 'unknown'])
  .meta({ id: 'RpcHealthStatus' });
export type RpcHealthStatus = z.infer<typeof RpcHealthStatus>;

/** Stable code of why an RPC endpoint got its verdict (also a `/metrics` label). */
export const RpcReasonCode = z
  .enum(['at-head', 'behind', 'not-moving', 'error', 'inconsistent-chain', 'unverified'])
  .meta({ id: 'RpcReasonCode' });
export type RpcReasonCode = z.infer<typeof RpcReasonCode>;

/** Health of one RPC endpoint as seen by the quorum. */
export const RpcHealth = z
  .object({
    url: z.string(),
    health: RpcHealthStatus,
    /** `null` before the first poll. */
    reasonCode: RpcReasonCode.nullable(),
    /** The verdict's reason in words (`null` when healthy). */
    reason: z.string().nullable(),
    /** The endpoint's own head (ignored unless it is the believed one). */
    headNumber: z.number().int().nullable(),
    /** `now − timestamp` of the endpoint's head block (chain time). */
    headAgeSeconds: z.number().nullable(),
    /** Watcher-clock seconds since the endpoint's head last changed. */
    secondsSinceNewHead: z.number().nullable(),
    latencyMs: z.number().nullable(),
    lastOkAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    consecutiveFailures: z.number().int().nonnegative(),
    /** Answers rejected by schema (garbage JSON, wrong shapes); never used as data. */
    malformedResponses: z.number().int().nonnegative(),
  })
  .meta({ id: 'RpcHealth' });
export type RpcHealth = z.infer<typeof RpcHealth>;

/** Expected-vs-observed block production over a wall-clock window (op-conductor rule). */
export const BlockGapStats = z
  .object({
    windowSeconds: z.number(),
    observedBlocks: z.number().int().nonnegative(),
    /** `floor(window / blockTime) − 1`; `null` on chains without a fixed block time. */
    expectedBlocks: z.number().int().nullable(),
    /** Blocks with no transactions beyond the per-block system transactions. */
    emptyBlocks: z.number().int().nonnegative(),
    meanGapSeconds: z.number().nullable(),
    maxGapSeconds: z.number().nullable(),
  })
  .meta({ id: 'BlockGapStats' });
export type BlockGapStats = z.infer<typeof BlockGapStats>;

/** A `safe` or `finalized` head and its lag behind the watcher clock and the unsafe head. */
export const TaggedHead = z
  .object({
    number: z.number().int(),
    timestamp: z.number().int(),
    lagSeconds: z.number(),
    lagBlocks: z.number().int(),
  })
  .meta({ id: 'TaggedHead' });
export type TaggedHead = z.infer<typeof TaggedHead>;

/** State of the chain's Chainlink/Linea uptime feed with Chainlink's grace-period semantics. */
export const UptimeFeedState = z
  .object({
    kind: z.enum(['chainlink', 'linea']),
    address: z.string(),
    /** `unknown` on revert, `startedAt == 0`, a future `startedAt`, or no read yet. */
    state: z.enum(['up', 'down', 'grace', 'unknown']),
    answer: z.number().int().nullable(),
    /** Unix seconds (L1 time of the last status change). */
    startedAt: z.number().int().nullable(),
    updatedAt: z.number().int().nullable(),
    graceEndsAt: z.iso.datetime().nullable(),
    readAt: z.iso.datetime().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'UptimeFeedState' });
export type UptimeFeedState = z.infer<typeof UptimeFeedState>;

/** The invalid-transaction probe on tx-driven chains. */
export const ProbeState = z
  .object({
    enabled: z.boolean(),
    /** `alive`: the endpoint rejected the invalid tx as expected; `failed`: no proper answer. */
    lastResult: z.enum(['alive', 'failed']).nullable(),
    lastAt: z.iso.datetime().nullable(),
    detail: z.string().nullable(),
  })
  .meta({ id: 'ProbeState' });
export type ProbeState = z.infer<typeof ProbeState>;

/** A status change. */
export const StatusTransition = z
  .object({
    at: z.iso.datetime(),
    from: ChainStatus,
    to: ChainStatus,
    reasons: z.array(z.string()),
  })
  .meta({ id: 'StatusTransition' });
export type StatusTransition = z.infer<typeof StatusTransition>;

/** One watcher's own evaluation of a chain in a redundant cluster (issue 17). */
export const ChainObserver = z
  .object({
    /** The watcher's `cluster.id`. */
    observer: z.string(),
    /** Its own status, `null` before its first evaluation. */
    status: ChainStatus.nullable(),
    /** When it last evaluated (its last poll). */
    at: z.iso.datetime(),
    headNumber: z.number().int().nullable(),
    /** `voted`, or why it did not: `stale` (no fresh evaluation), `unknown` (all its RPCs failing), `no-data`. */
    vote: z.enum(['voted', 'stale', 'unknown', 'no-data']),
    /** Whether the quorum chose this observer's evaluation (its head, flags and reasons are served). */
    chosen: z.boolean(),
  })
  .meta({ id: 'ChainObserver' });
export type ChainObserver = z.infer<typeof ChainObserver>;

/**
 * Redundant mode: how the served status was combined from the observers' evaluations — only fresh,
 * non-`unknown` evaluations vote and the least severe wins, so one blind watcher cannot report a halt.
 */
export const ChainQuorum = z
  .object({
    /** The observer whose evaluation was chosen, `null` when none voted (status `unknown`). */
    chosen: z.string().nullable(),
    status: ChainStatus,
    reason: z.string(),
    observers: z.array(ChainObserver),
  })
  .meta({ id: 'ChainQuorum' });
export type ChainQuorum = z.infer<typeof ChainQuorum>;

/** Body of `GET /v1/chains/{chainId}`. */
export const ChainDetail = ChainSummary.extend({
  blockTimeMs: z.number().nullable(),
  blockGap: BlockGapStats,
  safe: TaggedHead.nullable(),
  finalized: TaggedHead.nullable(),
  rpcs: z.array(RpcHealth),
  feed: UptimeFeedState.nullable(),
  probe: ProbeState,
  thresholds: z.record(z.string(), z.number().nullable()),
  recentTransitions: z.array(StatusTransition),
  openIncidentIds: z.array(z.number().int()),
  /** Present only when several watchers observe the chain (`cluster.mode: redundant`). */
  quorum: ChainQuorum.optional(),
}).meta({ id: 'ChainDetail' });
export type ChainDetail = z.infer<typeof ChainDetail>;
