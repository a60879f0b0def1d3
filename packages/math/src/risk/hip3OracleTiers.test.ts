import { describe, expect, it } from 'vitest';
import { hip3OracleFreshness, hip3OracleTiers } from './hip3OracleTiers.js';

describe('hip3OracleFreshness', () => {
  // Hyperliquid docs (HIP-3 oracle): the mark falls back after 10 s without setOracle; research
  // note 4 calls 60 s without an update a dead feed.
  it('classifies by the exclusive 10 s and 60 s tiers', () => {
    expect(hip3OracleTiers.fallbackAfterMs).toBe(10_000);
    expect(hip3OracleTiers.deadAfterMs).toBe(60_000);
    expect(hip3OracleFreshness(0)).toBe('fresh');
    expect(hip3OracleFreshness(10_000)).toBe('fresh');
    expect(hip3OracleFreshness(10_001)).toBe('fallback');
    expect(hip3OracleFreshness(60_000)).toBe('fallback');
    expect(hip3OracleFreshness(60_001)).toBe('dead');
  });

  it('takes other thresholds (a configured watcher)', () => {
    const tiers = { fallbackAfterMs: 2_000, deadAfterMs: 5_000 };
    expect(hip3OracleFreshness(2_001, tiers)).toBe('fallback');
    expect(hip3OracleFreshness(5_001, tiers)).toBe('dead');
  });
});
