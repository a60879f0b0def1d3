import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../../test/support/bothDialects.js';
import { DatabaseConfig } from '../../config/databaseConfig.js';
import { openDb } from '../openDb.js';
import {
  createPgStore,
  NotYetOnPostgresError,
  type PgWatcherStore,
  pgRetentionNotYet,
  StoreClosedError,
  StoreOpenError,
  StoreTransactionAbortedError,
} from './createPgStore.js';
import { createSqliteStore, StoreTransactionEndedError } from './createSqliteStore.js';
import { openStore } from './openStore.js';
import type { StoreQueries, WatcherStore } from './watcherStore.js';

// The WatcherStore's own behaviours (transactions, isolation, close, change version, the HIP-3
// batch) on both dialects, each on a real database: SQLite files (`createSqliteStore`) and one
// PostgreSQL server for this file (`createPgStore`, a database per suite). Two stores on one
// database stand for two watcher processes. Where the dialects differ on purpose (SQLite queues,
// PostgreSQL isolates), the test says which outcome each must give.

const both = bothDialects('store');

/** Every store a test opened; closed after it (close is idempotent). */
const opened: WatcherStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

type Database = {
  /** Opens one more store on this database (another "process"). */
  open(): Promise<WatcherStore>;
  /** Rows of `table`, counted on a connection of its own (committed rows only). */
  count(table: string): Promise<number>;
};
type Dialect = { name: 'sqlite' | 'postgres'; database(): Promise<Database> };

/** Numbers each database a test opens (ids unique to one test). */
let databases = 0;
const dialects: Dialect[] = [
  {
    name: 'sqlite',
    database: async () => {
      databases++;
      const path = both.sqlitePath();
      openDb({ path }).close(); // migrated once, as a watcher's first start does
      return {
        open: async () => track(createSqliteStore(openDb({ path }))),
        count: async (table) => {
          const o = openDb({ path });
          try {
            return (o.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number })
              .n;
          } finally {
            o.close();
          }
        },
      };
    },
  },
  {
    name: 'postgres',
    database: async () => {
      databases++;
      const url = await both.createDatabase();
      return {
        open: async () => track(await createPgStore({ url, maxConnections: 4 })),
        count: async (table) => {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          try {
            return Number(
              (await c.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n,
            );
          } finally {
            await c.end();
          }
        },
      };
    },
  },
];

function track<S extends WatcherStore>(store: S): S {
  opened.push(store);
  return store;
}

const subject = { type: 'chain', id: '10' };
const event = (at: number) =>
  ({ at, kind: 'chain.flags', subject, payload: { n: at } }) as unknown as Parameters<
    StoreQueries['events']['insertEvent']
  >[0];
/** The `at` of every committed event, oldest first, as `store` reads it outside a transaction. */
const committedAts = async (store: WatcherStore) =>
  (await store.queries.events.eventsAfter({ afterId: 0, limit: 1_000 })).map((e) => e.at);
