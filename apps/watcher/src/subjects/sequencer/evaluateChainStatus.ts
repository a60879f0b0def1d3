import type { BlockGapStats, ChainFlags, ChainStatus } from '@perpscope/schemas';
import type { ChainClassTraits, ChainThresholds } from '../../config/chainClassDefaults.js';
import type { ChainStateRecord, FeedReading, HeadRef, ProbeReading } from './chainStateRecord.js';

/** Everything one poll observed, already reduced to what the status rules need. */
export type ChainObservation = {
  /** Watcher clock, ms. */
  now: number;
  /** The trusted head, or `null` when the quorum trusts no endpoint. */
  head: HeadRef | null;
  /** Why nothing can be trusted (when `head` is null). */
  untrustedReason: string | null;
  /** Block production over the gap window; `windowFilled` false until a full window was observed. */
  blockGap: BlockGapStats & { windowFilled: boolean };
  safe: { number: number; timestamp: number } | null;
  finalized: { number: number; timestamp: number } | null;
  /** Latest feed reading (kept from an earlier poll when not re-read). */
  feed: FeedReading | null;
  /** Latest probe (kept from an earlier poll when not re-run). */
  probe: ProbeReading | null;
  /** Depth of a reorg detected in this poll. */
  reorgDepth: number | null;
};

/** Static inputs of the status rules. */
export type ChainRules = {
  thresholds: ChainThresholds;
  traits: ChainClassTraits;
  pollIntervalMs: number;
};

/** A set flag clears only below 90% of its threshold, so a lag hovering at the line doesn't flap. */
const above = (value: number | null, threshold: number | null, wasSet: boolean) =>
  value !== null && threshold !== null && value > (wasSet ? 0.9 * threshold : threshold);

const fmt = (s: number) => (s >= 100 ? s.toFixed(0) : s.toFixed(1));

/**
 * How long an invalid-tx probe result counts (ms): three poll intervals, at least 10 s. The probe
 * runs on every poll once the head has stalled for the degraded threshold.
 */
export const probeIntervalMs = (pollIntervalMs: number) => Math.max(3 * pollIntervalMs, 10_000);

/**
 * The sequencer status state machine (SPEC §3.1, research/sequencer.md §4.3). Pure: no clock, no I/O.
 *
 * - no trusted endpoint → `unknown` (never `up`);
 * - no new head for `haltedAfterSeconds` on the watcher clock → `halted` (probe chains: only when the
 *   invalid-tx probe does not prove the endpoint alive);
 * - probe chains (Nitro-class: no empty blocks): no new head for `degradedAfterSeconds` while the
 *   invalid-tx probe succeeded within its interval ({@link probeIntervalMs}) and no halt is in
 *   progress → `up` with the `idle` flag (an idle chain, not a degraded one);
 * - no new head for `degradedAfterSeconds`, or fewer than `slowBlockRatio` of the expected blocks over
 *   the gap window (op-conductor rule; cleared only above `slowBlockRatio / 0.9`), or the uptime
 *   feed reports down → `degraded` (pre-halt);
 * - after a halt, once heads advance again → `recovering` for `recoveryGraceSeconds`; an uptime feed in
 *   its grace period also keeps an otherwise healthy chain `recovering`;
 * - otherwise `up`.
 * Flags: `reorg` (held `reorgFlagHoldSeconds`), `safeLagWarn`/`safeLagCrit` from `now − safe.timestamp`,
 * `feedDown` from the feed answer, `idle` (above); without a trusted head the safe-lag and feed flags keep their value.
 *
 * @example const next = evaluateChainStatus(previousState, observation, rules);
 */
