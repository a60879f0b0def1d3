import type { BlockGapStats } from '@perpscope/schemas';
import type { TrackedBlock } from './headTracker.js';

/** A head sample: the trusted head number at a poll (watcher ms). */
export type HeadSample = { at: number; number: number };

/**
 * Expected-vs-observed blocks over a wall-clock window (op-conductor's rule, research/sequencer.md
 * §2.1: `expected = floor(Δt / blockTime) − 1`), empty-block count and the gaps between block
 * timestamps. `windowFilled` is false until samples older than the window exist, so the slow-block
 * rule does not fire on a fresh start.
 */
export function blockGapStats(params: {
  now: number;
  windowSeconds: number;
  blockTimeMs: number | null;
  systemTxsPerBlock: number;
  samples: readonly HeadSample[];
  blocks: readonly TrackedBlock[];
}): BlockGapStats & { windowFilled: boolean } {
  const windowStart = params.now - params.windowSeconds * 1000;
  const latest = params.samples.at(-1);
  let base: HeadSample | undefined;
  for (const s of params.samples) {
    if (s.at <= windowStart) base = s;
  }
  const windowFilled = base !== undefined;
  base ??= params.samples[0];
  const spanMs = base && latest ? params.now - base.at : 0;
  const observed = base && latest ? Math.max(0, latest.number - base.number) : 0;
  const expected =
    params.blockTimeMs && spanMs > 0
      ? Math.max(0, Math.floor(spanMs / params.blockTimeMs) - 1)
      : null;
  const inWindow = params.blocks.filter((b) => b.seenAt >= windowStart);
  const empty = inWindow.filter((b) => b.txCount <= params.systemTxsPerBlock).length;
  const gaps: number[] = [];
  for (let i = 1; i < inWindow.length; i++) {
    const a = inWindow[i - 1]!;
    const b = inWindow[i]!;
    if (b.number === a.number + 1) gaps.push(b.timestamp - a.timestamp);
  }
  return {
    windowSeconds: Math.round(spanMs) / 1000,
    observedBlocks: observed,
    expectedBlocks: expected,
    emptyBlocks: empty,
    meanGapSeconds: gaps.length ? gaps.reduce((s, g) => s + g, 0) / gaps.length : null,
    maxGapSeconds: gaps.length ? Math.max(...gaps) : null,
    windowFilled,
  };
}
