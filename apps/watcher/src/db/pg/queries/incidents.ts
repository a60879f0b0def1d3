import { and, desc, eq, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { SubjectRef } from '../../queries/events.js';
import type {
  IncidentRecord,
  IncidentSeverity,
  IncidentState,
  ListIncidentsParameters,
} from '../../queries/incidents.js';
import type { PgDb } from '../openPgDb.js';
import { incidents } from '../schema/incidents.js';

// PostgreSQL twin of `src/db/queries/incidents.ts`: same names, parameters and results, except
// `prepareFindOpenIncident`, whose finder is async here (see there).

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

const openOf = (subject: SubjectRef, kind: string) =>
  and(
    eq(incidents.subjectType, subject.type),
    eq(incidents.subjectId, subject.id),
    eq(incidents.kind, kind),
    eq(incidents.state, 'open'),
  );

/** The open incident of a subject and kind, if any (at most one exists: partial unique index). */
export async function findOpenIncident(
  q: PgDb,
  subject: SubjectRef,
  kind: string,
): Promise<IncidentRecord | null> {
  const [row] = await q.select().from(incidents).where(openOf(subject, kind)).limit(1);
  return row ? toRecord(row) : null;
}

/**
 * {@link findOpenIncident} as a named prepared statement (mirrors the SQLite
 * `prepareFindOpenIncident`, which compiles once per connection): each pooled connection parses it
 * once, then every lookup only binds and executes. The finder reads through `q`, so prepare it on
 * the transaction's handle to read that transaction's writes (cheap: the statement is cached per
 * connection, not per finder).
 *
 * Differs from SQLite in one way the dialects cannot share: the finder is async
 * (`(subject, kind) => Promise<IncidentRecord | null>`).
 *
 * @example const find = await prepareFindOpenIncident(q); await find({ type: 'chain', id: '42161' }, 'sequencer');
 */
export async function prepareFindOpenIncident(
  q: PgDb,
): Promise<(subject: SubjectRef, kind: string) => Promise<IncidentRecord | null>> {
  const query = q
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
    .limit(1)
    .prepare('perpscope_find_open_incident');
  return async (subject, kind) => {
    const [row] = await query.execute({ type: subject.type, id: subject.id, kind });
    return row ? toRecord(row) : null;
  };
}

/**
 * All open incidents of a subject, by kind: the order SQLite returns them in (it walks the partial
 * index `incidents_one_open`, subject + kind; one open incident per kind).
 */
export async function openIncidentsOf(q: PgDb, subject: SubjectRef): Promise<IncidentRecord[]> {
  const rows = await q
    .select()
    .from(incidents)
    .where(
      and(
        eq(incidents.subjectType, subject.type),
        eq(incidents.subjectId, subject.id),
        eq(incidents.state, 'open'),
      ),
    )
    .orderBy(incidents.kind, incidents.id);
  return rows.map(toRecord);
}

/**
 * Another transaction committed an open incident of the same subject and kind first (the partial
 * unique index `incidents_one_open` allows one): `existing` is that incident, as this transaction
 * now reads it. The transaction is still usable: carry on with `existing`, or retry the whole write.
 */
export class IncidentAlreadyOpenError extends Error {
  override readonly name = 'IncidentAlreadyOpenError';
  constructor(
    readonly subject: SubjectRef,
    readonly kind: string,
    readonly existing: IncidentRecord | null,
  ) {
    super(
      `an open ${kind} incident of ${subject.type} ${subject.id} already exists` +
        (existing ? ` (id ${existing.id}, opened by another writer)` : ''),
    );
  }
}

/**
 * Inserts an open incident. When another transaction holds or committed an open incident of the
 * same subject + kind, PostgreSQL waits for it: if it rolls back this insert goes ahead; if it
 * committed, this throws {@link IncidentAlreadyOpenError} carrying the winner's row. That is the
 * SQLite outcome (a UNIQUE constraint error; or the second writer waits on the write lock) with a
 * clearer error and without aborting the caller's transaction (`on conflict do nothing`, then a read
 * that sees the committed winner under READ COMMITTED). The `not exists` guard keeps a refused
 * insert from consuming an identity value when the open incident is already visible, so ids stay
 * the ones SQLite hands out (only a true race leaves a gap).
 *
 * @throws IncidentAlreadyOpenError as above.
 */
export async function insertIncident(
  q: PgDb,
  input: Omit<IncidentRecord, 'id' | 'state' | 'endedAt' | 'updatedAt'>,
): Promise<IncidentRecord> {
  const { type, id } = input.subject;
  const peakJson = JSON.stringify(input.peak);
  const contextJson = JSON.stringify(input.context);
  const r = await q.execute<{ id: string }>(
    sql`insert into incidents (subject_type, subject_id, kind, severity, state, title, started_at,
          updated_at, peak_json, context_json)
        select ${type}::text, ${id}::text, ${input.kind}::text, ${input.severity}::text, 'open',
          ${input.title}::text, ${input.startedAt}::bigint, ${input.startedAt}::bigint,
          ${peakJson}::text, ${contextJson}::text
        where not exists (select 1 from incidents where subject_type = ${type}
          and subject_id = ${id} and kind = ${input.kind} and state = 'open')
        on conflict (subject_type, subject_id, kind) where state = 'open' do nothing
        returning id`,
  );
  const row = r.rows[0];
  if (row)
    return {
      id: Number(row.id),
      subject: { type, id },
      kind: input.kind,
      severity: input.severity,
      state: 'open',
      title: input.title,
      startedAt: input.startedAt,
      endedAt: null,
      updatedAt: input.startedAt,
      // As stored and read back (SQLite returns the row): JSON drops `undefined` members.
      peak: JSON.parse(peakJson) as Record<string, number>,
      context: JSON.parse(contextJson) as Record<string, unknown>,
    };
  throw new IncidentAlreadyOpenError(
    input.subject,
    input.kind,
    await findOpenIncident(q, input.subject, input.kind),
  );
}

/**
 * Rewrites the mutable fields of an incident.
 *
 * @throws Error naming the id when no incident has it (SQLite's `.get()` then fails on `undefined`).
 */
export async function updateIncident(
  q: PgDb,
  id: number,
  patch: Partial<
    Pick<IncidentRecord, 'severity' | 'state' | 'title' | 'endedAt' | 'peak' | 'context'>
  > & {
    updatedAt: number;
  },
): Promise<IncidentRecord> {
  const [row] = await q
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
    .returning();
  if (!row) throw new Error(`updateIncident: no incident with id ${id}`);
  return toRecord(row);
}

/** Incidents newest first (by id), paginated by cursor; returns the next cursor or `null`. */
export async function listIncidents(
  q: PgDb,
  params: ListIncidentsParameters,
): Promise<{ items: IncidentRecord[]; nextCursor: number | null }> {
  const where: SQL[] = [];
  if (params.subjectType) where.push(eq(incidents.subjectType, params.subjectType));
  if (params.subjectId) where.push(eq(incidents.subjectId, params.subjectId));
  if (params.kind) where.push(eq(incidents.kind, params.kind));
  if (params.state) where.push(eq(incidents.state, params.state));
  if (params.severity) where.push(eq(incidents.severity, params.severity));
  if (params.since !== undefined) where.push(gte(incidents.startedAt, params.since));
  if (params.until !== undefined) where.push(lte(incidents.startedAt, params.until));
  if (params.cursor !== undefined) where.push(lt(incidents.id, params.cursor));
  const rows = await q
    .select()
    .from(incidents)
    .where(and(...where))
    .orderBy(desc(incidents.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit).map(toRecord);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > params.limit && last ? last.id : null };
}
