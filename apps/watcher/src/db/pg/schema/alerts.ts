import { bigint, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { alertOutboxStates } from '../../schema/alerts.js';

// PostgreSQL twin of `src/db/schema/alerts.ts` (see the comments there).

export const alertOutbox = pgTable(
  'alert_outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    sink: text('sink').notNull(),
    subject: text('subject').notNull(),
    incidentId: text('incident_id').notNull(),
    transition: text('transition').notNull(),
    severity: text('severity').notNull(),
    payload: text('payload').notNull(),
    state: text('state', { enum: alertOutboxStates }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAtMs: bigint('next_attempt_at_ms', { mode: 'number' }).notNull(),
    createdAtMs: bigint('created_at_ms', { mode: 'number' }).notNull(),
    deliveredAtMs: bigint('delivered_at_ms', { mode: 'number' }),
    lastHttpStatus: integer('last_http_status'),
    lastError: text('last_error'),
  },
  (t) => [
    index('alert_outbox_due_idx').on(t.state, t.nextAttemptAtMs),
    index('alert_outbox_subject_idx').on(t.sink, t.subject, t.createdAtMs),
  ],
);

export const alertCursor = pgTable('alert_cursor', {
  name: text('name').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
});
