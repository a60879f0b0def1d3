import type { IncidentSeverity as SchemaIncidentSeverity } from '@perpscope/schemas';
import { and, desc, eq, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../openDb.js';
import { incidents } from '../schema/incidents.js';
import type { SubjectRef } from './events.js';

/** `warning` or `critical`: the incident part of the one severity scale (`@perpscope/schemas`). */
export type IncidentSeverity = SchemaIncidentSeverity;
export type IncidentState = 'open' | 'closed';

/** An incident as read from the database (times in ms on the watcher clock). */
export type IncidentRecord = {
  id: number;
  subject: SubjectRef;
  kind: string;
  severity: IncidentSeverity;
  state: IncidentState;
  title: string;
  startedAt: number;
  endedAt: number | null;
  updatedAt: number;
  peak: Record<string, number>;
  context: Record<string, unknown>;
};

type Row = typeof incidents.$inferSelect;
const toRecord = (r: Row): IncidentRecord => ({
  id: r.id,
  subject: { type: r.subjectType, id: r.subjectId },
  kind: r.kind,
  severity: r.severity as IncidentSeverity,
  state: r.state as IncidentState,
  title: r.title,
  startedAt: r.startedAt,
  endedAt: r.endedAt,
  updatedAt: r.updatedAt,
  peak: JSON.parse(r.peakJson) as Record<string, number>,
  context: JSON.parse(r.contextJson) as Record<string, unknown>,
});

/** The open incident of a subject and kind, if any (at most one exists: partial unique index). */
export function findOpenIncident(db: Db, subject: SubjectRef, kind: string): IncidentRecord | null {
  const row = db
    .select()
    .from(incidents)
    .where(
      and(
        eq(incidents.subjectType, subject.type),
        eq(incidents.subjectId, subject.id),
        eq(incidents.kind, kind),
        eq(incidents.state, 'open'),
      ),
    )
    .get();
  return row ? toRecord(row) : null;
}

/**
 * {@link findOpenIncident} as a prepared query, built and compiled once for `db`'s connection: the
 * chains subject asks for five incident kinds per chain on every poll (75 lookups/s for 15 chains),
 * and building + compiling the SQL each time cost ~0.15 ms per lookup. The lookup may run inside a
 * transaction opened on the same connection (it reads that transaction's writes).
 *
 * @example const find = prepareFindOpenIncident(db); find({ type: 'chain', id: '42161' }, 'sequencer');
 */
export function prepareFindOpenIncident(
  db: Db,
): (subject: SubjectRef, kind: string) => IncidentRecord | null {
  const query = db
    .select()
    .from(incidents)
    .where(
      and(
        eq(incidents.subjectType, sql.placeholder('type')),
        eq(incidents.subjectId, sql.placeholder('id')),
        eq(incidents.kind, sql.placeholder('kind')),
        eq(incidents.state, 'open'),
      ),
    )
    .prepare();
  return (subject, kind) => {
    const row = query.get({ type: subject.type, id: subject.id, kind });
    return row ? toRecord(row) : null;
  };
}

/** All open incidents of a subject. */
export function openIncidentsOf(db: Db, subject: SubjectRef): IncidentRecord[] {
  return db
    .select()
    .from(incidents)
    .where(
      and(
        eq(incidents.subjectType, subject.type),
        eq(incidents.subjectId, subject.id),
        eq(incidents.state, 'open'),
      ),
    )
    .all()
    .map(toRecord);
}

/** Inserts an open incident. */
export function insertIncident(
  db: Db,
  input: Omit<IncidentRecord, 'id' | 'state' | 'endedAt' | 'updatedAt'>,
): IncidentRecord {
  const row = db
    .insert(incidents)
    .values({
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      kind: input.kind,
      severity: input.severity,
      state: 'open',
      title: input.title,
      startedAt: input.startedAt,
      updatedAt: input.startedAt,
      peakJson: JSON.stringify(input.peak),
      contextJson: JSON.stringify(input.context),
    })
    .returning()
    .get();
  return toRecord(row);
}

/** Rewrites the mutable fields of an incident. */
export function updateIncident(
  db: Db,
  id: number,
  patch: Partial<
    Pick<IncidentRecord, 'severity' | 'state' | 'title' | 'endedAt' | 'peak' | 'context'>
  > & {
    updatedAt: number;
  },
): IncidentRecord {
  const row = db
    .update(incidents)
    .set({
      ...(patch.severity !== undefined && { severity: patch.severity }),
      ...(patch.state !== undefined && { state: patch.state }),
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.endedAt !== undefined && { endedAt: patch.endedAt }),
      ...(patch.peak !== undefined && { peakJson: JSON.stringify(patch.peak) }),
      ...(patch.context !== undefined && { contextJson: JSON.stringify(patch.context) }),
      updatedAt: patch.updatedAt,
    })
    .where(eq(incidents.id, id))
    .returning()
    .get();
  return toRecord(row);
}

/** Filters of `GET /v1/incidents`. Times are ms; `cursor` is the last id of the previous page. */
export type ListIncidentsParameters = {
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  kind?: string | undefined;
  state?: IncidentState | undefined;
  severity?: IncidentSeverity | undefined;
  since?: number | undefined;
  until?: number | undefined;
  cursor?: number | undefined;
  limit: number;
};

/** Incidents newest first (by id), paginated by cursor; returns the next cursor or `null`. */
export function listIncidents(
  db: Db,
  params: ListIncidentsParameters,
): { items: IncidentRecord[]; nextCursor: number | null } {
  const where: SQL[] = [];
  if (params.subjectType) where.push(eq(incidents.subjectType, params.subjectType));
  if (params.subjectId) where.push(eq(incidents.subjectId, params.subjectId));
  if (params.kind) where.push(eq(incidents.kind, params.kind));
  if (params.state) where.push(eq(incidents.state, params.state));
  if (params.severity) where.push(eq(incidents.severity, params.severity));
  if (params.since !== undefined) where.push(gte(incidents.startedAt, params.since));
  if (params.until !== undefined) where.push(lte(incidents.startedAt, params.until));
  if (params.cursor !== undefined) where.push(lt(incidents.id, params.cursor));
  const rows = db
    .select()
    .from(incidents)
    .where(and(...where))
    .orderBy(desc(incidents.id))
    .limit(params.limit + 1)
    .all();
  const page = rows.slice(0, params.limit).map(toRecord);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > params.limit && last ? last.id : null };
}