export function evaluateChainStatus(
  prev: ChainStateRecord,
  obs: ChainObservation,
  rules: ChainRules,
): ChainStateRecord {
  const { now } = obs;
  const t = rules.thresholds;
  // Head progress on the watcher's wall clock (the Chainlink adapter's method, sequencer.md §1.5).
  let lastIncreaseAt = prev.lastIncreaseAt;
  let lastIncreaseNumber = prev.lastIncreaseNumber;
  if (obs.head) {
    if (lastIncreaseNumber === null || lastIncreaseAt === null) {
      lastIncreaseAt = now;
      lastIncreaseNumber = obs.head.number;
    } else if (obs.head.number > lastIncreaseNumber) {
      lastIncreaseAt = now;
      lastIncreaseNumber = obs.head.number;
    } else if (obs.head.number < lastIncreaseNumber && obs.reorgDepth !== null) {
      // Rolled back by a reorg: the next higher head counts as progress again. (A replica that is
      // merely a block behind must not: it would reset the halt timer every time it caught up.)
      lastIncreaseNumber = obs.head.number;
    }
  }
  const lastReorgAt = obs.reorgDepth !== null ? now : prev.lastReorgAt;
  const safeLag = obs.safe ? now / 1000 - obs.safe.timestamp : null;
  // Without a trusted head nothing was read: hold the safe-lag and feed flags (and so their
  // incidents) as they were; losing every RPC is no evidence that the problem went away.
  const flags: ChainFlags = {
    idle: false,
    reorg: lastReorgAt !== null && now - lastReorgAt < t.reorgFlagHoldSeconds * 1000,
    safeLagWarn: obs.head
      ? above(safeLag, t.safeLagWarnSeconds, prev.flags.safeLagWarn)
      : prev.flags.safeLagWarn,
    safeLagCrit: obs.head
      ? above(safeLag, t.safeLagCritSeconds, prev.flags.safeLagCrit)
      : prev.flags.safeLagCrit,
    feedDown: obs.head ? obs.feed?.state === 'down' : prev.flags.feedDown,
  };

  const reasons: string[] = [];
  let status: ChainStatus;
  let haltEndedAt = prev.haltEndedAt;
  // `?? null`: states persisted before this field existed.
  let haltStartedAt = prev.haltStartedAt ?? (prev.status === 'halted' ? prev.statusSince : null);
  let probeAliveSince: number | null = null;
  if (!obs.head || lastIncreaseAt === null) {
    status = 'unknown';
    reasons.push(obs.untrustedReason ?? 'no trusted head');
  } else {
    const since = (now - lastIncreaseAt) / 1000;
    // The probe runs every poll while the head stalls; a result counts for its interval
    // (three polls, at least 10 s) — older ones say nothing about the sequencer now.
    const probeFresh =
      obs.probe !== null && now - obs.probe.at <= probeIntervalMs(rules.pollIntervalMs);
    const probeAlive = rules.traits.probe && probeFresh && obs.probe?.result === 'alive';
    probeAliveSince = probeAlive ? (prev.probeAliveSince ?? now) : null;
    // A halt ends with a new block, or with the probe alive for a whole probe interval (an idle
    // chain): one live answer is not enough — a probe held by the endpoint during the halt and
    // answered after the restart proves the endpoint alive *now*, while this poll's head was read
    // before the restart (the next poll sees the blocks). Without this the status flapped
    // halted → degraded → recovering under load.
    const probeEndsHalt =
      probeAlive &&
      (haltStartedAt === null ||
        (probeAliveSince !== null &&
          now - probeAliveSince >= probeIntervalMs(rules.pollIntervalMs)));
    const gap = obs.blockGap;
    if (since >= t.haltedAfterSeconds && !probeEndsHalt) {
      status = 'halted';
      reasons.push(`no new block for ${fmt(since)} s (halted after ${t.haltedAfterSeconds} s)`);
      if (rules.traits.probe && obs.probe && probeFresh)
        reasons.push(
          probeAlive
            ? `the invalid-tx probe answers again (${obs.probe.detail}); waiting for blocks`
            : `invalid-tx probe failed: ${obs.probe.detail}`,
        );
    } else if (since >= t.degradedAfterSeconds && probeAlive && haltStartedAt === null) {
      // Nitro-class chains make no blocks without transactions: a stalled head whose sequencer
      // endpoint still rejects the probe within its interval is an idle chain, not a degraded one.
      status = 'up';
      flags.idle = true;
      reasons.push(
        `idle: no new block for ${fmt(since)} s, and the sequencer endpoint rejects the invalid-tx probe as expected`,
      );
    } else if (since >= t.degradedAfterSeconds) {
      status = 'degraded';
      reasons.push(`no new block for ${fmt(since)} s (degraded after ${t.degradedAfterSeconds} s)`);
      if (since >= t.haltedAfterSeconds && probeAlive) {
        reasons.push(
          'the sequencer endpoint still rejects the invalid-tx probe as expected (alive, idle?)',
        );
      }
    } else {
      // Heads are moving.
      if (haltStartedAt !== null) {
        // Note 1's "after" phase starts now (also when a probe answered before the first new block).
        haltEndedAt = now;
        haltStartedAt = null;
      }
      const sinceHaltEnded = haltEndedAt === null ? null : (now - haltEndedAt) / 1000;
      const recovering = sinceHaltEnded !== null && sinceHaltEnded < t.recoveryGraceSeconds;
      // Right after a halt the gap window still contains the halt itself: don't call that "slow".
      const windowSpansHalt = sinceHaltEnded !== null && sinceHaltEnded < gap.windowSeconds + 1;
      // Nor an idle stretch (no transactions, so no blocks, on a Nitro-class chain).
      const lastIdleAt = prev.lastIdleAt ?? null;
      const windowSpansIdle =
        lastIdleAt !== null && (now - lastIdleAt) / 1000 < gap.windowSeconds + 1;
      // Hysteresis like the flags: a chain degraded by slow blocks is up again only above
      // ratio / 0.9. Right at the line one block more or less in the window (timer jitter) would
      // flap degraded → up → degraded and split one incident into two.
      const wasSlow =
        prev.status === 'degraded' && prev.reasons.some((r) => r.startsWith('slow blocks'));
      const slowRatio = wasSlow ? t.slowBlockRatio / 0.9 : t.slowBlockRatio;
      const slow =
        gap.windowFilled &&
        !windowSpansHalt &&
        !windowSpansIdle &&
        gap.expectedBlocks !== null &&
        gap.expectedBlocks > 0 &&
        gap.observedBlocks < gap.expectedBlocks * slowRatio;
      if (slow) {
        status = 'degraded';
        reasons.push(
          `slow blocks: ${gap.observedBlocks} of ${gap.expectedBlocks} expected in the last ${fmt(gap.windowSeconds)} s`,
        );
      } else if (recovering) {
        status = 'recovering';
        reasons.push(
          `blocks resumed ${fmt(sinceHaltEnded ?? 0)} s ago after a halt (recovering for ${t.recoveryGraceSeconds} s)`,
        );
      } else if (flags.feedDown) {
        status = 'degraded';
        reasons.push('the uptime feed reports the sequencer down');
      } else if (obs.feed?.state === 'grace' && obs.feed.graceEndsAt !== null) {
        status = 'recovering';
        reasons.push(
          `the uptime feed came back up; grace period until ${new Date(obs.feed.graceEndsAt).toISOString()}`,
        );
      } else {
        status = 'up';
      }
    }
    if (status === 'halted') {
      haltEndedAt = null;
      haltStartedAt ??= now;
    }
    if (flags.feedDown && !reasons.some((r) => r.includes('uptime feed'))) {
      reasons.push('the uptime feed reports the sequencer down');
    }
  }
  if (obs.head && (flags.safeLagCrit || flags.safeLagWarn)) {
    reasons.push(
      `safe head ${fmt(safeLag ?? 0)} s old (${flags.safeLagCrit ? 'critical' : 'warning'} above ${flags.safeLagCrit ? t.safeLagCritSeconds : t.safeLagWarnSeconds} s)`,
    );
  }
  if (flags.reorg && prev.lastReorgDepth !== null && obs.reorgDepth === null) {
    reasons.push(`reorg of depth ${prev.lastReorgDepth} recently`);
  }
  if (obs.reorgDepth !== null) reasons.push(`reorg of depth ${obs.reorgDepth} detected`);
  if (obs.feed?.state === 'unknown' && obs.feed.error)
    reasons.push(`uptime feed unknown: ${obs.feed.error}`);

  return {
    chainId: prev.chainId,
    status,
    statusSince: status === prev.status ? prev.statusSince : now,
    flags,
    reasons,
    // The reported head never goes backwards without a recorded reorg (a lower head is a replica
    // that lags; the quorum should not have believed it, this is the last line).
    head:
      obs.head &&
      (prev.head === null || obs.head.number >= prev.head.number || obs.reorgDepth !== null)
        ? obs.head
        : prev.head,
    lastIncreaseAt,
    lastIncreaseNumber,
    haltStartedAt,
    lastIdleAt: flags.idle ? now : (prev.lastIdleAt ?? null),
    probeAliveSince,
    // Kept after `up`: the block-gap window may still span the halt when the grace period is
    // shorter than the window (`recovering` itself ends by `recoveryGraceSeconds`).
    haltEndedAt,
    lastReorgAt,
    lastReorgDepth: obs.reorgDepth ?? prev.lastReorgDepth,
    safe: obs.safe ?? (obs.head ? null : prev.safe),
    finalized: obs.finalized ?? (obs.head ? null : prev.finalized),
    blockGap: {
      windowSeconds: obs.blockGap.windowSeconds,
      observedBlocks: obs.blockGap.observedBlocks,
      expectedBlocks: obs.blockGap.expectedBlocks,
      emptyBlocks: obs.blockGap.emptyBlocks,
      meanGapSeconds: obs.blockGap.meanGapSeconds,
      maxGapSeconds: obs.blockGap.maxGapSeconds,
    },
    feed: obs.feed,
    probe: obs.probe,
    updatedAt: now,
  };
}
