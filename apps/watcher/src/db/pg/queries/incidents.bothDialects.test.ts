import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../../../test/support/bothDialects.js';
import { openDb } from '../../openDb.js';
import type { SubjectRef } from '../../queries/events.js';
import type { IncidentRecord, ListIncidentsParameters } from '../../queries/incidents.js';
import * as sqlite from '../../queries/incidents.js';
import { type PgDb, withPgTransaction } from '../openPgDb.js';
import * as pgIncidents from './incidents.js';
import { IncidentAlreadyOpenError } from './incidents.js';

// The incident queries on both dialects (same calls, same results), then what only PostgreSQL has
// to answer: two processes opening the same incident at once.

type NewIncident = Parameters<typeof sqlite.insertIncident>[1];
type Patch = Parameters<typeof sqlite.updateIncident>[2];
type IncidentsStore = {
  findOpenIncident(subject: SubjectRef, kind: string): Promise<IncidentRecord | null>;
  /** The prepared finder, awaited the same way on both (SQLite's is synchronous). */
  preparedFind(subject: SubjectRef, kind: string): Promise<IncidentRecord | null>;
  openIncidentsOf(subject: SubjectRef): Promise<IncidentRecord[]>;
  insertIncident(input: NewIncident): Promise<IncidentRecord>;
  updateIncident(id: number, patch: Patch): Promise<IncidentRecord>;
  listIncidents(params: ListIncidentsParameters): Promise<{
    items: IncidentRecord[];
    nextCursor: number | null;
  }>;
  close(): Promise<void>;
};

const both = bothDialects('incidents');
const pgDatabase = () => both.pgDatabase();

