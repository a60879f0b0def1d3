import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Incidents of any subject (`chain` here; `market` for HIP-3). At most one open incident per
 * subject + kind (partial unique index), which is what makes restarts continue instead of duplicate.
 */
export const incidents = sqliteTable(
  'incidents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    kind: text('kind').notNull(),
    /** `warning | critical` */
    severity: text('severity').notNull(),
    /** `open | closed` */
    state: text('state').notNull(),
    title: text('title').notNull(),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
    updatedAt: integer('updated_at').notNull(),
    /** JSON object of peak metrics (`maxHeadAgeSeconds`, `maxReorgDepth`, ...). */
    peakJson: text('peak_json').notNull().default('{}'),
    /** JSON object of context (blocks around the incident, reasons). */
    contextJson: text('context_json').notNull().default('{}'),
  },
  (t) => [
    uniqueIndex('incidents_one_open')
      .on(t.subjectType, t.subjectId, t.kind)
      .where(sql`${t.state} = 'open'`),
    index('incidents_started').on(t.startedAt),
  ],
);
