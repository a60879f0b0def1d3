import type { WatcherEventKind, WatcherEventPayload } from '@perpscope/schemas';
import { asc, desc, gt } from 'drizzle-orm';
import type { Db } from '../openDb.js';
import { events } from '../schema/events.js';

/** A subject of events and incidents: `{ type: 'chain', id: '42161' }`, `{ type: 'market', id: 'xyz:TSLA' }`. */
export type SubjectRef = { type: string; id: string };

/** One stored event of kind `K`: the payload type comes from the catalogue of `@perpscope/schemas`. */
export type StoredEventOf<K extends WatcherEventKind> = {
  id: number;
  at: number;
  kind: K;
  subject: SubjectRef;
  payload: WatcherEventPayload<K>;
};

/**
 * An event as stored in the append-only log. `at` is the watcher clock in ms. A union over the
 * event catalogue (`watcherEventCatalogue`): narrow on `kind` to read a typed payload.
 */
export type StoredEvent = { [K in WatcherEventKind]: StoredEventOf<K> }[WatcherEventKind];

/** Appends one event and returns it with its id. */
export function insertEvent<K extends WatcherEventKind>(
  db: Db,
  input: { at: number; kind: K; subject: SubjectRef; payload: WatcherEventPayload<K> },
): StoredEventOf<K> {
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

/**
 * {@link insertEvent} on one statement prepared once per connection: a drizzle `.get()` prepares a
 * new SQLite statement per call, whose native memory is freed only when V8 collects its wrapper —
 * a tick that emits thousands of events held tens of MB at once.
 *
 * @example const insert = prepareInsertEvent(db); insert({ at, kind, subject, payload });
 */
export function prepareInsertEvent(
  db: Db,
): <K extends WatcherEventKind>(input: {
  at: number;
  kind: K;
  subject: SubjectRef;
  payload: WatcherEventPayload<K>;
}) => StoredEventOf<K> {
  const raw = (db as unknown as { $client: import('better-sqlite3').Database }).$client;
  const stmt = raw.prepare(
    `INSERT INTO events (at, kind, subject_type, subject_id, payload_json) VALUES (?, ?, ?, ?, ?)
     RETURNING id`,
  );
  return (input) => {
    const row = stmt.get(
      input.at,
      input.kind,
      input.subject.type,
      input.subject.id,
      JSON.stringify(input.payload),
    ) as { id: number };
    return { id: row.id, ...input };
  };
}

type EventRow = typeof events.$inferSelect;
// Rows were checked against the catalogue when written (`EventLog`); not parsed again on read.
const toStored = (r: EventRow): StoredEvent =>
  ({
    id: r.id,
    at: r.at,
    kind: r.kind,
    subject: { type: r.subjectType, id: r.subjectId },
    payload: JSON.parse(r.payloadJson),
  }) as StoredEvent;

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
