import { type ChainStatus, chainSeverity, severityRank } from '@perpscope/schemas';

/**
 * One observer's own evaluation of a chain (redundant mode, issue 17): what watcher `observer`
 * concluded from its own RPC endpoints in its last poll (`evaluateChainStatus`, stored per
 * observer in `chain_state`).
 */
export type ObserverEvaluation = {
  /** The observing watcher's id (`cluster.id`). */
  readonly observer: string;
  /** When it evaluated, ms since the epoch (the observer's clock; its last poll). */
  readonly at: number;
  /** Its status, or `null` when it has no evaluation of the chain yet (no data). */
  readonly status: ChainStatus | null;
  /** The head number its endpoints' quorum trusted, `null` when none. */
  readonly headNumber: number | null;
  /** When that head was first seen, ms (observer's clock), `null` when none. */
  readonly headSeenAt: number | null;
};

/**
 * Observations younger than this many poll intervals vote in the redundant quorum
 * ({@link combineObserverEvaluations}'s `freshMs`): two missed polls are tolerated. The incidents
 * duty holder combines with it, and `/v1/chains/{chainId}` shows the same quorum.
 */
export const FRESH_POLLS = 3;

/** Why an observer did not vote. */
export type AbstentionReason = 'stale' | 'unknown' | 'no-data';

/** The combined evaluation of one chain over its observers, and why. */
export type QuorumResult = {
  /** The status to serve and to open/close incidents from. */
  readonly status: ChainStatus;
  /**
   * The voter whose evaluation was chosen (use its full state record: head, flags, reasons), or
   * `null` when nobody voted (`status` is then `unknown`).
   */
  readonly observer: string | null;
  /** Observers that voted, with their status, most to least recently evaluated. */
  readonly voters: readonly { observer: string; status: ChainStatus; headNumber: number | null }[];
  /** Observers that did not vote and why, by observer id. */
  readonly abstained: readonly { observer: string; reason: AbstentionReason; ageMs: number }[];
  /** One line for logs and the status page, e.g. `up per "b" (head 105); halted: a; abstained: c (unknown)`. */
  readonly reason: string;
};

/**
 * How bad a voting status is, on the one severity scale (`@perpscope/schemas` `chainSeverity`):
 * `up` (none) < `recovering` (info: blocks flow again, within the grace period after a halt) <
 * `degraded` (warning: no new head for a while) < `halted` (critical). The quorum picks the
 * smallest. `unknown` never votes.
 */
export function votingSeverity(status: Exclude<ChainStatus, 'unknown'>): number {
  return severityRank(chainSeverity(status));
}

/**
 * Combines several watchers' evaluations of one chain into the status served (redundant mode).
 * Pure: no clock, no I/O.
 *
 * The rule, and why:
 * 1. **Only fresh observations vote** (`now − at ≤ freshMs`). An observer that stopped evaluating
 *    (dead, paused, cut off) says nothing about now; its last word would freeze the status.
 *    An `at` in the future (observer clock ahead) counts as fresh.
 * 2. **`unknown` and no-data observers do not vote.** `unknown` means the observer trusts none of
 *    its endpoints — it is blind, not a witness of a halt. A blind watcher must never turn the pair
 *    into `halted`, and must not mask a halt the others see either: it simply abstains.
 * 3. **Among voters, the least severe status wins** ({@link votingSeverity}). Every watcher's
 *    failure modes (a stuck or lagging RPC provider, a partitioned network, a rate limit) make it
 *    see *fewer* blocks than exist, never more: an observer that saw the head advance proves blocks
 *    are being produced, while one that saw no advance may only be looking at a stuck provider
 *    (Blast 2024-03-13: after the restart 2 of 5 public RPCs stayed at block 764454). So a chain
 *    is only as bad as its best-informed observer says, and a halt is reported only when every
 *    fresh voter sees it.
 * 4. **Ties** (same status) go to the highest `headNumber` (the best-informed record), then the
 *    latest `at`, then the smallest observer id (deterministic).
 * 5. **No voter → `unknown`**, never `up` (the SPEC's rule for a single watcher without a trusted
 *    endpoint, applied to the pair).
 * If an observer appears more than once, only its latest evaluation counts.
 *
 * Limit: an observer on a provider that lags far behind but advances (catching up after the chain
 * halted) still reports `up` until it reaches the halted head, so the pair reports the halt that
 * much later; each observer's own endpoint quorum (`rpcQuorum`) is what flags a lagging endpoint
 * against its peers.
 *
 * @example combineObserverEvaluations([{ observer: 'eu', at, status: 'halted', headNumber: 100, headSeenAt }, …], { now, freshMs: 30_000 })
 */
export function combineObserverEvaluations(
  evaluations: readonly ObserverEvaluation[],
  params: { now: number; freshMs: number },
): QuorumResult {
  const { now, freshMs } = params;
  const latest = new Map<string, ObserverEvaluation>();
  for (const e of evaluations) {
    const seen = latest.get(e.observer);
    if (!seen || e.at > seen.at) latest.set(e.observer, e);
  }
  const voters: (ObserverEvaluation & { status: Exclude<ChainStatus, 'unknown'> })[] = [];
  const abstained: { observer: string; reason: AbstentionReason; ageMs: number }[] = [];
  for (const e of latest.values()) {
    const ageMs = now - e.at;
    if (ageMs > freshMs) abstained.push({ observer: e.observer, reason: 'stale', ageMs });
    else if (e.status === null) abstained.push({ observer: e.observer, reason: 'no-data', ageMs });
    else if (e.status === 'unknown')
      abstained.push({ observer: e.observer, reason: 'unknown', ageMs });
    else voters.push({ ...e, status: e.status });
  }
  abstained.sort((a, b) => compareIds(a.observer, b.observer));
  const ranked = [...voters].sort(
    (a, b) =>
      votingSeverity(a.status) - votingSeverity(b.status) ||
      (b.headNumber ?? -1) - (a.headNumber ?? -1) ||
      b.at - a.at ||
      compareIds(a.observer, b.observer),
  );
  const chosen = ranked[0] ?? null;
  const byRecency = [...voters].sort((a, b) => b.at - a.at || compareIds(a.observer, b.observer));
  const abstainedText = abstained.length
    ? `; abstained: ${abstained.map((a) => `${a.observer} (${a.reason === 'stale' ? `stale, ${Math.round(a.ageMs / 1000)} s old` : a.reason})`).join(', ')}`
    : '';
  const reason = chosen
    ? `${chosen.status} per "${chosen.observer}" (head ${chosen.headNumber ?? 'none'})` +
      ranked
        .slice(1)
        .map((v) => `; ${v.observer}: ${v.status} (head ${v.headNumber ?? 'none'})`)
        .join('') +
      abstainedText
    : `unknown: no fresh observer can see the chain${abstainedText}`;
  return {
    status: chosen ? chosen.status : 'unknown',
    observer: chosen ? chosen.observer : null,
    voters: byRecency.map((v) => ({
      observer: v.observer,
      status: v.status,
      headNumber: v.headNumber,
    })),
    abstained,
    reason,
  };
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