const dialects: [string, () => Promise<IncidentsStore>][] = [
  [
    'SQLite',
    async () => {
      const { db, close } = openDb({ path: both.sqlitePath() });
      const find = sqlite.prepareFindOpenIncident(db);
      return {
        findOpenIncident: async (s, k) => sqlite.findOpenIncident(db, s, k),
        preparedFind: async (s, k) => find(s, k),
        openIncidentsOf: async (s) => sqlite.openIncidentsOf(db, s),
        insertIncident: async (input) => sqlite.insertIncident(db, input),
        updateIncident: async (id, patch) => sqlite.updateIncident(db, id, patch),
        listIncidents: async (p) => sqlite.listIncidents(db, p),
        close: async () => close(),
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const { pool, q } = await pgDatabase();
      const find = await pgIncidents.prepareFindOpenIncident(q);
      return {
        findOpenIncident: (s, k) => pgIncidents.findOpenIncident(q, s, k),
        preparedFind: (s, k) => find(s, k),
        openIncidentsOf: (s) => pgIncidents.openIncidentsOf(q, s),
        insertIncident: (input) => pgIncidents.insertIncident(q, input),
        updateIncident: (id, patch) => pgIncidents.updateIncident(q, id, patch),
        listIncidents: (p) => pgIncidents.listIncidents(q, p),
        close: () => pool.end(),
      };
    },
  ],
];

const T0 = 1_790_000_000_000; // ms beyond 2³¹
const base = { type: 'chain', id: '42161' };
const market = { type: 'market', id: 'xyz:TSLA' };
const incident = (over: Partial<NewIncident> = {}): NewIncident => ({
  subject: base,
  kind: 'halt',
  severity: 'warning',
  title: 'Arbitrum One: no new block for 60 s',
  startedAt: T0,
  peak: { maxHeadAgeSeconds: 60 },
  context: { reasons: ['head-stale'], head: { number: 3_000_000_000, hash: '0xab' }, note: null },
  ...over,
});

describe.each(dialects)('incident queries on %s', (_name, open) => {
  let store: IncidentsStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store?.close());

  it('nothing is open in an empty database', async () => {
    expect(await store.findOpenIncident(base, 'halt')).toBeNull();
    expect(await store.preparedFind(base, 'halt')).toBeNull();
    expect(await store.openIncidentsOf(base)).toEqual([]);
    expect(await store.listIncidents({ limit: 10 })).toEqual({ items: [], nextCursor: null });
  });

  it('insertIncident returns the open record (id 1, updatedAt = startedAt, endedAt null) that the finders read back', async () => {
    const created = await store.insertIncident(incident());
    expect(created).toEqual({
      id: 1,
      subject: base,
      kind: 'halt',
      severity: 'warning',
      state: 'open',
      title: 'Arbitrum One: no new block for 60 s',
      startedAt: T0,
      endedAt: null,
      updatedAt: T0,
      peak: { maxHeadAgeSeconds: 60 },
      context: {
        reasons: ['head-stale'],
        head: { number: 3_000_000_000, hash: '0xab' },
        note: null,
      },
    });
    expect(await store.findOpenIncident(base, 'halt')).toEqual(created);
    expect(await store.preparedFind(base, 'halt')).toEqual(created);
    expect(await store.findOpenIncident(base, 'reorg')).toBeNull();
    expect(await store.findOpenIncident({ type: 'chain', id: '8453' }, 'halt')).toBeNull();
    expect(await store.preparedFind(market, 'halt')).toBeNull();
  });

  it('a second open incident of the same subject + kind is refused (the partial unique index)', async () => {
    await expect(store.insertIncident(incident({ title: 'duplicate' }))).rejects.toThrow();
    expect((await store.listIncidents({ limit: 10 })).items.map((i) => i.title)).toEqual([
      'Arbitrum One: no new block for 60 s',
    ]);
  });

  it('updateIncident rewrites only the fields given (and updatedAt)', async () => {
    const before = (await store.findOpenIncident(base, 'halt'))!;
    const next = await store.updateIncident(before.id, {
      severity: 'critical',
      updatedAt: T0 + 5_000,
    });
    expect(next).toEqual({ ...before, severity: 'critical', updatedAt: T0 + 5_000 });
    const touched = await store.updateIncident(before.id, {
      peak: { maxHeadAgeSeconds: 120, gaps: 2 },
      context: { reasons: [] },
      title: 'worse',
      updatedAt: T0 + 6_000,
    });
    expect(touched).toEqual({
      ...next,
      title: 'worse',
      peak: { maxHeadAgeSeconds: 120, gaps: 2 },
      context: { reasons: [] },
      updatedAt: T0 + 6_000,
    });
    expect(await store.preparedFind(base, 'halt')).toEqual(touched);
  });

  it('updateIncident of an unknown id throws', async () => {
    await expect(store.updateIncident(999, { title: 'x', updatedAt: T0 })).rejects.toThrow();
  });

  it('a closed incident is no longer open, and the same subject + kind may open again', async () => {
    const closed = await store.updateIncident(1, {
      state: 'closed',
      endedAt: T0 + 60_000,
      updatedAt: T0 + 60_000,
    });
    expect(closed).toMatchObject({ id: 1, state: 'closed', endedAt: T0 + 60_000 });
    expect(await store.findOpenIncident(base, 'halt')).toBeNull();
    expect(await store.preparedFind(base, 'halt')).toBeNull();
    const again = await store.insertIncident(incident({ startedAt: T0 + 120_000 }));
    expect(again).toMatchObject({ id: 2, state: 'open', startedAt: T0 + 120_000 });
    expect(await store.findOpenIncident(base, 'halt')).toEqual(again);
  });

  it('openIncidentsOf gives the open incidents of that subject only, by kind (SQLite walks the one-open index)', async () => {
    const feedDown = await store.insertIncident(
      incident({ kind: 'feed-down', severity: 'critical', startedAt: T0 + 130_000 }),
    );
    const other = await store.insertIncident(
      incident({ subject: market, kind: 'oracle-stale', startedAt: T0 + 140_000 }),
    );
    const open = await store.openIncidentsOf(base);
    expect(open.map((i) => [i.id, i.kind])).toEqual([
      [feedDown.id, 'feed-down'],
      [2, 'halt'],
    ]);
    expect(await store.openIncidentsOf(market)).toEqual([other]);
    expect(await store.openIncidentsOf({ type: 'market', id: 'nope' })).toEqual([]);
  });

  it('listIncidents: newest first, each filter, since/until inclusive, cursor pages to the end', async () => {
    // ids: 1 halt closed (T0), 2 halt open (T0+120 s), 3 feed-down critical (T0+130 s), 4 market (T0+140 s)
    const ids = async (p: Omit<ListIncidentsParameters, 'limit'> & { limit?: number }) =>
      (await store.listIncidents({ limit: 10, ...p })).items.map((i) => i.id);
    expect(await ids({})).toEqual([4, 3, 2, 1]);
    expect(await ids({ subjectType: 'chain' })).toEqual([3, 2, 1]);
    expect(await ids({ subjectId: 'xyz:TSLA' })).toEqual([4]);
    expect(await ids({ subjectType: 'chain', subjectId: '42161', kind: 'halt' })).toEqual([2, 1]);
    expect(await ids({ state: 'closed' })).toEqual([1]);
    expect(await ids({ state: 'open' })).toEqual([4, 3, 2]);
    expect(await ids({ severity: 'critical' })).toEqual([3, 1]);
    expect(await ids({ since: T0 + 130_000 })).toEqual([4, 3]);
    expect(await ids({ until: T0 + 130_000 })).toEqual([3, 2, 1]);
    expect(await ids({ since: T0 + 120_000, until: T0 + 130_000 })).toEqual([3, 2]);
    expect(await ids({ cursor: 3 })).toEqual([2, 1]);
    // Empty strings filter nothing (as the SQLite query's truthiness checks).
    expect(await ids({ subjectType: '', kind: '' })).toEqual([4, 3, 2, 1]);

    const first = await store.listIncidents({ limit: 3 });
    expect([first.items.map((i) => i.id), first.nextCursor]).toEqual([[4, 3, 2], 2]);
    const second = await store.listIncidents({ limit: 3, cursor: first.nextCursor! });
    expect([second.items.map((i) => i.id), second.nextCursor]).toEqual([[1], null]);
    const exact = await store.listIncidents({ limit: 4 });
    expect(exact.nextCursor).toBeNull();
    const none = await store.listIncidents({ limit: 0 });
    expect(none).toEqual({ items: [], nextCursor: null });
    expect((await store.listIncidents({ limit: 1, state: 'closed' })).items[0]).toMatchObject({
      id: 1,
      title: 'worse',
      peak: { maxHeadAgeSeconds: 120, gaps: 2 },
      endedAt: T0 + 60_000,
    });
  });
});

