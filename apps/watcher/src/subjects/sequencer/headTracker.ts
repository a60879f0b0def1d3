import type { ObservedBlock } from './chainRpc.js';

/** A block the tracker holds (`seenAt`: watcher ms). */
export type TrackedBlock = ObservedBlock & { seenAt: number };

/** A detected reorg: `depth` stored blocks were replaced by blocks with other hashes. */
export type ReorgReport = {
  depth: number;
  /** Lowest replaced height. */
  fromNumber: number;
  replaced: { number: number; hash: string }[];
  /** New hash at `fromNumber`. */
  newHash: string;
};

/** What one {@link HeadTracker.advance} produced. */
export type AdvanceResult = {
  /** New canonical blocks to store, oldest first. */
  added: TrackedBlock[];
  reorg: ReorgReport | null;
  /** Heights skipped because the gap exceeded `maxBackfill` (not fetched). */
  skipped: number;
};

/**
 * Keeps number → block for the last `keep` canonical blocks of a chain and extends it with each new
 * head: missing blocks in between are fetched (up to `maxBackfill`), and every new block's
 * `parentHash` is compared with the stored hash below it. A mismatch walks back, fetching the new
 * canonical blocks, until the hashes agree again; the number of stored blocks that changed is the
 * reorg depth (research/sequencer.md §2.7, toolchain.md §8: same-height reorgs are invisible to
 * `watchBlocks`, so hashes are compared here).
 */
export class HeadTracker {
  readonly #keep: number;
  readonly #maxBackfill: number;
  readonly #blocks = new Map<number, TrackedBlock>();
  #tip: number | null = null;

  constructor(params: { keep: number; maxBackfill: number; initial?: readonly TrackedBlock[] }) {
    this.#keep = params.keep;
    this.#maxBackfill = params.maxBackfill;
    for (const b of params.initial ?? []) this.#put(b);
  }

  /** Highest stored block. */
  get tip(): TrackedBlock | null {
    return this.#tip === null ? null : (this.#blocks.get(this.#tip) ?? null);
  }

  /** Hash of the stored canonical block at height `n`, if held. */
  hashAt(n: number): string | undefined {
    return this.#blocks.get(n)?.hash;
  }

  /** Stored blocks with `seenAt >= since`, oldest first. */
  blocksSeenSince(since: number): TrackedBlock[] {
    return [...this.#blocks.values()]
      .filter((b) => b.seenAt >= since)
      .sort((a, b) => a.number - b.number);
  }

  /**
   * Incorporates a new trusted head. `fetch` reads a block by number from the endpoint the head came from.
   *
   * @throws when `fetch` fails (the caller retries on the next poll; nothing is changed).
   */
  async advance(
    head: ObservedBlock,
    now: number,
    fetch: (n: number) => Promise<ObservedBlock | null>,
  ): Promise<AdvanceResult> {
    const tip = this.tip;
    if (!tip) {
      const b = { ...head, seenAt: now };
      this.#put(b);
      return { added: [b], reorg: null, skipped: 0 };
    }
    if (head.number === tip.number && head.hash === tip.hash)
      return { added: [], reorg: null, skipped: 0 };
    if (head.number < tip.number && this.#blocks.get(head.number)?.hash === head.hash) {
      // A replica a little behind (load balancers do this): not a reorg, nothing new.
      return { added: [], reorg: null, skipped: 0 };
    }
    let skipped = 0;
    let cur: ObservedBlock = head;
    if (head.number - tip.number > this.#maxBackfill) {
      // Too far to fill in: start over from this head (heights in between are not stored).
      skipped = head.number - tip.number - 1;
      this.#blocks.clear();
      this.#tip = null;
      const b = { ...head, seenAt: now };
      this.#put(b);
      return { added: [b], reorg: null, skipped };
    }
    const chain: ObservedBlock[] = [cur];
    const lowest = Math.min(...this.#blocks.keys());
    for (;;) {
      const below = this.#blocks.get(cur.number - 1);
      if (below && below.hash === cur.parentHash) break; // connected
      if (cur.number - 1 < lowest || chain.length > this.#keep + this.#maxBackfill) break; // beyond memory
      const fetched = await fetch(cur.number - 1);
      if (!fetched) break;
      if (fetched.hash !== cur.parentHash) {
        // The endpoint moved on mid-walk; try again next poll rather than store an inconsistent chain.
        throw new Error(`inconsistent chain at ${fetched.number} while following parents`);
      }
      cur = fetched;
      chain.unshift(cur);
    }
    const replaced: { number: number; hash: string }[] = [];
    for (const b of chain) {
      const stored = this.#blocks.get(b.number);
      if (stored && stored.hash !== b.hash)
        replaced.push({ number: stored.number, hash: stored.hash });
    }
    // Stored blocks above the new head are gone as well (a rollback to a lower height).
    for (let n = head.number + 1; n <= tip.number; n++) {
      const stored = this.#blocks.get(n);
      if (stored) replaced.push({ number: n, hash: stored.hash });
      this.#blocks.delete(n);
    }
    if (head.number < tip.number) this.#tip = null;
    const added: TrackedBlock[] = [];
    for (const b of chain) {
      const stored = this.#blocks.get(b.number);
      if (stored && stored.hash === b.hash) continue;
      const t = { ...b, seenAt: now };
      this.#put(t);
      added.push(t);
    }
    if (this.#tip === null) this.#tip = head.number;
    replaced.sort((a, b) => a.number - b.number);
    const first = replaced[0];
    const reorg: ReorgReport | null = first
      ? {
          depth: replaced.length,
          fromNumber: first.number,
          replaced,
          newHash: this.#blocks.get(first.number)?.hash ?? head.hash,
        }
      : null;
    return { added, reorg, skipped };
  }

  #put(b: TrackedBlock) {
    this.#blocks.set(b.number, b);
    if (this.#tip === null || b.number > this.#tip) this.#tip = b.number;
    const floor = this.#tip - this.#keep;
    if (this.#blocks.size > this.#keep) {
      for (const n of this.#blocks.keys()) if (n <= floor) this.#blocks.delete(n);
    }
  }
}
