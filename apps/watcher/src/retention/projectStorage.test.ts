import { describe, expect, it } from 'vitest';
import { WatcherConfig } from '../config/configSchema.js';
import { formatStorageProjection, projectStorage } from './projectStorage.js';
import { RetentionConfig } from './retentionConfig.js';

describe('projectStorage', () => {
  it('multiplies each rate by its retention window', () => {
    const retention = RetentionConfig.parse({
      rawDays: 2,
      rawDaysByTable: { hip3_samples: 1 },
      rollupDays: 10,
    });
    const p = projectStorage({ chainBlockTimesMs: [250, null], hip3Markets: 100, retention });
    // By hand: 100 markets × 170 B/s × 86,400 s; (4 + 0.5 blocks/s) × 280 B × 2 × 86,400 s;
    // (100 × 2 + 2 × 2) rollup rows/h × 24 h × 10 days × 160 B.
    expect(p.parts).toEqual([
      { name: 'HIP-3 raw samples', bytes: 1_468_800_000 },
      { name: 'blocks', bytes: 217_728_000 },
      { name: 'hourly rollups', bytes: 7_833_600 },
    ]);
    expect(p.totalBytes).toBe(1_468_800_000 + 217_728_000 + 7_833_600);
  });

  it('the default config (built-in registry, ~300 HIP-3 markets) stays under 5 GB', () => {
    const config = WatcherConfig.parse({});
    expect(config.chains.length).toBeGreaterThanOrEqual(13);
    const p = projectStorage({
      chainBlockTimesMs: config.chains.map((c) => c.blockTimeMs),
      hip3Markets: 310,
      retention: config.retention,
    });
    expect(p.totalBytes).toBeLessThan(5e9);
    // The old default (14 days raw for everything) projected ~65 GB for the same setup.
    const old = projectStorage({
      chainBlockTimesMs: config.chains.map((c) => c.blockTimeMs),
      hip3Markets: 310,
      retention: RetentionConfig.parse({ rawDays: 14, rawDaysByTable: { hip3_samples: 14 } }),
    });
    expect(old.totalBytes).toBeGreaterThan(60e9);
  });

  it('warns only when what is still to grow exceeds the free disk', () => {
    const projection = { totalBytes: 5e9, parts: [] };
    const base = { projection, chains: 1, hip3Markets: 0 };
    expect(
      formatStorageProjection({ ...base, databaseBytes: 1e9, freeDiskBytes: 4e9 }).warning,
    ).toBeNull();
    expect(
      formatStorageProjection({ ...base, databaseBytes: 1e9, freeDiskBytes: 3.9e9 }).warning,
    ).toMatch(/^warning: the database is projected to grow to 5\.00 GB, 0\.10 GB more than/);
  });
});
