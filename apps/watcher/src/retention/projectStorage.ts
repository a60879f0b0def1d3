import { type RetentionConfig, rawRetentionDays } from './retentionConfig.js';

/**
 * Bytes on disk per stored row or per second of raw data, tables and indexes included (measured on
 * this schema: `dbstat` after inserting 200,000 rows into a real SQLite file, 2026-12-06; HIP-3 from
 * the 30-minute soak, README "Scale").
 */
export const STORAGE_RATES = {
  /** HIP-3 raw data (`hip3_samples` + `hip3_oracle_updates`) per watched market per second. */
  hip3BytesPerMarketSecond: 170,
  /** One `blocks` row with its indexes. */
  blockBytes: 280,
  /** One `rollups_hourly` row with its primary-key index. */
  rollupRowBytes: 160,
  /** Hourly rollup rows per market (mark–oracle deviation, oracle-update interval). */
  rollupsPerMarketHour: 2,
  /** Hourly rollup rows per chain (block gap, transactions per block). */
  rollupsPerChainHour: 2,
  /** Assumed block time of a chain whose registry entry has none. */
  defaultBlockTimeMs: 2_000,
} as const;

const DAY_S = 86_400;

/** Parameters of {@link projectStorage}. */
export type ProjectStorageParameters = {
  /** Block time (ms) of every watched chain; `null` = unknown ({@link STORAGE_RATES}' default). */
  chainBlockTimesMs: readonly (number | null)[];
  /** HIP-3 markets watched. */
  hip3Markets: number;
  retention: RetentionConfig;
};

/** The steady-state database size once every retention window is full, by part. */
export type StorageProjection = {
  totalBytes: number;
  parts: readonly { name: string; bytes: number }[];
};

/**
 * Projects the database size once raw data fills its retention window and rollups theirs: HIP-3
 * raw data (`hip3_samples`' window), blocks (`blocks`' window), hourly rollups (`rollupDays`), at
 * the rates of {@link STORAGE_RATES}. The event log is left out (kilobytes per incident).
 *
 * @example projectStorage({ chainBlockTimesMs: [250, 2000], hip3Markets: 300, retention }).totalBytes
 */
export function projectStorage(params: ProjectStorageParameters): StorageProjection {
  const r = STORAGE_RATES;
  const blocksPerSecond = params.chainBlockTimesMs.reduce<number>(
    (sum, ms) => sum + 1000 / Math.max(ms ?? r.defaultBlockTimeMs, 1),
    0,
  );
  const rollupRows =
    (params.hip3Markets * r.rollupsPerMarketHour +
      params.chainBlockTimesMs.length * r.rollupsPerChainHour) *
    24 *
    params.retention.rollupDays;
  const parts = [
    {
      name: 'HIP-3 raw samples',
      bytes:
        params.hip3Markets *
        r.hip3BytesPerMarketSecond *
        rawRetentionDays(params.retention, 'hip3_samples') *
        DAY_S,
    },
    {
      name: 'blocks',
      bytes: blocksPerSecond * r.blockBytes * rawRetentionDays(params.retention, 'blocks') * DAY_S,
    },
    { name: 'hourly rollups', bytes: rollupRows * r.rollupRowBytes },
  ];
  return { totalBytes: parts.reduce((s, p) => s + p.bytes, 0), parts };
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;

/**
 * The projection as text for `perpscope-watcher storage`, ending with a warning when what is still
 * to grow (projection − current database size) exceeds the free space of the database's disk.
 */
export function formatStorageProjection(params: {
  projection: StorageProjection;
  chains: number;
  hip3Markets: number;
  databaseBytes: number;
  freeDiskBytes: number;
}): { text: string; warning: string | null } {
  const { projection: p } = params;
  const text = `projected size once retention windows are full (${params.chains} chains, ${params.hip3Markets} HIP-3 markets): ${gb(p.totalBytes)} (${p.parts.map((x) => `${x.name} ${gb(x.bytes)}`).join(', ')}); free disk ${gb(params.freeDiskBytes)}\n`;
  const toGrow = p.totalBytes - params.databaseBytes;
  const warning =
    toGrow > params.freeDiskBytes
      ? `warning: the database is projected to grow to ${gb(p.totalBytes)}, ${gb(toGrow - params.freeDiskBytes)} more than the free disk (${gb(params.freeDiskBytes)}); shorten retention.rawDays / retention.rawDaysByTable (hip3_samples) or retention.rollupDays\n`
      : null;
  return { text, warning };
}
