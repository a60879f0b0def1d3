import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../../../test/support/bothDialects.js';
import { openDb } from '../../openDb.js';
import type { StoredEvent } from '../../queries/events.js';
import * as sqlite from '../../queries/events.js';
import { type PgDb, withPgTransaction } from '../openPgDb.js';
import * as pgEvents from './events.js';
import { appendEvents, EVENTS_CHANNEL, type NewEvent } from './events.js';

// One suite, run against the SQLite event queries and their PostgreSQL twins, each on a real
// database (the pattern for every `db/queries` module, ARCHITECTURE.md "PostgreSQL"). Then what
// only PostgreSQL has: ids in commit order across processes, NOTIFY at commit.

type EventsStore = {
  insertEvent(input: NewEvent): Promise<StoredEvent>;
  /** Inserts each event in one transaction; throws `fail` after the inserts when given. */
  inTransaction(inputs: readonly NewEvent[], fail?: Error): Promise<StoredEvent[]>;
  eventsAfter(params: { afterId: number; limit: number }): Promise<StoredEvent[]>;
  latestEvents(params: { limit: number }): Promise<StoredEvent[]>;
  close(): Promise<void>;
};

const both = bothDialects('events');
const pgDatabase = () => both.pgDatabase();

const dialects: [string, () => Promise<EventsStore>][] = [
  [
    'SQLite',
    async () => {
      const { db, close } = openDb({ path: both.sqlitePath() });
      return {
        insertEvent: async (input) => sqlite.insertEvent(db, input as never) as StoredEvent,
        inTransaction: async (inputs, fail) =>
          db.transaction((tx) => {
            const stored = inputs.map((e) => sqlite.insertEvent(tx, e as never) as StoredEvent);
            if (fail) throw fail;
            return stored;
          }),
        eventsAfter: async (p) => sqlite.eventsAfter(db, p),
        latestEvents: async (p) => sqlite.latestEvents(db, p),
        close: async () => close(),
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const { pool, q } = await pgDatabase();
      return {
        insertEvent: async (input) =>
          (await pgEvents.insertEvent(q, input as never)) as StoredEvent,
        inTransaction: (inputs, fail) =>
          withPgTransaction(pool, async (tx) => {
            const stored: StoredEvent[] = [];
            for (const e of inputs)
              stored.push((await pgEvents.insertEvent(tx, e as never)) as StoredEvent);
            if (fail) throw fail;
            return stored;
          }),
        eventsAfter: (p) => pgEvents.eventsAfter(q, p),
        latestEvents: (p) => pgEvents.latestEvents(q, p),
        close: () => pool.end(),
      };
    },
  ],
];

const AT = 1_790_000_000_123; // a ms timestamp beyond 2³¹: must come back as the same number
const sample: NewEvent[] = [
  {
    at: AT,
    kind: 'chain.status',
    subject: { type: 'chain', id: '8453' },
    payload: { to: 'halted' },
  },
  {
    at: AT + 1,
    kind: 'market.status',
    subject: { type: 'market', id: 'xyz:TSLA' },
    payload: {
      reasons: ['oracle-stale'],
      nested: { px: '251.30', n: 3, big: 2 ** 53 - 1, none: null },
      text: 'Oracle – ünchanged',
    },
  },
  { at: AT + 2, kind: 'incident.opened', subject: { type: 'chain', id: '8453' }, payload: {} },
];

describe.each(dialects)('event log queries on %s', (_name, open) => {
  let store: EventsStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store?.close());

  it('reads of an empty log are empty', async () => {
    expect(await store.eventsAfter({ afterId: 0, limit: 10 })).toEqual([]);
    expect(await store.latestEvents({ limit: 10 })).toEqual([]);
  });

  it('insertEvent (no transaction of its own) returns ids 1, 2, 3; reads give back the same values', async () => {
    const stored: StoredEvent[] = [];
    for (const e of sample) stored.push(await store.insertEvent(e));
    expect(stored).toEqual(sample.map((e, i) => ({ id: i + 1, ...e })));
    expect(await store.eventsAfter({ afterId: 0, limit: 10 })).toEqual(stored);
    const [latest] = await store.latestEvents({ limit: 1 });
    expect(latest).toEqual({ id: 3, ...sample[2] });
    expect(typeof latest!.at).toBe('number');
  });

  it('eventsAfter pages forward by id with its limit; latestEvents is newest first', async () => {
    expect((await store.eventsAfter({ afterId: 1, limit: 1 })).map((e) => e.id)).toEqual([2]);
    expect((await store.eventsAfter({ afterId: 1, limit: 10 })).map((e) => e.id)).toEqual([2, 3]);
    expect(await store.eventsAfter({ afterId: 3, limit: 10 })).toEqual([]);
    expect(await store.eventsAfter({ afterId: 0, limit: 0 })).toEqual([]);
    expect((await store.latestEvents({ limit: 2 })).map((e) => e.kind)).toEqual([
      'incident.opened',
      'market.status',
    ]);
  });

  it('several inserts in one transaction commit together, ids consecutive in insertion order', async () => {
    const batch = [sample[0]!, sample[1]!, { ...sample[2]!, at: AT + 10 }];
    const stored = await store.inTransaction(batch);
    expect(stored.map((e) => e.id)).toEqual([4, 5, 6]);
    expect(await store.eventsAfter({ afterId: 3, limit: 10 })).toEqual(stored);
  });

  it('a transaction that throws after inserting leaves no event', async () => {
    await expect(store.inTransaction(sample, new Error('write failed'))).rejects.toThrow(
      'write failed',
    );
    expect((await store.latestEvents({ limit: 100 })).map((e) => e.id)).toEqual([6, 5, 4, 3, 2, 1]);
  });
});