describe('two processes open the same incident at once (PostgreSQL)', () => {
  let url: string;
  let pool: pg.Pool;
  let q: PgDb;
  const pools: pg.Pool[] = [];
  const process = () => {
    const p = new pg.Pool({ connectionString: url, max: 2 });
    p.on('error', () => {});
    pools.push(p);
    return p;
  };
  beforeAll(async () => {
    ({ url, pool, q } = await pgDatabase());
  });
  afterAll(async () => {
    for (const p of pools) await p.end();
    await pool?.end();
  });

  /** The event log's `openIncident`: find the open one, else insert it. */
  const openIncident = async (tx: PgDb, title: string) =>
    (await pgIncidents.findOpenIncident(tx, base, 'halt')) ??
    pgIncidents.insertIncident(tx, incident({ title }));

  it('the second waits for the first; when it commits, the second gets IncidentAlreadyOpenError with the winner, its transaction still usable', async () => {
    let releaseA!: () => void;
    const aMayCommit = new Promise<void>((r) => {
      releaseA = r;
    });
    let aInserted!: () => void;
    const aHasInserted = new Promise<void>((r) => {
      aInserted = r;
    });
    const a = withPgTransaction(process(), async (tx) => {
      const created = await openIncident(tx, 'by A');
      aInserted();
      await aMayCommit;
      return created;
    });
    await aHasInserted;
    let bSettled = false;
    const b = withPgTransaction(process(), async (tx) => {
      try {
        return await openIncident(tx, 'by B'); // A's row is not committed: B finds none, inserts, waits
      } catch (error) {
        // The transaction is not aborted: it can read on and commit.
        const again = await pgIncidents.findOpenIncident(tx, base, 'halt');
        return { error, again };
      } finally {
        bSettled = true;
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(bSettled).toBe(false); // B is waiting on A's uncommitted row in the unique index
    releaseA();
    const winner = await a;
    const loser = (await b) as { error: unknown; again: IncidentRecord | null };
    expect(winner.title).toBe('by A');
    expect(loser.error).toBeInstanceOf(IncidentAlreadyOpenError);
    expect((loser.error as IncidentAlreadyOpenError).existing).toEqual(winner);
    expect((loser.error as Error).message).toBe(
      `an open halt incident of chain 42161 already exists (id ${winner.id}, opened by another writer)`,
    );
    expect(loser.again).toEqual(winner);
    // A retry of the whole write now finds the winner and inserts nothing.
    expect(await withPgTransaction(pool, (tx) => openIncident(tx, 'retry'))).toEqual(winner);
    expect((await pgIncidents.listIncidents(q, { limit: 10 })).items.map((i) => i.title)).toEqual([
      'by A',
    ]);
  });

  it('when the first rolls back, the waiting second opens the incident', async () => {
    await pgIncidents.updateIncident(q, 1, { state: 'closed', endedAt: T0, updatedAt: T0 });
    const c = await process().connect();
    try {
      await c.query('begin');
      await openIncident(drizzle({ client: c }), 'rolled back');
      const b = withPgTransaction(process(), (tx) => openIncident(tx, 'after rollback'));
      await new Promise((r) => setTimeout(r, 300));
      await c.query('rollback');
      const opened = await b;
      expect(opened).toMatchObject({ title: 'after rollback', state: 'open' });
      expect(await pgIncidents.findOpenIncident(q, base, 'halt')).toEqual(opened);
    } finally {
      c.release();
    }
  });
});
