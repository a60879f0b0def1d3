import { z } from 'zod';
import { defaultRetentionTargets } from '../db/queries/retentionTargets.js';

/** Raw tables the retention job prunes (keys of `rawDaysByTable`). */
const rawRetentionTables = defaultRetentionTargets
  .filter((t) => t.horizon === 'raw')
  .map((t) => t.table);

/**
 * `retention`: how long raw samples stay. Hourly rollups are written before raw rows are pruned,
 * so charts older than `rawDays` keep hourly resolution.
 */
export const RetentionConfig = z
  .object({
    /** Raw samples (blocks, market samples, oracle updates) older than this are pruned. */
    rawDays: z.number().positive().default(14),
    /**
     * Per raw table overrides of `rawDays`, e.g. `{ hip3_samples: 2 }`: HIP-3 ctx samples are the
     * bulk of the data (about 170 bytes per market per second on disk).
     */
    rawDaysByTable: z
      .record(
        z.string().refine((k) => rawRetentionTables.includes(k), {
          error: `must be one of ${rawRetentionTables.join(', ')}`,
        }),
        z.number().positive(),
      )
      .default({}),
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
