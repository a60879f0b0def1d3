import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

// PostgreSQL twin of `src/db/schema/incidents.ts`: the same partial unique index keeps at most one
// open incident per subject + kind, across every watcher writing to the database.

export const incidents = pgTable(
  'incidents',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    kind: text('kind').notNull(),
    severity: text('severity').notNull(),
    state: text('state').notNull(),
    title: text('title').notNull(),
    startedAt: bigint('started_at', { mode: 'number' }).notNull(),
    endedAt: bigint('ended_at', { mode: 'number' }),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
    peakJson: text('peak_json').notNull().default('{}'),
    contextJson: text('context_json').notNull().default('{}'),
  },
  (t) => [
    uniqueIndex('incidents_one_open')
      .on(t.subjectType, t.subjectId, t.kind)
      .where(sql`${t.state} = 'open'`),
    index('incidents_started').on(t.startedAt),
  ],
);