/** A tick that lets other promise chains run (a body awaiting real I/O). */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.each(dialects)('WatcherStore on $name', ({ name, database }) => {
  let db: Database;
  beforeAll(async () => {
    db = await database();
  });
  // Tests share their suite's database (run one at a time): each compares with what was there.

  it('commits a transaction body and returns its result', async () => {
    const store = await db.open();
    const before = await committedAts(store);
    const result = await store.transaction(async (q) => {
      await q.events.insertEvent(event(1));
      await yieldToOthers();
      await q.events.insertEvent(event(2));
      return 'done';
    });
    expect(result).toBe('done');
    expect((await committedAts(store)).slice(before.length)).toEqual([1, 2]);
  });

  it('rolls back and rethrows when the body rejects, and stays usable', async () => {
    const store = await db.open();
    const before = await db.count('events');
    await expect(
      store.transaction(async (q) => {
        await q.events.insertEvent(event(10));
        await yieldToOthers();
        await q.events.insertEvent(event(11));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.count('events')).toBe(before);
    await store.transaction(async (q) => q.events.insertEvent(event(12)));
    expect((await committedAts(store)).at(-1)).toBe(12);
    expect(await db.count('events')).toBe(before + 1);
  });

  it('leaves nothing when the body throws before awaiting anything', async () => {
    const store = await db.open();
    const before = await db.count('hip3_samples');
    await expect(
      store.transaction((q) => {
        void q.hip3.insertHip3Samples([sample(1)]);
        throw new Error('synchronous');
      }),
    ).rejects.toThrow('synchronous');
    expect(await db.count('hip3_samples')).toBe(before);
  });

  it('keeps concurrent transactions of one store apart: one rolling back does not take the other with it', async () => {
    const store = await db.open();
    const chainId = 4_200_000_000 + databases; // a chain of this test alone
    const order: string[] = [];
    let bBegan!: () => void;
    const bHasBegun = new Promise<void>((resolve) => {
      bBegan = resolve;
    });
    let aRead!: () => void;
    const aHasRead = new Promise<void>((resolve) => {
      aRead = resolve;
    });
    const seenByA: number[][] = [];
    const seenByB: number[][] = [];
    const numbers = async (q: StoreQueries) =>
      (await q.blocks.recentCanonicalBlocks(chainId, 10))
        .map((b) => b.number - 25_000_000_000)
        .sort((x, y) => x - y);
    // Blocks, not events: on PostgreSQL every event insert takes the events lock until its
    // transaction ends (ids in commit order), so two event-writing transactions queue by design.
    const failing = store.transaction(async (q) => {
      order.push('a begins');
      await q.blocks.insertBlocks([block(chainId, 1)]);
      // PostgreSQL runs both bodies at once: let b write before a reads. (SQLite queues b behind
      // a, so these waits would deadlock there.)
      if (name === 'postgres') await bHasBegun;
      await yieldToOthers();
      seenByA.push(await numbers(q));
      aRead();
      order.push('a fails');
      throw new Error('a failed');
    });
    const succeeding = store.transaction(async (q) => {
      order.push('b begins');
      await q.blocks.insertBlocks([block(chainId, 2)]);
      bBegan();
      await yieldToOthers();
      seenByB.push(await numbers(q));
      // On PostgreSQL b stays open until a has read: a must not see b's row uncommitted.
      if (name === 'postgres') await aHasRead;
      order.push('b commits');
    });
    await expect(failing).rejects.toThrow('a failed');
    await succeeding;
    // Each body saw its own write and not the other's uncommitted one.
    expect(seenByA).toEqual([[1]]);
    expect(seenByB).toEqual([[2]]);
    expect(await numbers(store.queries)).toEqual([2]);
    if (name === 'sqlite') expect(order).toEqual(['a begins', 'a fails', 'b begins', 'b commits']);
    else expect(order.indexOf('b begins')).toBeLessThan(order.indexOf('a fails'));
  });

  it('never shows uncommitted writes to reads outside the transaction', async () => {
    const store = await db.open();
    const before = await committedAts(store);
    let readDuringBody: number[] | null = null;
    const outside: Promise<unknown>[] = [];
    const tx = store.transaction(async (q) => {
      await q.events.insertEvent(event(31));
      outside.push(
        store.queries.events.eventsAfter({ afterId: 0, limit: 1_000 }).then((rows) => {
          readDuringBody = rows.map((e) => e.at).slice(before.length);
        }),
      );
      // PostgreSQL answers from another connection at once; SQLite makes the read wait.
      if (name === 'postgres') await Promise.all(outside);
      else await yieldToOthers();
      throw new Error('rollback');
    });
    await expect(tx).rejects.toThrow('rollback');
    await Promise.all(outside);
    expect(readDuringBody).toEqual([]);
    expect(await committedAts(store)).toEqual(before);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    const store = await db.open();
    let leaked: StoreQueries | null = null;
    await store.transaction(async (q) => {
      leaked = q;
    });
    await expect(
      (leaked as unknown as StoreQueries).events.latestEvents({ limit: 1 }),
    ).rejects.toBeInstanceOf(StoreTransactionEndedError);
  });

  it('turns a query that fails into a rejected promise', async () => {
    const store = await db.open();
    await expect(store.queries.storage.insertedRowCount('no_such_table')).rejects.toThrow(
      /no (such )?table/,
    );
  });

  it('changes its change version when another store on the database commits, and keeps it otherwise', async () => {
    const a = await db.open();
    const b = await db.open();
    const v1 = await a.maintenance.changeVersion();
    expect(await a.maintenance.changeVersion()).toBe(v1);
    await b.queries.events.latestEvents({ limit: 5 }); // reads change nothing
    expect(await a.maintenance.changeVersion()).toBe(v1);
    await b.transaction(async (q) => q.events.insertEvent(event(41)));
    const v2 = await a.maintenance.changeVersion();
    expect(v2).not.toBe(v1);
    await b.queries.blocks.insertBlocks([block(4_100_000_000 + databases, 1)]); // outside a transaction
    expect(await a.maintenance.changeVersion()).not.toBe(v2);
  });

  it('writes a HIP-3 batch (the hot path): nothing when rolled back, every row when committed', async () => {
    const store = await db.open();
    const coin = `xyz:T${name}`;
    await store.queries.hip3.upsertHip3MarketMeta({
      coin,
      dex: 'xyz',
      metaJson: '{}',
      isDelisted: false,
      now: 1,
    });
    const batch = {
      samples: Array.from({ length: 70 }, (_, i) => sample(i, coin)),
      oracleUpdates: [oracle(coin, 5, '0xaa'), oracle(coin, 6, '0xbb')],
      marketStates: [
        { ...stateOf(coin), status: 'warn' },
        { ...stateOf(coin), status: 'ok', updatedAt: 1_790_000_000_009 },
      ],
    };
    const samplesBefore = await db.count('hip3_samples');
    await expect(
      store.transaction(async (q) => {
        await q.hip3.writeBatch(batch);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await db.count('hip3_samples')).toBe(samplesBefore);
    expect((await store.queries.hip3.getHip3Market(coin))?.status).toBe('unknown');

    await store.transaction(async (q) => q.hip3.writeBatch(batch));
    expect(await db.count('hip3_samples')).toBe(samplesBefore + 70);
    const page = await store.queries.hip3.hip3OracleUpdatesPage({ coin, limit: 10, cursor: null });
    expect(page.map((u) => u.txHash)).toEqual(['0xbb', '0xaa']);
    // The last state of a coin wins, as row-by-row updates leave it.
    expect(await store.queries.hip3.getHip3Market(coin)).toMatchObject({
      status: 'ok',
      updatedAt: 1_790_000_000_009,
      lastSampleAt: 1_790_000_000_000,
    });
    // Stored rows are skipped, not duplicated (insert or ignore).
    await store.queries.hip3.writeBatch(batch);
    expect(await db.count('hip3_samples')).toBe(samplesBefore + 70);
  });

  it('closes after the transactions in flight, then refuses new work; close is idempotent', async () => {
    const store = await db.open();
    const before = await db.count('events');
    const order: string[] = [];
    // More transactions than the PostgreSQL pool has connections (4): some still wait for one
    // when close() is called.
    const txs = Array.from({ length: 6 }, (_, i) =>
      store.transaction(async (q) => {
        await sleep(20);
        await q.events.insertEvent(event(50 + i));
        order.push(`body ${i} done`);
      }),
    );
    const closing = store.close().then(() => order.push('closed'));
    await Promise.all(txs);
    await closing;
    expect(order.at(-1)).toBe('closed');
    expect(order).toHaveLength(7);
    expect(await db.count('events')).toBe(before + 6);
    await expect(store.queries.events.latestEvents({ limit: 1 })).rejects.toThrow();
    await expect(store.transaction(async () => 1)).rejects.toThrow();
    await store.close();
  });
});

describe('WatcherStore on postgres only', () => {
  let url: string;
  beforeAll(async () => {
    url = await both.createDatabase();
  });

  it('runs reads outside an open transaction at once, on committed data', async () => {
    const store = track(await createPgStore({ url, maxConnections: 3 }));
    const before = (await committedAts(store)).length;
    await store.transaction(async (q) => {
      await q.events.insertEvent(event(61));
      // Would deadlock on SQLite (the read waits for this body); PostgreSQL answers from another
      // connection with the committed rows only.
      expect((await committedAts(store)).length).toBe(before);
      expect((await q.events.eventsAfter({ afterId: 0, limit: 1_000 })).length).toBe(before + 1);
    });
    expect((await committedAts(store)).length).toBe(before + 1);
  });

  it('refuses to report a commit when a caught statement failure made PostgreSQL roll back', async () => {
    const store = track(await createPgStore({ url }));
    const before = (await committedAts(store)).length;
    await expect(
      store.pg.transaction(async (q, tx) => {
        await q.events.insertEvent(event(62));
        await tx.execute(sql`select 1 / 0`).catch(() => 'swallowed');
        return 'looks fine';
      }),
    ).rejects.toBeInstanceOf(StoreTransactionAbortedError);
    expect((await committedAts(store)).length).toBe(before);
  });

  it('gives the raw transaction handle to PostgreSQL-only statements in the same transaction', async () => {
    const store = track(await createPgStore({ url }));
    const before = (await committedAts(store)).length;
    await expect(
      store.pg.transaction(async (q, tx) => {
        await q.events.insertEvent(event(63));
        const seen = await tx.execute<{ n: string }>(sql`select count(*) as n from events`);
        expect(Number(seen.rows[0]!.n)).toBe(before + 1);
        throw new Error('undo both');
      }),
    ).rejects.toThrow('undo both');
    expect((await committedAts(store)).length).toBe(before);
  });

  it('refuses calls after close with StoreClosedError, and ends its pool', async () => {
    const store: PgWatcherStore = track(await createPgStore({ url }));
    const outside = store.queries.events.latestEvents({ limit: 1 });
    await store.close();
    await expect(outside).resolves.toBeInstanceOf(Array);
    expect(store.pg.pool.ended).toBe(true);
    await expect(store.queries.events.latestEvents({ limit: 1 })).rejects.toBeInstanceOf(
      StoreClosedError,
    );
    await expect(store.maintenance.changeVersion()).rejects.toBeInstanceOf(StoreClosedError);
  });

  it('runs the PostgreSQL retention by default, or an injected implementation', async () => {
    const store = track(await createPgStore({ url }));
    expect(await store.queries.storage.lastRetentionRunAt()).toBeNull();
    const { before, after } = await store.maintenance.compact();
    expect(before.databaseBytes).toBeGreaterThan(1_000_000);
    expect(after.objects.map((o) => o.name)).toContain('events');
    const report = await store.maintenance.runRetention({
      config: { rawDays: 7, rollupDays: 90, eventDays: 30, batchSize: 1000 },
      now: Date.now(),
    });
    expect(report.targets.map((t) => t.name)).toContain('events');
    expect(await store.queries.storage.lastRetentionRunAt()).toBeGreaterThan(0);
    const never = track(await createPgStore({ url, retention: pgRetentionNotYet }));
    await expect(never.maintenance.compact()).rejects.toBeInstanceOf(NotYetOnPostgresError);
    await expect(never.queries.storage.lastRetentionRunAt()).rejects.toThrow(
      /storage.lastRetentionRunAt is not yet on PostgreSQL/,
    );
    const injected = track(
      await createPgStore({
        url,
        retention: {
          runRetention: async () => ({ targets: [], prunedRollups: 0 }),
          compact: async () => ({ before: size(2), after: size(1) }),
          dbSizeReport: async (db) => {
            const r = await db.execute<{ b: string }>(
              sql`select pg_database_size(current_database()) as b`,
            );
            return size(Number(r.rows[0]!.b));
          },
          lastRetentionRunAt: async () => 7,
        },
      }),
    );
    expect(await injected.queries.storage.lastRetentionRunAt()).toBe(7);
    expect((await injected.queries.storage.dbSizeReport()).databaseBytes).toBeGreaterThan(
      1_000_000,
    );
    expect((await injected.maintenance.compact()).after.databaseBytes).toBe(1);
  });
});

describe('openStore', () => {
  it('opens SQLite for database.path, with no PostgreSQL access', async () => {
    const opened = await openStore(DatabaseConfig.parse({ path: both.sqlitePath() }));
    track(opened.store);
    expect(opened.dialect).toBe('sqlite');
    expect(opened.store.dialect).toBe('sqlite');
    expect(opened.pg).toBeNull();
    await opened.store.transaction(async (q) => q.events.insertEvent(event(71)));
    expect(await committedAts(opened.store)).toEqual([71]);
  });

  it('opens PostgreSQL for database.url; the store carries its PostgreSQL access (fenced writes need it)', async () => {
    const url = await both.createDatabase();
    const opened = await openStore(DatabaseConfig.parse({ url }));
    track(opened.store);
    expect(opened.dialect).toBe('postgres');
    expect(opened.store.dialect).toBe('postgres');
    expect(opened.pg?.pool).toBeInstanceOf(pg.Pool);
    expect((opened.store as { pg?: unknown }).pg).toBe(opened.pg);
    await opened.store.transaction(async (q) => q.events.insertEvent(event(72)));
    expect(await committedAts(opened.store)).toEqual([72]);
  });

  it('names the server but never the password when PostgreSQL refuses the login', async () => {
    const wrong = new URL(both.server.url);
    wrong.password = 'Wr0ngPassw0rd-7f3a';
    const error = await openStore(DatabaseConfig.parse({ url: wrong.href })).catch((e) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error.message).toContain(`postgres://127.0.0.1:${both.server.port}`);
    expect(error.message).toMatch(/password authentication failed/);
    expect(error.code).toBe('28P01');
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(
      'Wr0ngPassw0rd-7f3a',
    );
  });

  it('names the server but never the password when nothing listens there', async () => {
    const port = await closedPort();
    const error = await openStore(
      DatabaseConfig.parse({ url: `postgres://perpscope:S3cretPw-91c@127.0.0.1:${port}/x` }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error.message).toBe(
      `database postgres://127.0.0.1:${port}/… is unusable: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('says which SQLite path is unusable', async () => {
    const dir = dirname(both.sqlitePath()); // a folder, not a database file
    const error = await openStore(DatabaseConfig.parse({ path: dir })).catch((e) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error.message).toContain(`database ${dir} is unusable`);
  });
});

function sample(i: number, coin = 'xyz:TSLA') {
  return {
    coin,
    receivedAt: 1_790_000_000_000 - 70 + i,
    oraclePx: '1',
    markPx: '1',
    funding: '0',
    openInterest: '1',
    dayNtlVlm: '1',
    source: 'ws',
  };
}

function block(chainId: number, number: number) {
  return {
    chainId,
    number: 25_000_000_000 + number,
    hash: `0x${number.toString(16).padStart(64, '0')}`,
    parentHash: `0x${(number - 1).toString(16).padStart(64, '0')}`,
    timestamp: 1_790_000_000 + number,
    txCount: 1,
    seenAt: 1_790_000_000_000 + number,
  };
}

function oracle(coin: string, at: number, txHash: string) {
  return {
    coin,
    source: 'chain',
    at: 1_790_000_000_000 + at,
    oraclePx: '251.30',
    markPx: '251.35',
    intervalMs: 3_000,
    markJump: 0.0001,
    txHash,
    error: null,
  };
}

function stateOf(coin: string) {
  return {
    coin,
    status: 'ok',
    statusSince: 1_790_000_000_000,
    reasonsJson: '[]',
    metricsJson: '{}',
    lastSampleAt: 1_790_000_000_000,
    updatedAt: 1_790_000_000_001,
  };
}

function size(databaseBytes: number) {
  return { databaseBytes, freeBytes: 0, walBytes: 0, objects: [] };
}

/** A 127.0.0.1 port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
