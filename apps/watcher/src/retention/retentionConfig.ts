import { z } from 'zod';
import { rawRetentionTables } from '../db/rawRetentionTables.js';

/**
 * Default per-table overrides of `rawDays`: HIP-3 raw data is ~170 bytes per market per second
 * (~2.2 GB per 12 h at 300 markets); its hourly rollups keep the long history.
 */
export const DEFAULT_RAW_DAYS_BY_TABLE: Readonly<Record<string, number>> = {
  hip3_samples: 0.5,
  hip3_oracle_updates: 0.5,
};

/**
 * `retention`: how long raw samples stay. The defaults fit a small disk: the built-in registry (14
 * chains) and ~300 HIP-3 markets project to ~4.3 GB (`perpscope-watcher storage` prints the
 * projection for the actual config and warns when it exceeds the free disk). Hourly rollups are written before raw rows are pruned,
 * so charts older than `rawDays` keep hourly resolution.
 */
export const RetentionConfig = z
  .object({
    /** Raw samples (blocks, market samples, oracle updates) older than this are pruned. */
    rawDays: z.number().positive().default(3),
    /**
     * Per raw table overrides of `rawDays`, merged over {@link DEFAULT_RAW_DAYS_BY_TABLE}
     * (`hip3_samples` and `hip3_oracle_updates`: 12 h), e.g. `{ hip3_samples: 2 }`: HIP-3 ctx
     * samples are the bulk of the data (about 170 bytes per market per second on disk).
     */
    rawDaysByTable: z
      .record(
        z.string().refine((k) => rawRetentionTables.includes(k), {
          error: `must be one of ${rawRetentionTables.join(', ')}`,
        }),
        z.number().positive(),
      )
      .default({})
      .transform((byTable) => ({ ...DEFAULT_RAW_DAYS_BY_TABLE, ...byTable })),
    /** Hourly rollups older than this are pruned. */
    rollupDays: z.number().positive().default(400),
    /** Event-log rows older than this are pruned (SSE resume reaches back this far). */
    eventDays: z.number().positive().default(90),
    /** How often the job runs. */
    intervalMinutes: z.number().positive().default(60),
    /** Rows deleted per transaction, so ingestion never waits long for the write lock. */
    batchSize: z.number().int().positive().default(5_000),
  })
  .strict()
  .prefault({});
export type RetentionConfig = z.infer<typeof RetentionConfig>;

/** Days a raw table keeps its rows: its `rawDaysByTable` entry, else `rawDays`. */
export function rawRetentionDays(
  config: Pick<RetentionConfig, 'rawDays' | 'rawDaysByTable'>,
  table: string,
): number {
  return config.rawDaysByTable[table] ?? config.rawDays;
}
