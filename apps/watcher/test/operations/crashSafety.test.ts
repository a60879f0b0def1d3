import { describe, expect, it } from 'vitest';
import { runCrashSafety } from '../../scripts/crashSafety.js';

describe('crash safety (scripts/crashSafety.ts)', () => {
  it('20 SIGKILLs during ingestion lose and duplicate nothing and keep the halt one incident', async () => {
    const report = await runCrashSafety({
      kills: 20,
      seed: 20_261_121,
      minRunMs: 200,
      maxRunMs: 1_500,
    });
    expect(report.violations).toEqual([]);
    expect(report.kills).toBe(20);
    // The checks had something to check.
    expect(report.blocksChecked).toBeGreaterThan(30);
    expect(report.samplesChecked).toBeGreaterThan(100);
    expect(report.incidentsOfHaltingChain).toBe(1);
  }, 240_000);
});
