import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The append-only event log. `id` is the SSE event id (`Last-Event-ID` resumes after it). Rows are
 * written in the same transaction as the state change they describe, before anyone is told.
 */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    kind: text('kind').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    payloadJson: text('payload_json').notNull(),
  },
  (t) => [index('events_subject').on(t.subjectType, t.subjectId, t.id)],
);
