import { bigint, doublePrecision, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

// PostgreSQL twin of `src/db/schema/retention.ts` (see the comments there).

export const rollupsHourly = pgTable(
  'rollups_hourly',
  {
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    metric: text('metric').notNull(),
    hourStart: bigint('hour_start', { mode: 'number' }).notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
    min: doublePrecision('min'),
    max: doublePrecision('max'),
    sum: doublePrecision('sum'),
  },
  (t) => [primaryKey({ columns: [t.subjectType, t.subjectId, t.metric, t.hourStart] })],
);

export const retentionState = pgTable('retention_state', {
  target: text('target').primaryKey(),
  rolledUntil: bigint('rolled_until', { mode: 'number' }).notNull(),
  lastRunAt: bigint('last_run_at', { mode: 'number' }).notNull(),
  lastPrunedRows: bigint('last_pruned_rows', { mode: 'number' }).notNull().default(0),
});