describe('insertEvent on PostgreSQL across processes', () => {
  let url: string;
  let pool: pg.Pool;
  let q: PgDb;
  const extra: pg.Pool[] = [];
  const process = () => {
    const p = new pg.Pool({ connectionString: url, max: 2 });
    p.on('error', () => {});
    extra.push(p);
    return p;
  };
  const event = (kind: string): NewEvent => ({
    at: AT,
    kind,
    subject: { type: 'chain', id: '1' },
    payload: {},
  });
  beforeAll(async () => {
    ({ url, pool, q } = await pgDatabase());
  });
  afterAll(async () => {
    for (const p of extra) await p.end();
    await pool?.end();
  });

  it('a transaction that inserted first but commits last holds back the later writer: ids follow commit order', async () => {
    const a = await process().connect();
    try {
      await a.query('begin');
      const first = await pgEvents.insertEvent(
        drizzle({ client: a }),
        event('test.first-in') as never,
      );
      // Another watcher inserts on its pool (its own transaction) while A is still open.
      let secondDone = false;
      const second = pgEvents
        .insertEvent(drizzle({ client: process() }), event('test.second-in') as never)
        .then((e) => {
          secondDone = true;
          return e;
        });
      await new Promise((r) => setTimeout(r, 400));
      // It waits on the events lock: nothing is committed, so no reader can pass A's id.
      expect(secondDone).toBe(false);
      expect(await pgEvents.eventsAfter(q, { afterId: 0, limit: 10 })).toEqual([]);
      await a.query('commit');
      const later = await second;
      expect(later.id).toBeGreaterThan(first.id);
      expect(
        (await pgEvents.eventsAfter(q, { afterId: 0, limit: 10 })).map((e) => [e.id, e.kind]),
      ).toEqual([
        [first.id, 'test.first-in'],
        [later.id, 'test.second-in'],
      ]);
    } finally {
      a.release();
    }
  });

  it('insertEvent NOTIFYs the last id at commit (on the pool: at once; in a transaction: not before commit)', async () => {
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => {
      if (n.channel === EVENTS_CHANNEL) heard.push(n.payload ?? '');
    });
    await listener.query(`listen ${EVENTS_CHANNEL}`);
    try {
      const alone = await pgEvents.insertEvent(q, event('test.alone') as never);
      await expect.poll(() => heard).toEqual([String(alone.id)]);
      const inTx = await withPgTransaction(pool, async (tx) => {
        const e = await pgEvents.insertEvent(tx, event('test.in-tx') as never);
        await new Promise((r) => setTimeout(r, 200));
        expect(heard).toEqual([String(alone.id)]); // not yet: NOTIFY is delivered at commit
        return e;
      });
      await expect.poll(() => heard).toEqual([String(alone.id), String(inTx.id)]);
    } finally {
      await listener.end();
    }
  });

  it('insertEvent on a client whose transaction failed says so and writes nothing', async () => {
    const c = await pool.connect();
    try {
      await c.query('begin');
      await c.query('select 1/0').catch(() => {});
      await expect(
        pgEvents.insertEvent(drizzle({ client: c }), event('test.after-failure') as never),
      ).rejects.toThrow(/test\.after-failure.*transaction on this connection has already failed/);
      await c.query('rollback');
      // A client outside any transaction gets one of its own.
      const own = await pgEvents.insertEvent(drizzle({ client: c }), event('test.own-tx') as never);
      expect(c.getTransactionStatus()).toBe('I');
      expect((await pgEvents.latestEvents(q, { limit: 1 }))[0]).toEqual(own);
    } finally {
      await c.query('rollback').catch(() => {}); // never hand an aborted transaction back to the pool
      c.release();
    }
  });

  it('insertEvent says so too when the failed statement’s ReadyForQuery had not arrived yet (status still "T")', async () => {
    // pg rejects a statement on the server's error message; the ReadyForQuery that sets the status
    // to 'E' can arrive in a later packet (seen in a loaded CI run). Emulated: the status lags.
    const c = await pool.connect();
    try {
      await c.query('begin');
      await c.query('select 1/0').catch(() => {});
      const own = Object.getOwnPropertyDescriptor(c, 'getTransactionStatus');
      Object.assign(c, { getTransactionStatus: () => 'T' });
      try {
        await expect(
          pgEvents.insertEvent(drizzle({ client: c }), event('test.lagging') as never),
        ).rejects.toThrow(/test\.lagging.*transaction on this connection has already failed/);
      } finally {
        if (own) Object.defineProperty(c, 'getTransactionStatus', own);
        else delete (c as { getTransactionStatus?: unknown }).getTransactionStatus;
      }
    } finally {
      await c.query('rollback').catch(() => {});
      c.release();
    }
  });

  it('appendEvents of an empty batch writes nothing and takes no lock', async () => {
    const before = await pgEvents.latestEvents(q, { limit: 100 });
    const c = await pool.connect();
    try {
      await c.query('begin');
      expect(await appendEvents(c, [])).toEqual([]);
      const locks = await c.query(
        `select count(*)::int as n from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()`,
      );
      expect(locks.rows[0].n).toBe(0);
      await c.query('commit');
    } finally {
      c.release();
    }
    expect(await pgEvents.latestEvents(q, { limit: 100 })).toEqual(before);
  });
});
