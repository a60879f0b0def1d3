import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../../test/support/startPostgres.js';
import { openDb } from '../openDb.js';
import { eventsAfter, insertEvent, latestEvents, type StoredEvent } from '../queries/events.js';
import { migratePg } from './openPgDb.js';
import { appendEvents, type NewEvent, readEventsAfter, readLatestEvents } from './pgEvents.js';

// The pattern for making `db/queries` dialect-neutral (ARCHITECTURE.md, "PostgreSQL"): one suite,
// run against the SQLite queries and their PostgreSQL twins, each on a real database. Here for the
// event log; the other query modules follow as they get their PostgreSQL side.

type EventsStore = {
  append(events: readonly NewEvent[]): Promise<StoredEvent[]>;
  after(params: { afterId: number; limit: number }): Promise<StoredEvent[]>;
  latest(params: { limit: number }): Promise<StoredEvent[]>;
  close(): Promise<void>;
};

let server: PostgresServer;
let databases = 0;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

const dialects: [string, () => Promise<EventsStore>][] = [
  [
    'SQLite',
    async () => {
      const { db, close } = openDb({ path: ':memory:' });
      return {
        append: async (events) =>
          db.transaction((tx) =>
            events.map((e) => insertEvent(tx, { ...e } as never) as StoredEvent),
          ),
        after: async (p) => eventsAfter(db, p),
        latest: async (p) => latestEvents(db, p),
        close: async () => close(),
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const url = await server.createDatabase(`events_${++databases}`);
      await migratePg({ url });
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      pool.on('error', () => {});
      return {
        append: async (events) => {
          const c = await pool.connect();
          try {
            await c.query('begin');
            const stored = await appendEvents(c, events);
            await c.query('commit');
            return stored;
          } finally {
            c.release();
          }
        },
        after: (p) => readEventsAfter(pool, p),
        latest: (p) => readLatestEvents(pool, p),
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
      nested: { px: '251.30', n: 3 },
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

  it('append returns the events with ids 1, 2, 3 in insertion order; reads give back the same values', async () => {
    const stored = await store.append(sample);
    expect(stored).toEqual(sample.map((e, i) => ({ id: i + 1, ...e })));
    expect(await store.after({ afterId: 0, limit: 10 })).toEqual(stored);
    expect(typeof (await store.latest({ limit: 1 }))[0]!.at).toBe('number');
  });

  it('after pages forward by id; latest is newest first', async () => {
    expect((await store.after({ afterId: 1, limit: 1 })).map((e) => e.id)).toEqual([2]);
    expect((await store.after({ afterId: 3, limit: 10 })).map((e) => e.id)).toEqual([]);
    expect((await store.latest({ limit: 2 })).map((e) => e.kind)).toEqual([
      'incident.opened',
      'market.status',
    ]);
  });

  it('an empty append writes nothing', async () => {
    expect(await store.append([])).toEqual([]);
    expect((await store.latest({ limit: 10 })).length).toBe(3);
  });
});
