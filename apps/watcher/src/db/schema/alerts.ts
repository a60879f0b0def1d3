import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** States of an outbox row; only `pending` rows are (re)tried. */
export const alertOutboxStates = ['pending', 'delivered', 'failed', 'suppressed'] as const;
export type AlertOutboxState = (typeof alertOutboxStates)[number];

/**
 * Persistent alert outbox: one row per (sink, alert). Rows are written in the same process turn as
 * the incident transition and delivered by a separate loop, so a slow or failing sink never blocks
 * ingestion, and undelivered alerts survive a restart (at-least-once: a row becomes `delivered`
 * only after the sink answered 2xx).
 */
export const alertOutbox = sqliteTable(
  'alert_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `sink|incident|transition|severity`: the same alert is never queued twice (replays, restarts). */
    dedupeKey: text('dedupe_key').notNull().unique(),
    sink: text('sink').notNull(),
    /** `chain:<id>` or `market:<dex>:<coin>`; rate limits and ordering are per sink + subject. */
    subject: text('subject').notNull(),
    incidentId: text('incident_id').notNull(),
    transition: text('transition').notNull(),
    severity: text('severity').notNull(),
    /** The `AlertMessage` as JSON; formatted for the sink at delivery time. */
    payload: text('payload').notNull(),
    state: text('state', { enum: alertOutboxStates }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Ms since the epoch; also used as a lease while a delivery is in flight. */
    nextAttemptAtMs: integer('next_attempt_at_ms').notNull(),
    createdAtMs: integer('created_at_ms').notNull(),
    deliveredAtMs: integer('delivered_at_ms'),
    lastHttpStatus: integer('last_http_status'),
    /** Last failure, with the sink URL redacted. */
    lastError: text('last_error'),
  },
  (t) => [
    index('alert_outbox_due_idx').on(t.state, t.nextAttemptAtMs),
    index('alert_outbox_subject_idx').on(t.sink, t.subject, t.createdAtMs),
  ],
);
export type AlertOutboxRow = typeof alertOutbox.$inferSelect;

/**
 * Progress of the alert dispatcher through the event log: the id of the last `incident.*` event
 * turned into outbox rows. Written in the same transaction as those rows, so after a crash the
 * dispatcher resumes exactly where it stopped (no lost alert, and the dedupe key stops repeats).
 */
export const alertCursor = sqliteTable('alert_cursor', {
  name: text('name').primaryKey(),
  lastEventId: integer('last_event_id').notNull(),
});
