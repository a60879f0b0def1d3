import type { ObservedBlock } from './chainRpc.js';

/** One endpoint's answer to the head poll. */
export type RpcReading =
  | { ok: true; block: ObservedBlock; latencyMs: number }
  | { ok: false; error: string; latencyMs: number };

export type RpcVerdict = {
  health: 'healthy' | 'lagging' | 'failing';
  /** Why an endpoint is not healthy. */
  note: string | null;
};

/** Outcome of the quorum over all endpoints of a chain. */
export type QuorumResult = {
  /** The head the watcher believes, or `null` when no endpoint can be trusted. */
  head: ObservedBlock | null;
  /** Index of the endpoint follow-up reads should use (a healthy one at the head), or `null`. */
  chosen: number | null;
  verdicts: RpcVerdict[];
  /** Human-readable reason when `head` is `null`. */
  reason: string | null;
};

/**
 * Decides which head to believe from several endpoints (research/sequencer.md §2.2, §6): the
 * reference is the highest head that at least two answering endpoints (or all, if fewer answer)
 * agree on within `lagToleranceBlocks`; an endpoint behind it is `lagging` and ignored, one far ahead
 * of its peers is `failing` (not believed), errors and garbage are `failing`. No healthy endpoint →
 * no head (the chain is `unknown`, never `up`).
 *
 * @example
 * decideQuorum([{ ok: true, block, latencyMs: 12 }, { ok: false, error: 'timeout', latencyMs: 2000 }], 6)
 */
export function decideQuorum(
  readings: readonly RpcReading[],
  lagToleranceBlocks: number,
): QuorumResult {
  const ok = readings
    .map((r, i) => ({ r, i }))
    .filter((x): x is { r: Extract<RpcReading, { ok: true }>; i: number } => x.r.ok);
  const failing = (note: string): RpcVerdict => ({ health: 'failing', note });
  if (ok.length === 0) {
    return {
      head: null,
      chosen: null,
      verdicts: readings.map((r) => failing(r.ok ? 'no answer' : r.error)),
      reason: `none of the ${readings.length} RPC endpoints answered`,
    };
  }
  const numbers = ok.map((x) => x.r.block.number).sort((a, b) => b - a);
  const needed = Math.min(2, ok.length);
  const support = (h: number) =>
    numbers.filter((n) => Math.abs(n - h) <= lagToleranceBlocks).length;
  const reference = numbers.find((h) => support(h) >= needed) ?? numbers[0]!;
  const verdicts: RpcVerdict[] = readings.map((r) => {
    if (!r.ok) return failing(r.error);
    const diff = r.block.number - reference;
    if (diff > lagToleranceBlocks) return failing(`${diff} blocks ahead of its peers`);
    if (-diff > lagToleranceBlocks)
      return { health: 'lagging', note: `${-diff} blocks behind its peers` };
    return { health: 'healthy', note: null };
  });
  let chosen: number | null = null;
  for (const { r, i } of ok) {
    if (verdicts[i]!.health !== 'healthy') continue;
    const best = chosen === null ? null : readings[chosen];
    if (!best?.ok || r.block.number > best.block.number) chosen = i;
  }
  if (chosen === null) {
    return { head: null, chosen: null, verdicts, reason: 'no RPC endpoint can be trusted' };
  }
  const chosenReading = readings[chosen] as Extract<RpcReading, { ok: true }>;
  return { head: chosenReading.block, chosen, verdicts, reason: null };
}
