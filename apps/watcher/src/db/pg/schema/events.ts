import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';

// PostgreSQL twin of `src/db/schema/events.ts`. The identity `id` is allocated at insert, not at
// commit: with several writers a reader polling `id > last` can skip a row committed late (see
// ARCHITECTURE.md, "PostgreSQL").

export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    at: bigint('at', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    payloadJson: text('payload_json').notNull(),
  },
  (t) => [index('events_subject').on(t.subjectType, t.subjectId, t.id)],
);
