import type { ObservedBlock } from './chainRpc.js';

/** One endpoint's answer to the head poll. */
export type RpcReading =
  | { ok: true; block: ObservedBlock; latencyMs: number }
  | { ok: false; error: string; latencyMs: number };

/** What the quorum thinks of one endpoint. */
export const rpcHealths = ['healthy', 'lagging', 'stuck', 'failing'] as const;
export type RpcHealthVerdict = (typeof rpcHealths)[number];

/**
 * Why an endpoint got its verdict (stable codes for metrics; `note` says it in words):
 * `at-head` (healthy), `behind` (lagging), `not-moving` (stuck), `error` (no or malformed answer),
 * `inconsistent-chain` (its blocks contradict the believed chain: a fork or another network),
 * `unverified` (ahead of every peer and its chain could not be checked this poll).
 */
export const rpcReasonCodes = [
  'at-head',
  'behind',
  'not-moving',
  'error',
  'inconsistent-chain',
  'unverified',
] as const;
export type RpcReasonCode = (typeof rpcReasonCodes)[number];

export type RpcVerdict = {
  health: RpcHealthVerdict;
  reasonCode: RpcReasonCode;
  /** Why, in words (`null` when healthy). */
  note: string | null;
};

/**
 * Progress of one endpoint's head on the watcher clock, kept across polls (and persisted with the
 * chain state): `changedAt` is when its head last changed (watcher ms).
 */
export type EndpointProgress = {
  number: number;
  hash: string;
  timestamp: number;
  changedAt: number;
};

/** Outcome of the quorum over all endpoints of a chain. */
export type QuorumResult = {
  /** The head the watcher believes, or `null` when no endpoint can be trusted. */
  head: ObservedBlock | null;
  /** Index of the endpoint follow-up reads should use (the one the head came from), or `null`. */
  chosen: number | null;
  verdicts: RpcVerdict[];
  /** Human-readable reason when `head` is `null`. */
  reason: string | null;
};

/** Inputs of one {@link RpcQuorum.decide}. */
export type QuorumInput = {
  readings: readonly RpcReading[];
  /** Watcher clock, ms. */
  now: number;
  /**
   * The highest block the watcher already believes (the head tracker's tip) and the stored hash at
   * a height, so a head below it is recognised as a lagging replica (same hash) or a rollback
   * (different hash).
   */
  knownTip: { number: number; hash: string } | null;
  knownHashAt: (n: number) => string | undefined;
  /** Reads a block by number from endpoint `index` (to check an endpoint ahead of its peers). */
  fetchBlock: (index: number, n: number) => Promise<ObservedBlock | null>;
};

type Ok = { r: Extract<RpcReading, { ok: true }>; i: number };
type Consistency = 'consistent' | 'inconsistent' | 'unverified';

const fmtS = (ms: number) => (ms / 1000).toFixed(1);

/**
 * Decides which head to believe from several endpoints, by progress rather than by head count
 * (SPEC §3.1, research/sequencer.md §2.2, §6; issue 13). After a halt, stuck public RPCs often
 * outnumber the healthy one, so agreement alone would believe the stuck majority.
 *
 * Rule: take the answering endpoints from the highest head down. The highest is believed when its
 * chain is consistent with the best peer below or beside it: same hash at the same height, its
 * `parentHash` when the peer is one block behind, within the lag tolerance when its own block at
 * the peer's height (one extra read, cached) has the peer's hash, and further ahead when that
 * holds and, since an endpoint that just split off matches the
 * peer's current head until the peer's next block, one more thing holds: it also has the block the
 * watcher already believes above the peer, or it matched at two successive peer heights, or the
 * peer's head has not moved for `stuckAfterMs`. A lone answering endpoint (its peers failed this
 * poll) is believed only when its chain carries the head already believed (see `#loneConsistency`):
 * under load the honest endpoints can time out in the same poll while a forked one answers, and
 * believing it recorded a reorg that never happened. A chain with one endpoint configured believes it
 * as it is.
 * An endpoint whose blocks contradict its peer (a fork, another network) is `failing` and never
 * believed; one not confirmed yet (or whose block could not be read) is not believed this poll
 * (`unverified`) — a peer catching up to it confirms it later. Endpoints more than
 * `lagToleranceBlocks` behind the believed head are `lagging`, or `stuck` when their head has not
 * changed for `stuckAfterMs` while the believed endpoint's has. A head more than the tolerance below
 * the block the watcher already believes, with the same stored hash, is a lagging replica and gives
 * no head at all (the reported head never goes backwards); with another hash it is a rollback and is
 * believed (the head tracker records the reorg). No answer at all → no head (`unknown`, never `up`).
 *
 * @example
 * const quorum = new RpcQuorum({ lagToleranceBlocks: 6, stuckAfterMs: 120_000 });
 * const q = await quorum.decide({ readings, now, knownTip, knownHashAt, fetchBlock });
 */
