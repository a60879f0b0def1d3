import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../../../test/support/bothDialects.js';
import { openDb } from '../../openDb.js';
import * as sqliteAlerts from '../../queries/alerts.js';
import type { alertOutbox as sqliteAlertOutbox } from '../../schema/alerts.js';
import { events as sqliteEvents } from '../../schema/events.js';
import { type PgDb, withPgTransaction } from '../openPgDb.js';
import { type LeaseGrant, tryAcquireLease } from '../pgLease.js';
import { events as pgEvents } from '../schema/events.js';
import * as pgAlerts from './alerts.js';

// The alert outbox and cursor queries, one suite run against the SQLite functions and their
// PostgreSQL twins (each on a real database), then PostgreSQL-only tests of what several watchers
// on one database need: racing leases and claims, and the lease fence (ARCHITECTURE.md, "One
// alert, once").

/** `f(db, ...args): R` → `f(...args): Promise<R>`, as the WatcherStore binds the query modules. */
type Bound<M> = {
  [K in keyof M]: M[K] extends (db: never, ...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

const NAMES = [
  'alertOutboxCounts',
  'recentAlertOutboxRows',
  'pendingAlertCount',
  'initAlertCursor',
  'readAlertCursor',
  'advanceAlertCursor',
  'insertAlertOutboxRow',
  'countIncidentAlerts',
  'countRecentSubjectAlerts',
  'dueAlertRows',
  'leaseAlertRow',
  'recordAlertAttempt',
  'alertRowsOfIncident',
] as const satisfies readonly (keyof typeof sqliteAlerts)[];
// Every export of the SQLite module has a twin under test (a new one fails to compile here).
const everyExportCovered: [Exclude<keyof typeof sqliteAlerts, (typeof NAMES)[number]>] extends [
  never,
]
  ? true
  : never = true;
void everyExportCovered;

function bind<M, K extends keyof M>(mod: M, names: readonly K[], db: unknown): Bound<Pick<M, K>> {
  return Object.fromEntries(
    names.map((n) => [
      n,
      async (...args: unknown[]) => (mod[n] as (...a: unknown[]) => unknown)(db, ...args),
    ]),
  ) as Bound<Pick<M, K>>;
}

/** The SQLite signatures decide the store's type: the PostgreSQL twins must be assignable to it. */
type AlertsStore = Bound<Pick<typeof sqliteAlerts, (typeof NAMES)[number]>> & {
  /** Appends `n` events to the log (the cursor starts at the newest). */
  addEvents(n: number): Promise<void>;
  close(): Promise<void>;
};

const both = bothDialects('alerts');

const AT = 1_790_000_000_123; // ms timestamps beyond 2³¹ must come back as the same number

const eventRow = (i: number) => ({
  at: AT + i,
  kind: 'incident.opened',
  subjectType: 'chain',
  subjectId: '8453',
  payloadJson: '{}',
});

function poolOn(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => {});
  return pool;
}

/** The PostgreSQL store on a new database (the server's default collation, or linguistic). */
async function pgStore(linguistic = false): Promise<AlertsStore> {
  const { pool, q } = await both.pgDatabase({ linguistic });
  return {
    ...bind(pgAlerts, NAMES, q),
    addEvents: async (n) => {
      for (let i = 0; i < n; i++) await q.insert(pgEvents).values(eventRow(i));
    },
    close: () => pool.end(),
  };
}

const dialects: [string, () => Promise<AlertsStore>][] = [
  [
    'SQLite',
    async () => {
      const { db, close } = openDb({ path: both.sqlitePath() });
      return {
        ...bind(sqliteAlerts, NAMES, db),
        addEvents: async (n) => {
          for (let i = 0; i < n; i++) db.insert(sqliteEvents).values(eventRow(i)).run();
        },
        close: async () => close(),
      };
    },
  ],
  ['PostgreSQL', () => pgStore()],
  ['PostgreSQL (ICU en collation)', () => pgStore(true)],
];

type NewRow = typeof sqliteAlertOutbox.$inferInsert;
/** An outbox row; the dedupe key is `sink|incident|transition|state` unless given. */
const row = (p: Partial<NewRow> = {}): NewRow => {
  const r = {
    sink: 'hook',
    subject: 'chain:8453',
    incidentId: 'inc-1',
    transition: 'open',
    severity: 'critical',
    payload: '{"text":"Base halted – ünchanged"}',
    state: 'pending' as const,
    nextAttemptAtMs: AT,
    createdAtMs: AT,
    ...p,
  };
  return { dedupeKey: [r.sink, r.incidentId, r.transition, r.state].join('|'), ...r };
};

describe.each(dialects)('alert outbox and cursor queries on %s', (_name, open) => {
  let store: AlertsStore;
  beforeAll(async () => {
    store = await open();
  }, 60_000);
  afterAll(() => store?.close());

  it('a cursor starts at the newest event once, reads null while missing, and moves as told', async () => {
    expect(await store.readAlertCursor('incidents')).toBeNull();
    await store.initAlertCursor('empty-log');
    expect(await store.readAlertCursor('empty-log')).toBe(0);
    await store.addEvents(3);
    await store.initAlertCursor('incidents');
    expect(await store.readAlertCursor('incidents')).toBe(3);
    // Already there: a second init (a restart) leaves it where it is.
    await store.addEvents(2);
    await store.initAlertCursor('incidents');
    expect(await store.readAlertCursor('incidents')).toBe(3);
    await store.advanceAlertCursor('incidents', 5);
    expect(await store.readAlertCursor('incidents')).toBe(5);
    await store.advanceAlertCursor('incidents', 2 ** 40);
    expect(await store.readAlertCursor('incidents')).toBe(2 ** 40);
    // Other cursors are separate; advancing a missing cursor does not create it.
    expect(await store.readAlertCursor('empty-log')).toBe(0);
    await store.advanceAlertCursor('positions', 9);
    expect(await store.readAlertCursor('positions')).toBeNull();
  });

  it('insert queues a row once per dedupe key; recent rows are newest first with every value intact', async () => {
    expect(await store.recentAlertOutboxRows(10)).toEqual([]);
    expect(await store.insertAlertOutboxRow(row())).toBe(true);
    // A replay with other values: refused, and the stored row keeps its own values.
    expect(await store.insertAlertOutboxRow(row({ severity: 'warning', createdAtMs: 1 }))).toBe(
      false,
    );
    expect(
      await store.insertAlertOutboxRow(row({ sink: 'chat', createdAtMs: AT + 5, attempts: 2 })),
    ).toBe(true);
    expect(
      await store.insertAlertOutboxRow(
        row({ incidentId: 'inc-2', state: 'suppressed', createdAtMs: AT + 9 }),
      ),
    ).toBe(true);
    const recent = await store.recentAlertOutboxRows(10);
    // The refused duplicate used up id 2 on both (SQLite AUTOINCREMENT, a PostgreSQL identity).
    expect(recent).toEqual([
      {
        id: 4,
        sink: 'hook',
        subject: 'chain:8453',
        transition: 'open',
        state: 'suppressed',
        attempts: 0,
        createdAtMs: AT + 9,
        deliveredAtMs: null,
        lastHttpStatus: null,
        lastError: null,
      },
      {
        id: 3,
        sink: 'chat',
        subject: 'chain:8453',
        transition: 'open',
        state: 'pending',
        attempts: 2,
        createdAtMs: AT + 5,
        deliveredAtMs: null,
        lastHttpStatus: null,
        lastError: null,
      },
      {
        id: 1,
        sink: 'hook',
        subject: 'chain:8453',
        transition: 'open',
        state: 'pending',
        attempts: 0,
        createdAtMs: AT,
        deliveredAtMs: null,
        lastHttpStatus: null,
        lastError: null,
      },
    ]);
    expect((await store.recentAlertOutboxRows(2)).map((r) => r.id)).toEqual([4, 3]);
    expect(await store.recentAlertOutboxRows(0)).toEqual([]);
  });

  it('counts per sink and state (ordered), pending rows, and the incident rows per sink', async () => {
    // Byte order, as SQLite: upper case before lower case, whatever the database's collation.
    expect(await store.insertAlertOutboxRow(row({ sink: 'Pager' }))).toBe(true);
    expect(await store.alertOutboxCounts()).toEqual([
      { sink: 'Pager', state: 'pending', n: 1 },
      { sink: 'chat', state: 'pending', n: 1 },
      { sink: 'hook', state: 'pending', n: 1 },
      { sink: 'hook', state: 'suppressed', n: 1 },
    ]);
    expect(await store.pendingAlertCount()).toBe(3);
    // Suppressed rows were never sent: a resolve of inc-2 would not be either.
    expect(await store.countIncidentAlerts({ sink: 'hook', incidentId: 'inc-1' })).toBe(1);
    expect(await store.countIncidentAlerts({ sink: 'hook', incidentId: 'inc-2' })).toBe(0);
    expect(await store.countIncidentAlerts({ sink: 'chat', incidentId: 'inc-1' })).toBe(1);
    expect(await store.countIncidentAlerts({ sink: 'nope', incidentId: 'inc-1' })).toBe(0);
    expect(await store.alertRowsOfIncident('inc-1')).toEqual([
      { sink: 'Pager', state: 'pending', attempts: 0, lastError: null },
      { sink: 'chat', state: 'pending', attempts: 2, lastError: null },
      { sink: 'hook', state: 'pending', attempts: 0, lastError: null },
    ]);
    expect(await store.alertRowsOfIncident('none')).toEqual([]);
  });

  it('the rate-limit count takes open/escalate (or test) rows of a subject and sink after a time', async () => {
    const s = { sink: 'rl', subject: 'market:xyz:TSLA' };
    for (const [i, p] of [
      { transition: 'open', createdAtMs: AT + 100 },
      { transition: 'escalate', createdAtMs: AT + 200, state: 'delivered' as const },
      { transition: 'open', createdAtMs: AT + 300, state: 'failed' as const },
      { transition: 'open', createdAtMs: AT + 400, state: 'suppressed' as const },
      { transition: 'resolve', createdAtMs: AT + 500 },
      { transition: 'test', createdAtMs: AT + 600 },
      { transition: 'open', createdAtMs: AT + 700, subject: 'market:xyz:NVDA' },
    ].entries())
      await store.insertAlertOutboxRow(row({ ...s, incidentId: `rl-${i}`, ...p }));
    const count = (afterMs: number, test = false) =>
      store.countRecentSubjectAlerts({ ...s, test, afterMs });
    expect(await count(AT)).toBe(3);
    // Strictly after: the row at AT + 100 no longer counts.
    expect(await count(AT + 100)).toBe(2);
    expect(await count(AT + 300)).toBe(0);
    expect(await count(AT, true)).toBe(1);
    expect(await count(AT + 600, true)).toBe(0);
    expect(
      await store.countRecentSubjectAlerts({ ...s, sink: 'hook', test: false, afterMs: 0 }),
    ).toBe(0);
  });

  it('due rows: pending and due only, oldest first, one per sink + subject, within the limit', async () => {
    const base = { sink: 'due', createdAtMs: AT };
    const ids: number[] = [];
    for (const p of [
      { subject: 's1', incidentId: 'd1' }, // due
      { subject: 's1', incidentId: 'd2' }, // due, but behind d1 (same sink + subject)
      { subject: 's2', incidentId: 'd3', nextAttemptAtMs: AT + 1_000 }, // not yet due
      { subject: 's3', incidentId: 'd4', state: 'failed' as const },
      { subject: 's4', incidentId: 'd5', nextAttemptAtMs: AT - 1 }, // due
      { subject: 's1', incidentId: 'd6', sink: 'due2' }, // other sink: its own queue
    ]) {
      await store.insertAlertOutboxRow(row({ ...base, ...p }));
      ids.push((await store.recentAlertOutboxRows(1))[0]!.id);
    }
    const [d1, d2, d3, , d5, d6] = ids as [number, number, number, number, number, number];
    const dueNow = (limit = 10) => store.dueAlertRows({ nowMs: AT, limit });
    const inQueue = <R extends { sink: string }>(rows: R[]) =>
      rows.filter((r) => r.sink.startsWith('due'));
    expect(inQueue(await dueNow()).map((r) => r.id)).toEqual([d1, d5, d6]);
    // The whole row, with every column, as stored.
    expect(inQueue(await dueNow())[0]).toEqual({
      id: d1,
      dedupeKey: 'due|d1|open|pending',
      sink: 'due',
      subject: 's1',
      incidentId: 'd1',
      transition: 'open',
      severity: 'critical',
      payload: '{"text":"Base halted – ünchanged"}',
      state: 'pending',
      attempts: 0,
      nextAttemptAtMs: AT,
      createdAtMs: AT,
      deliveredAtMs: null,
      lastHttpStatus: null,
      lastError: null,
    });
    // Limit counts every queue (rows of earlier tests are due too): oldest first across them.
    const all = await dueNow(100);
    expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort((a, b) => a - b));
    expect((await dueNow(1)).map((r) => r.id)).toEqual([all[0]!.id]);
    expect(
      inQueue(await store.dueAlertRows({ nowMs: AT + 1_000, limit: 10 })).map((r) => r.id),
    ).toEqual([d1, d3, d5, d6]);

    // A lease holds only with the due time as read, once, and only on pending rows.
    const untilMs = AT + 60_000;
    expect(await store.leaseAlertRow({ id: d1, readNextAttemptAtMs: AT + 1, untilMs })).toBe(false);
    expect(await store.leaseAlertRow({ id: d1, readNextAttemptAtMs: AT, untilMs })).toBe(true);
    expect(await store.leaseAlertRow({ id: d1, readNextAttemptAtMs: AT, untilMs })).toBe(false);
    expect(await store.leaseAlertRow({ id: ids[3]!, readNextAttemptAtMs: AT, untilMs })).toBe(
      false,
    );
    // Leased: not due any more, and d2 still waits behind it.
    expect(inQueue(await dueNow()).map((r) => r.id)).toEqual([d5, d6]);

    // Delivered: d1 is done, d2 is next in its queue.
    await store.recordAlertAttempt(d1, {
      state: 'delivered',
      attempts: 1,
      deliveredAtMs: AT + 2_000,
      lastHttpStatus: 204,
      lastError: null,
    });
    expect(inQueue(await dueNow()).map((r) => r.id)).toEqual([d2, d5, d6]);
    // A transient failure: stays pending, due again after the backoff.
    await store.recordAlertAttempt(d5, {
      state: 'pending',
      attempts: 1,
      nextAttemptAtMs: AT + 500,
      lastHttpStatus: 503,
      lastError: 'HTTP 503 from https://hooks.example/…',
    });
    expect(inQueue(await dueNow()).map((r) => r.id)).toEqual([d2, d6]);
    expect(
      inQueue(await store.dueAlertRows({ nowMs: AT + 500, limit: 10 })).map((r) => r.id),
    ).toContain(d5);
    expect(await store.alertRowsOfIncident('d1')).toEqual([
      { sink: 'due', state: 'delivered', attempts: 1, lastError: null },
    ]);
    expect(await store.alertRowsOfIncident('d5')).toEqual([
      {
        sink: 'due',
        state: 'pending',
        attempts: 1,
        lastError: 'HTTP 503 from https://hooks.example/…',
      },
    ]);
    const delivered = (await store.recentAlertOutboxRows(100)).find((r) => r.id === d1);
    expect(delivered).toMatchObject({ deliveredAtMs: AT + 2_000, lastHttpStatus: 204 });
    expect(await store.dueAlertRows({ nowMs: AT, limit: 0 })).toEqual([]);
    // Nothing to record is a caller's mistake on both (drizzle refuses an empty `set`).
    await expect(store.recordAlertAttempt(d5, {})).rejects.toThrow('No values to set');
  });
});

