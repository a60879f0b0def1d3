import { constants, PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { paceYoungGarbage, youngGenerationCollector } from './collectYoungGarbage.js';

const MiB = 1 << 20;

describe('paceYoungGarbage', () => {
  it('collects once per everyBytes read, counting across chunks', () => {
    let collections = 0;
    const note = paceYoungGarbage(MiB, () => collections++);
    note(400_000);
    note(400_000);
    expect(collections).toBe(0);
    note(300_000); // 1,100,000 ≥ 1,048,576
    expect(collections).toBe(1);
    // The count starts again after a collection.
    note(MiB - 1);
    expect(collections).toBe(1);
    note(1);
    expect(collections).toBe(2);
    // A chunk larger than the step is one collection, not several.
    note(5 * MiB);
    expect(collections).toBe(3);
  });

  it('does nothing without a collector, and refuses a step that is not a positive number', () => {
    expect(() => paceYoungGarbage(MiB, null)(10 * MiB)).not.toThrow();
    for (const bad of [0, -1, Number.NaN])
      expect(() => paceYoungGarbage(bad, () => {})).toThrow(/everyBytes must be > 0/);
  });
});

describe('youngGenerationCollector', () => {
  it('runs a scavenge (a minor GC) of this isolate', async () => {
    const collect = youngGenerationCollector();
    expect(collect).toBeTypeOf('function');
    const kinds: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        kinds.push((e as unknown as { detail: { kind: number } }).detail.kind);
    });
    observer.observe({ entryTypes: ['gc'] });
    collect?.();
    // GC entries are delivered asynchronously.
    await new Promise((r) => setTimeout(r, 50));
    observer.disconnect();
    expect(kinds).toContain(constants.NODE_PERFORMANCE_GC_MINOR);
  });

  it('frees the backing stores of dropped chunks, which wait for a GC otherwise', () => {
    const collect = youngGenerationCollector();
    if (collect === null) throw new Error('no collector');
    collect();
    const base = process.memoryUsage().arrayBuffers;
    // 96 chunks of 64 KiB, as a socket read hands them over, then dropped: 6 MiB of garbage that
    // lives outside the JS heap behind ~10 KB of wrappers.
    let chunks: Uint8Array[] | null = Array.from({ length: 96 }, () => new Uint8Array(64 * 1024));
    expect(chunks.length).toBe(96);
    chunks = null;
    const held = process.memoryUsage().arrayBuffers - base;
    expect(held).toBeGreaterThan(5.5 * MiB);
    collect();
    // The scavenge hands the dead backing stores to V8's array-buffer sweeper (a helper thread);
    // the next collection waits for that sweep to finish. Measured synchronously: no other GC.
    collect();
    const after = process.memoryUsage().arrayBuffers - base;
    expect(after).toBeLessThan(MiB);
  });
});
