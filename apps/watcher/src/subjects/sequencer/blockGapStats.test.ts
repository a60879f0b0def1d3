import { describe, expect, it } from 'vitest';
import { blockGapStats } from './blockGapStats.js';
import type { TrackedBlock } from './headTracker.js';

const block = (
  number: number,
  timestamp: number,
  txCount: number,
  seenAt: number,
): TrackedBlock => ({
  number,
  hash: `0x${number}`,
  parentHash: `0x${number - 1}`,
  timestamp,
  txCount,
  seenAt,
});

describe('blockGapStats (op-conductor expected-vs-observed, sequencer.md §2.1)', () => {
  it('expects floor(Δt / blockTime) − 1 blocks over a filled window and counts empty blocks and gaps', () => {
    const now = 100_000;
    const samples = [
      { at: 30_000, number: 10 },
      { at: 40_000, number: 15 },
      { at: 100_000, number: 35 },
    ];
    const blocks = [
      block(33, 1000, 0, 95_000),
      block(34, 1002, 3, 97_000),
      block(35, 1006, 1, 99_000),
    ];
    const s = blockGapStats({
      now,
      windowSeconds: 60,
      blockTimeMs: 2000,
      systemTxsPerBlock: 1,
      samples,
      blocks,
    });
    // Base sample = last one at or before now − 60 s (t = 40 s, #15): Δt = 60 s → 29 expected, 20 seen.
    expect(s).toEqual({
      windowSeconds: 60,
      observedBlocks: 20,
      expectedBlocks: 29,
      emptyBlocks: 2,
      meanGapSeconds: 3,
      maxGapSeconds: 4,
      windowFilled: true,
    });
  });

  it('is not filled before a whole window was observed, and has no expectation without a block time', () => {
    const s = blockGapStats({
      now: 10_000,
      windowSeconds: 60,
      blockTimeMs: null,
      systemTxsPerBlock: 0,
      samples: [
        { at: 5_000, number: 1 },
        { at: 10_000, number: 3 },
      ],
      blocks: [],
    });
    expect(s.windowFilled).toBe(false);
    expect(s.expectedBlocks).toBeNull();
    expect(s.observedBlocks).toBe(2);
  });
});
