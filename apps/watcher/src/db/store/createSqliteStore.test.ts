import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../openDb.js';
import { eventsAfter } from '../queries/events.js';
import { createSqliteStore, StoreTransactionEndedError } from './createSqliteStore.js';
import type { StoreQueries, WatcherStore } from './watcherStore.js';

let store: WatcherStore | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

function setup() {
  const open = openDb({ path: ':memory:' });
  store = createSqliteStore(open);
  return { store, open };
}

const subject = { type: 'chain', id: '10' };
const event = (at: number) =>
  ({ at, kind: 'chain.flags', subject, payload: { n: at } }) as unknown as Parameters<
    StoreQueries['events']['insertEvent']
  >[0];
/** A tick that lets other promise chains run (a body awaiting real I/O). */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createSqliteStore', () => {
  it('commits a transaction body and returns its result', async () => {
    const { store, open } = setup();
    const result = await store.transaction(async (q) => {
      await q.events.insertEvent(event(1));
      await yieldToOthers();
      await q.events.insertEvent(event(2));
      return 'done';
    });
    expect(result).toBe('done');
    expect(eventsAfter(open.db, { afterId: 0, limit: 10 }).map((e) => e.at)).toEqual([1, 2]);
    expect(open.sqlite.inTransaction).toBe(false);
  });

  it('rolls back and rethrows when the body rejects', async () => {
    const { store, open } = setup();
    await expect(
      store.transaction(async (q) => {
        await q.events.insertEvent(event(1));
        await yieldToOthers();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(eventsAfter(open.db, { afterId: 0, limit: 10 })).toEqual([]);
    expect(open.sqlite.inTransaction).toBe(false);
    // The connection is usable afterwards.
    await store.transaction(async (q) => q.events.insertEvent(event(3)));
    expect(eventsAfter(open.db, { afterId: 0, limit: 10 }).map((e) => e.at)).toEqual([3]);
  });

  it('serialises concurrent transactions: one rolling back does not take the other with it', async () => {
    const { store, open } = setup();
    const order: string[] = [];
    const failing = store.transaction(async (q) => {
      order.push('a begins');
      await q.events.insertEvent(event(1));
      await yieldToOthers();
      order.push('a fails');
      throw new Error('a failed');
    });
    const succeeding = store.transaction(async (q) => {
      order.push('b begins');
      await q.events.insertEvent(event(2));
      await yieldToOthers();
      order.push('b commits');
    });
    await expect(failing).rejects.toThrow('a failed');
    await succeeding;
    expect(order).toEqual(['a begins', 'a fails', 'b begins', 'b commits']);
    expect(eventsAfter(open.db, { afterId: 0, limit: 10 }).map((e) => e.at)).toEqual([2]);
  });

  it('makes reads and writes outside the transaction wait until it ends (committed data only)', async () => {
    const { store, open } = setup();
    let readDuringBody: number[] | null = null;
    const outside: Promise<unknown>[] = [];
    const tx = store.transaction(async (q) => {
      await q.events.insertEvent(event(1));
      outside.push(
        store.queries.events.eventsAfter({ afterId: 0, limit: 10 }).then((rows) => {
          readDuringBody = rows.map((e) => e.at);
        }),
        store.queries.events.insertEvent(event(2)),
      );
      await yieldToOthers();
      expect(readDuringBody).toBeNull();
      throw new Error('rollback');
    });
    await expect(tx).rejects.toThrow('rollback');
    await Promise.all(outside);
    // The outside read ran after the rollback: it saw neither the rolled-back row nor (yet) its
    // own later write; the outside write survived the rollback.
    expect(readDuringBody).toEqual([]);
    expect(eventsAfter(open.db, { afterId: 0, limit: 10 }).map((e) => e.at)).toEqual([2]);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    const { store } = setup();
    let leaked: StoreQueries | null = null;
    await store.transaction(async (q) => {
      leaked = q;
    });
    await expect(
      (leaked as unknown as StoreQueries).events.latestEvents({ limit: 1 }),
    ).rejects.toBeInstanceOf(StoreTransactionEndedError);
  });

  it('turns a query that throws into a rejected promise', async () => {
    const { store } = setup();
    await expect(store.queries.storage.insertedRowCount('no_such_table')).rejects.toThrow(
      /no such table/,
    );
  });

  it('changes its change version on a commit and keeps it otherwise', async () => {
    const { store } = setup();
    const v1 = await store.maintenance.changeVersion();
    expect(await store.maintenance.changeVersion()).toBe(v1);
    await store.transaction(async (q) => q.events.insertEvent(event(1)));
    expect(await store.maintenance.changeVersion()).not.toBe(v1);
  });

  it('writes a HIP-3 batch (the prepared hot path) inside a transaction', async () => {
    const { store, open } = setup();
    const sample = {
      coin: 'xyz:TSLA',
      receivedAt: 5,
      oraclePx: '1',
      markPx: '1',
      funding: '0',
      openInterest: '1',
      dayNtlVlm: '1',
      source: 'ws',
    };
    await expect(
      store.transaction(async (q) => {
        await q.hip3.writeBatch({
          samples: Array.from({ length: 70 }, (_, i) => ({ ...sample, receivedAt: i })),
          oracleUpdates: [],
          marketStates: [],
        });
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const count = () =>
      (open.sqlite.prepare('select count(*) as n from hip3_samples').get() as { n: number }).n;
    expect(count()).toBe(0);
    await store.transaction(async (q) =>
      q.hip3.writeBatch({
        samples: Array.from({ length: 70 }, (_, i) => ({ ...sample, receivedAt: i })),
        oracleUpdates: [],
        marketStates: [],
      }),
    );
    expect(count()).toBe(70);
  });

  it('closes after the transaction in flight', async () => {
    const { store, open } = setup();
    const tx = store.transaction(async (q) => {
      await yieldToOthers();
      await q.events.insertEvent(event(1));
    });
    const closing = store.close();
    await tx;
    await closing;
    expect(open.sqlite.open).toBe(false);
    await store.close();
  });

  it('runs a query made before close() while transactions are queued, then closes', async () => {
    const { store, open } = setup();
    const first = store.transaction(async (q) => {
      await yieldToOthers();
      await q.events.insertEvent(event(1));
    });
    const second = store.transaction(async (q) => {
      await yieldToOthers();
      await q.events.insertEvent(event(2));
    });
    // Called while both transactions are queued, before close(): it must see the open connection.
    const read = store.queries.events.eventsAfter({ afterId: 0, limit: 10 });
    const closing = store.close();
    await Promise.all([first, second, closing]);
    expect((await read).map((e) => e.at)).toEqual([1, 2]);
    expect(open.sqlite.open).toBe(false);
  });
});

describe('createSqliteStore, one per connection', () => {
  it('returns the same store (one lock) for the same connection', () => {
    const { store, open } = setup();
    expect(createSqliteStore(open)).toBe(store);
    const other = openDb({ path: ':memory:' });
    try {
      expect(createSqliteStore(other)).not.toBe(store);
    } finally {
      other.close();
    }
  });
});
