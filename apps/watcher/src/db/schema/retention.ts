import { integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Hourly rollups of raw samples, kept long after the raw rows are pruned (the status page's long
 * charts and post-incident review read these). One row per subject + metric + hour; recomputing
 * an hour replaces its row, so rollups are idempotent.
 */
export const rollupsHourly = sqliteTable(
  'rollups_hourly',
  {
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** e.g. `block_gap_seconds`, `oracle_update_interval_seconds`, `mark_oracle_deviation`. */
    metric: text('metric').notNull(),
    /** Start of the hour, ms since the epoch (UTC). */
    hourStart: integer('hour_start').notNull(),
    count: integer('count').notNull(),
    min: real('min'),
    max: real('max'),
    sum: real('sum'),
  },
  (t) => [primaryKey({ columns: [t.subjectType, t.subjectId, t.metric, t.hourStart] })],
);

/** Progress of the retention job per raw table: hours before `rolledUntil` are rolled up. */
export const retentionState = sqliteTable('retention_state', {
  target: text('target').primaryKey(),
  /** Ms since the epoch, an hour boundary. */
  rolledUntil: integer('rolled_until').notNull(),
  lastRunAt: integer('last_run_at').notNull(),
  lastPrunedRows: integer('last_pruned_rows').notNull().default(0),
});