export class RpcQuorum {
  readonly #tolerance: number;
  readonly #stuckAfterMs: number;
  #progress: (EndpointProgress | null)[];
  /** Block checks already made: `endpoint|number:hash` → whether the endpoint has that block. */
  readonly #checked = new Map<string, 'consistent' | 'inconsistent'>();
  /**
   * Per endpoint far ahead of its peers: the last peer head its chain matched at, and at how many
   * successive ones (dropped as soon as it is no longer far ahead).
   */
  readonly #confirmed = new Map<number, { ref: string; count: number }>();
  #farAhead = new Set<number>();

  constructor(params: {
    lagToleranceBlocks: number;
    /** An endpoint whose head has not changed for longer than this, while another's has, is `stuck`. */
    stuckAfterMs: number;
    /** Progress persisted by an earlier run, by endpoint position. */
    initial?: readonly (EndpointProgress | null)[] | undefined;
  }) {
    this.#tolerance = params.lagToleranceBlocks;
    this.#stuckAfterMs = params.stuckAfterMs;
    this.#progress = [...(params.initial ?? [])];
  }

  /** Head progress per endpoint position (after the last `decide`). */
  get progress(): readonly (EndpointProgress | null)[] {
    return this.#progress;
  }

  async decide(input: QuorumInput): Promise<QuorumResult> {
    const { readings, now } = input;
    this.#progress = readings.map((r, i) => {
      const before = this.#progress[i] ?? null;
      if (!r.ok) return before;
      const b = r.block;
      if (before && before.number === b.number && before.hash === b.hash) return before;
      return { number: b.number, hash: b.hash, timestamp: b.timestamp, changedAt: now };
    });
    this.#farAhead = new Set();
    const failing = (note: string): RpcVerdict => ({
      health: 'failing',
      reasonCode: 'error',
      note,
    });
    const ok = readings
      .map((r, i) => ({ r, i }))
      .filter((x): x is Ok => x.r.ok)
      .sort((a, b) => b.r.block.number - a.r.block.number || a.i - b.i);
    const verdicts: (RpcVerdict | null)[] = readings.map((r) => (r.ok ? null : failing(r.error)));
    if (ok.length === 0) {
      return {
        head: null,
        chosen: null,
        verdicts: verdicts as RpcVerdict[],
        reason: `none of the ${readings.length} RPC endpoints answered`,
      };
    }

    let chosen: Ok | null = null;
    let loneReason: string | null = null;
    for (const c of ok) {
      if (verdicts[c.i]) continue; // already judged (a peer found inconsistent)
      const peer = ok.find((p) => p.i !== c.i && !verdicts[p.i]);
      if (!peer) {
        const lone = await this.#loneConsistency(c, readings.length, input);
        if (lone === 'consistent') {
          chosen = c;
          break;
        }
        const tipNumber = input.knownTip?.number ?? 0;
        const note =
          lone === 'inconsistent'
            ? `the only endpoint answering, and its chain contradicts the one already seen at block ${Math.min(tipNumber, c.r.block.number)} (a fork or another network?)`
            : `the only endpoint answering, and its chain could not be checked against the one already seen (block ${tipNumber})`;
        verdicts[c.i] = {
          health: 'failing',
          reasonCode: lone === 'inconsistent' ? 'inconsistent-chain' : 'unverified',
          note,
        };
        loneReason = `only endpoint ${c.i} answered and it is not believed alone: ${note}`;
        continue;
      }
      const check = await this.#consistency(c, peer, input);
      if (check === 'consistent') {
        chosen = c;
        break;
      }
      if (check === 'inconsistent' && peer.r.block.number === c.r.block.number) {
        // Same height, different blocks: nothing says which one is right — trust neither.
        const note = `block ${c.r.block.number} differs between endpoints ${c.i} and ${peer.i}`;
        verdicts[c.i] = { health: 'failing', reasonCode: 'inconsistent-chain', note };
        verdicts[peer.i] = { health: 'failing', reasonCode: 'inconsistent-chain', note };
        continue;
      }
      verdicts[c.i] =
        check === 'inconsistent'
          ? {
              health: 'failing',
              reasonCode: 'inconsistent-chain',
              note: `its block ${peer.r.block.number} differs from endpoint ${peer.i}'s (a fork or another network)`,
            }
          : {
              health: 'failing',
              reasonCode: 'unverified',
              note: `${c.r.block.number - peer.r.block.number} blocks ahead of its peers; its chain is not confirmed yet`,
            };
    }
    for (const i of [...this.#confirmed.keys()])
      if (!this.#farAhead.has(i)) this.#confirmed.delete(i);
    if (!chosen) {
      return {
        head: null,
        chosen: null,
        verdicts: verdicts.map((v) => v ?? failing('no answer')),
        reason: loneReason ?? 'no RPC endpoint can be trusted (their chains contradict each other)',
      };
    }

    const head = chosen.r.block;
    const headMovedAt = this.#progress[chosen.i]?.changedAt ?? now;
    for (const { r, i } of ok) {
      if (verdicts[i]) continue;
      const behind = head.number - r.block.number;
      if (behind <= this.#tolerance) {
        verdicts[i] = { health: 'healthy', reasonCode: 'at-head', note: null };
        continue;
      }
      const still = now - (this.#progress[i]?.changedAt ?? now);
      verdicts[i] =
        still > this.#stuckAfterMs && headMovedAt > (this.#progress[i]?.changedAt ?? now)
          ? {
              health: 'stuck',
              reasonCode: 'not-moving',
              note: `head ${r.block.number} unchanged for ${fmtS(still)} s while the chain moved on (${behind} blocks behind)`,
            }
          : {
              health: 'lagging',
              reasonCode: 'behind',
              note: `${behind} blocks behind the believed head`,
            };
    }
    const result = verdicts as RpcVerdict[];
    const tip = input.knownTip;
    if (
      tip &&
      tip.number - head.number > this.#tolerance &&
      input.knownHashAt(head.number) === head.hash
    ) {
      // Every answering endpoint is behind what the watcher already saw on the same chain: a lagging
      // replica can't tell whether the chain moved on, and believing it would move the head backwards.
      for (const { r, i } of ok) {
        if (result[i]!.health !== 'healthy') continue;
        result[i] = {
          health: 'lagging',
          reasonCode: 'behind',
          note: `${tip.number - r.block.number} blocks behind the head already seen`,
        };
      }
      return {
        head: null,
        chosen: null,
        verdicts: result,
        reason: `every answering RPC endpoint is behind the head already seen (${tip.number})`,
      };
    }
    return { head, chosen: chosen.i, verdicts: result, reason: null };
  }

  async #consistency(c: Ok, peer: Ok, input: QuorumInput): Promise<Consistency> {
    const a = c.r.block;
    const b = peer.r.block;
    if (a.number === b.number) return a.hash === b.hash ? 'consistent' : 'inconsistent';
    if (a.number === b.number + 1) return a.parentHash === b.hash ? 'consistent' : 'inconsistent';
    if (a.number - b.number <= this.#tolerance) {
      // Within tolerance: the usual replica jitter, but its block at the peer's height must be the
      // peer's (one read, cached). Believing it unchecked let the head tracker follow a forked
      // endpoint's parents and record a reorg that only that endpoint saw.
      return this.#matches(c.i, b.number, b.hash, input);
    }
    this.#farAhead.add(c.i);
    const atPeer = await this.#matches(c.i, b.number, b.hash, input);
    if (atPeer !== 'consistent') return atPeer;
    const seen = this.#confirmed.get(c.i);
    const ref = `${b.number}:${b.hash}`;
    const confirmations = seen?.ref === ref ? seen.count : (seen?.count ?? 0) + 1;
    this.#confirmed.set(c.i, { ref, count: confirmations });
    // One matching block is not enough while the peer may still move: an endpoint that just split
    // off at the peer's head matches it until the peer's next block. It is enough when the endpoint
    // also carries the block the watcher already believes above the peer (it extends the chain the
    // quorum followed), when it matched at two peer heights (the peer moved on and still agrees),
    // or when the peer's head has not moved for the stuck threshold.
    const tip = input.knownTip;
    if (tip && tip.number > b.number && tip.number <= a.number) {
      const atTip = await this.#matches(c.i, tip.number, tip.hash, input);
      if (atTip === 'consistent') return 'consistent';
      // It matched the peer below but contradicts the block already believed above it: it split off
      // between the two. Not believed this poll, whatever the confirmations say.
      if (atTip === 'inconsistent') return 'unverified';
    }
    const peerStill = input.now - (this.#progress[peer.i]?.changedAt ?? input.now);
    return confirmations >= 2 || peerStill > this.#stuckAfterMs ? 'consistent' : 'unverified';
  }

  /**
   * Whether the only answering endpoint may be believed alone: always when it is the only endpoint
   * configured (nothing else can ever confirm it; the head tracker records a reorg), else only when
   * its chain carries the block the watcher already believes — at the same height, as the parent of
   * its head, or by one read at the believed height. Below the believed head it must have the stored
   * hash (a lagging replica); a lone endpoint cannot prove a rollback while its peers are silent.
   */
  async #loneConsistency(c: Ok, configured: number, input: QuorumInput): Promise<Consistency> {
    const tip = input.knownTip;
    if (configured === 1 || !tip) return 'consistent';
    const a = c.r.block;
    if (a.number < tip.number) {
      const stored = input.knownHashAt(a.number);
      if (stored === undefined) return 'unverified';
      return stored === a.hash ? 'consistent' : 'inconsistent';
    }
    if (a.number === tip.number) return a.hash === tip.hash ? 'consistent' : 'inconsistent';
    if (a.number === tip.number + 1)
      return a.parentHash === tip.hash ? 'consistent' : 'inconsistent';
    return this.#matches(c.i, tip.number, tip.hash, input);
  }

  /** Whether endpoint `i` has block `n` with `hash` (one read, cached per endpoint and block). */
  async #matches(i: number, n: number, hash: string, input: QuorumInput): Promise<Consistency> {
    const key = `${i}|${n}:${hash}`;
    const cached = this.#checked.get(key);
    if (cached) return cached;
    let at: ObservedBlock | null;
    try {
      at = await input.fetchBlock(i, n);
    } catch {
      return 'unverified';
    }
    if (!at) return 'unverified';
    const result = at.hash === hash ? 'consistent' : 'inconsistent';
    if (this.#checked.size >= 256) this.#checked.clear(); // bounded; entries are cheap to redo
    this.#checked.set(key, result);
    return result;
  }
}