describe('alert outbox on PostgreSQL with several watchers', () => {
  let url: string;
  let main: { pool: pg.Pool; q: PgDb };
  const pools: pg.Pool[] = [];
  const watcher = () => {
    const pool = poolOn(url);
    pools.push(pool);
    return { pool, q: drizzle({ client: pool }) as PgDb };
  };
  beforeAll(async () => {
    const db = await both.pgDatabase();
    url = db.url;
    main = db;
    pools.push(db.pool);
  }, 60_000);
  afterAll(() => Promise.all(pools.map((p) => p.end())));

  /** Queues `n` due rows, each of its own subject (so all are due at once); returns their ids. */
  async function queue(prefix: string, n: number, p: Partial<NewRow> = {}): Promise<number[]> {
    for (let i = 0; i < n; i++)
      await pgAlerts.insertAlertOutboxRow(
        main.q,
        row({ sink: prefix, subject: `${prefix}-${i}`, incidentId: `${prefix}-${i}`, ...p }),
      );
    const rows = await pgAlerts.recentAlertOutboxRows(main.q, 10_000);
    return rows
      .filter((r) => r.sink === prefix)
      .map((r) => r.id)
      .sort((a, b) => a - b);
  }

  const inSink = (sink: string, rows: { id: number; sink: string }[]) =>
    rows.filter((r) => r.sink === sink).map((r) => r.id);

  it('two watchers read the same due rows and lease them at once: each row is leased by exactly one', async () => {
    const ids = await queue('race', 40);
    const [a, b] = [watcher(), watcher()];
    // Both read before either leases: both see all 40 rows.
    const [dueA, dueB] = await Promise.all(
      [a, b].map((w) => pgAlerts.dueAlertRows(w.q, { nowMs: AT, limit: 1_000 })),
    );
    expect(inSink('race', dueA!)).toEqual(ids);
    expect(inSink('race', dueB!)).toEqual(ids);
    const leaseAll = (w: { q: PgDb }, due: typeof dueA) =>
      Promise.all(
        due!
          .filter((r) => r.sink === 'race')
          .map(async (r) =>
            (await pgAlerts.leaseAlertRow(w.q, {
              id: r.id,
              readNextAttemptAtMs: r.nextAttemptAtMs,
              untilMs: AT + 60_000,
            }))
              ? r.id
              : null,
          ),
      );
    const [byA, byB] = await Promise.all([leaseAll(a, dueA), leaseAll(b, dueB)]);
    const wonA = byA.filter((id) => id !== null);
    const wonB = byB.filter((id) => id !== null);
    expect(wonA.filter((id) => wonB.includes(id))).toEqual([]);
    expect([...wonA, ...wonB].sort((x, y) => x - y)).toEqual(ids);
  });

  it('two watchers claiming in transactions (for update skip locked) split the due rows without overlap', async () => {
    const ids = await queue('claim', 60);
    // Two rows of one subject: only the older is claimable until it is done.
    await pgAlerts.insertAlertOutboxRow(
      main.q,
      row({ sink: 'claim', subject: 'claim-0', incidentId: 'claim-0b' }),
    );
    const claimers = [watcher(), watcher()];
    const claimedBy = await Promise.all(
      claimers.map(async (w) => {
        const mine: number[] = [];
        for (;;) {
          const got = await withPgTransaction(w.pool, (tx) =>
            pgAlerts.claimDueAlertRows(tx, { nowMs: AT, limit: 7, untilMs: AT + 60_000 }),
          );
          const ours = inSink('claim', got);
          if (got.length === 0) return mine;
          mine.push(...ours);
        }
      }),
    );
    const [a, b] = claimedBy as [number[], number[]];
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(ids);
    // Claimed rows carry their lease; none is due any more, and claim-0b waits behind claim-0.
    expect(
      inSink('claim', await pgAlerts.dueAlertRows(main.q, { nowMs: AT, limit: 1_000 })),
    ).toEqual([]);
  });

  it('a holder whose lease was taken over cannot claim; the new holder can', async () => {
    const ids = await queue('fence', 3);
    const a = watcher();
    const b = watcher();
    const grantA = await tryAcquireLease(a.pool, { name: 'alerts-fence', holder: 'a', ttlMs: 100 });
    expect(grantA?.epoch).toBe(1);
    await waitFor(
      'the lease to expire',
      async () =>
        (await tryAcquireLease(b.pool, { name: 'alerts-fence', holder: 'b', ttlMs: 60_000 })) ??
        null,
    );
    let ran = false;
    await expect(
      pgAlerts.fencedAlertTransaction(a.pool, grantA!, async (tx) => {
        ran = true;
        return pgAlerts.claimDueAlertRows(tx, { nowMs: AT, limit: 100, untilMs: AT + 60_000 });
      }),
    ).rejects.toThrow(/lease "alerts-fence" epoch 1 of a is no longer held/);
    expect(ran).toBe(false);
    expect(
      inSink('fence', await pgAlerts.dueAlertRows(main.q, { nowMs: AT, limit: 1_000 })),
    ).toEqual(ids);
  });

  it('a fenced transaction whose body throws writes nothing', async () => {
    const ids = await queue('rollback', 2);
    const w = watcher();
    const grant = await tryAcquireLease(w.pool, { name: 'alerts-rb', holder: 'w', ttlMs: 60_000 });
    await expect(
      pgAlerts.fencedAlertTransaction(w.pool, grant!, async (tx) => {
        await pgAlerts.claimDueAlertRows(tx, { nowMs: AT, limit: 100, untilMs: AT + 60_000 });
        throw new Error('send failed before commit');
      }),
    ).rejects.toThrow('send failed before commit');
    expect(
      inSink('rollback', await pgAlerts.dueAlertRows(main.q, { nowMs: AT, limit: 1_000 })),
    ).toEqual(ids);
  });

  it('a takeover waits for the holder’s fenced transaction to end, then the old epoch is fenced', async () => {
    const ids = await queue('wait', 2);
    const a = watcher();
    const b = watcher();
    const grantA = await tryAcquireLease(a.pool, { name: 'alerts-wait', holder: 'a', ttlMs: 300 });
    let finish: () => void = () => {};
    const holding = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let claimedInside: number[] = [];
    const fenced = pgAlerts.fencedAlertTransaction(a.pool, grantA!, async (tx) => {
      claimedInside = inSink(
        'wait',
        await pgAlerts.claimDueAlertRows(tx, { nowMs: AT, limit: 100, untilMs: AT + 60_000 }),
      );
      await holding;
    });
    await waitFor('a to claim inside its transaction', async () =>
      claimedInside.length > 0 ? true : null,
    );
    await sleep(400); // a's lease expires on the server's clock while its transaction runs
    let takenOver: LeaseGrant | null | undefined;
    const takeover = tryAcquireLease(b.pool, {
      name: 'alerts-wait',
      holder: 'b',
      ttlMs: 60_000,
    }).then((g) => {
      takenOver = g;
    });
    await sleep(300);
    expect(takenOver).toBeUndefined(); // blocked by a's share lock on the lease row
    finish();
    await fenced;
    await takeover;
    expect(takenOver?.epoch).toBe(2);
    expect(claimedInside).toEqual(ids);
    await expect(
      pgAlerts.fencedAlertTransaction(a.pool, grantA!, async () => 'too late'),
    ).rejects.toBeInstanceOf(pgAlerts.AlertLeaseLostError);
    expect(await pgAlerts.fencedAlertTransaction(b.pool, takenOver!, async () => 'ok')).toBe('ok');
  });

  it('a late outcome never reopens a delivered row', async () => {
    const [id] = await queue('late', 1);
    await pgAlerts.recordAlertAttempt(main.q, id!, {
      state: 'delivered',
      attempts: 1,
      deliveredAtMs: AT + 1,
      lastHttpStatus: 200,
      lastError: null,
    });
    // The other attempt of the same row (its lease ran out) reports a retry afterwards.
    await pgAlerts.recordAlertAttempt(main.q, id!, {
      state: 'pending',
      attempts: 1,
      nextAttemptAtMs: AT,
      lastHttpStatus: 503,
      lastError: 'HTTP 503',
    });
    expect(await pgAlerts.alertRowsOfIncident(main.q, 'late-0')).toEqual([
      { sink: 'late', state: 'delivered', attempts: 1, lastError: null },
    ]);
  });

  it('a stale cursor move never takes the cursor back', async () => {
    await pgAlerts.initAlertCursor(main.q, 'stale');
    await pgAlerts.advanceAlertCursor(main.q, 'stale', 10);
    await pgAlerts.advanceAlertCursor(main.q, 'stale', 7);
    expect(await pgAlerts.readAlertCursor(main.q, 'stale')).toBe(10);
  });

  it('several watchers initialising one cursor at once: one row, no error', async () => {
    const ws = Array.from({ length: 6 }, () => watcher());
    await Promise.all(ws.map((w) => pgAlerts.initAlertCursor(w.q, 'together')));
    expect(await pgAlerts.readAlertCursor(main.q, 'together')).toBe(0);
  });

  it('two watchers queueing the same dedupe key at once: exactly one inserts', async () => {
    const ws = Array.from({ length: 6 }, () => watcher());
    const results = await Promise.all(
      ws.map((w) => pgAlerts.insertAlertOutboxRow(w.q, row({ sink: 'dup', incidentId: 'dup-1' }))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await pgAlerts.alertRowsOfIncident(main.q, 'dup-1')).toHaveLength(1);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, f: () => Promise<T | null>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
