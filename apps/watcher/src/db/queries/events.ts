import { asc, desc, gt } from 'drizzle-orm';
import type { Db } from '../openDb.js';
import { events } from '../schema/events.js';

/** A subject of events and incidents: `{ type: 'chain', id: '42161' }`, `{ type: 'market', id: 'xyz:TSLA' }`. */
export type SubjectRef = { type: string; id: string };

/** An event as stored in the append-only log. `at` is the watcher clock in ms. */
export type StoredEvent = {
  id: number;
  at: number;
  kind: string;
  subject: SubjectRef;
  payload: Record<string, unknown>;
};

/** Appends one event and returns it with its id. */
export function insertEvent(
  db: Db,
  input: { at: number; kind: string; subject: SubjectRef; payload: Record<string, unknown> },
): StoredEvent {
  const row = db
    .insert(events)
    .values({
      at: input.at,
      kind: input.kind,
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      payloadJson: JSON.stringify(input.payload),
    })
    .returning({ id: events.id })
    .get();
  return { id: row.id, ...input };
}

type EventRow = typeof events.$inferSelect;
const toStored = (r: EventRow): StoredEvent => ({
  id: r.id,
  at: r.at,
  kind: r.kind,
  subject: { type: r.subjectType, id: r.subjectId },
  payload: JSON.parse(r.payloadJson) as Record<string, unknown>,
});

/** Events with `id > afterId`, oldest first (SSE resume). */
export function eventsAfter(db: Db, params: { afterId: number; limit: number }): StoredEvent[] {
  return db
    .select()
    .from(events)
    .where(gt(events.id, params.afterId))
    .orderBy(asc(events.id))
    .limit(params.limit)
    .all()
    .map(toStored);
}

/** The most recent events, newest first. */
export function latestEvents(db: Db, params: { limit: number }): StoredEvent[] {
  return db.select().from(events).orderBy(desc(events.id)).limit(params.limit).all().map(toStored);
}
