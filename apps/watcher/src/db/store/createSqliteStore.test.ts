import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../openDb.js';
import { eventsAfter } from '../queries/events.js';
import {
  createChangeCounter,
  createSqliteStore,
  FOREIGN_CHANGE_RECHECK_MS,
  StoreTransactionEndedError,
} from './createSqliteStore.js';
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

  it('the prepared inserts store every column of every row, across chunks and calls (their parameter arrays are reused)', async () => {
    const { store, open } = setup();
    // 64-row statements plus single-row ones for the rest: 133 = 2 chunks + 5, then 67 = 1 + 3.
    const samples = (n: number, from: number, nulls: boolean) =>
      Array.from({ length: n }, (_, k) => {
        const i = from + k;
        return {
          coin: `d:C${i}`,
          receivedAt: 1_000 + i,
          oraclePx: `${i}.1`,
          markPx: `${i}.2`,
          midPx: nulls ? null : `${i}.3`,
          funding: `0.000${i}`,
          premium: nulls ? null : `-0.00${i}`,
          openInterest: `${i}4`,
          dayNtlVlm: `${i}5`,
          markDeviation: nulls ? null : i / 1e6,
          source: i % 2 === 0 ? 'ws' : 'rest',
        };
      });
    const updates = (n: number, from: number, nulls: boolean) =>
      Array.from({ length: n }, (_, k) => {
        const i = from + k;
        return {
          coin: `d:C${i}`,
          source: 'explorer',
          at: 2_000 + i,
          oraclePx: nulls ? null : `${i}.6`,
          markPx: nulls ? null : `${i}.7`,
          intervalMs: nulls ? null : 3_000 + i,
          markJump: nulls ? null : i / 1e4,
          txHash: nulls ? '' : `0x${i}`,
          error: nulls ? null : `error ${i}`,
        };
      });
    const first = { samples: samples(133, 0, false), oracle: updates(133, 0, false) };
    const second = { samples: samples(67, 133, true), oracle: updates(67, 133, true) };
    for (const b of [first, second]) {
      await store.transaction(async (q) =>
        q.hip3.writeBatch({ samples: b.samples, oracleUpdates: b.oracle, marketStates: [] }),
      );
    }
    const storedSamples = open.sqlite
      .prepare(
        `select coin, received_at as receivedAt, oracle_px as oraclePx, mark_px as markPx,
           mid_px as midPx, funding, premium, open_interest as openInterest,
           day_ntl_vlm as dayNtlVlm, mark_deviation as markDeviation, source
         from hip3_samples order by received_at`,
      )
      .all();
    expect(storedSamples).toEqual([...first.samples, ...second.samples]);
    const storedUpdates = open.sqlite
      .prepare(
        `select coin, source, at, oracle_px as oraclePx, mark_px as markPx,
           interval_ms as intervalMs, mark_jump as markJump, tx_hash as txHash, error
         from hip3_oracle_updates_recent order by at`,
      )
      .all();
    expect(storedUpdates).toEqual([...first.oracle, ...second.oracle]);
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

describe('createSqliteStore with a shared change counter (HTTP thread + ingestion worker)', () => {
  const stores: WatcherStore[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function twoStores() {
    const dir = mkdtempSync(join(tmpdir(), 'perpscope-counter-'));
    dirs.push(dir);
    const path = join(dir, 'w.db');
    const counter = createChangeCounter();
    const reader = createSqliteStore(openDb({ path }), { changeCounter: counter });
    const writer = createSqliteStore(openDb({ path }), { changeCounter: counter });
    const foreign = createSqliteStore(openDb({ path }));
    stores.push(reader, writer, foreign);
    return { reader, writer, foreign, counter };
  }

  it('changes its version right after a write through a store sharing the counter, and keeps it otherwise', async () => {
    const { reader, writer, counter } = twoStores();
    const v1 = await reader.maintenance.changeVersion();
    expect(await reader.maintenance.changeVersion()).toBe(v1);
    await writer.queries.events.insertEvent(event(1)); // outside a transaction
    expect(Atomics.load(counter, 0)).toBeGreaterThan(0);
    const v2 = await reader.maintenance.changeVersion();
    expect(v2).not.toBe(v1);
    await writer.transaction(async (q) => q.events.insertEvent(event(2)));
    const v3 = await reader.maintenance.changeVersion();
    expect(v3).not.toBe(v2);
    // Its own calls count as well: a write by the reader's store shows too.
    await reader.queries.events.insertEvent(event(3));
    expect(await reader.maintenance.changeVersion()).not.toBe(v3);
  });

  it('sees a commit by another process (no counter) within FOREIGN_CHANGE_RECHECK_MS', async () => {
    const { reader, foreign } = twoStores();
    const v1 = await reader.maintenance.changeVersion();
    await foreign.queries.events.insertEvent(event(1));
    const t0 = performance.now();
    let v = await reader.maintenance.changeVersion();
    while (v === v1) {
      expect(performance.now() - t0).toBeLessThan(FOREIGN_CHANGE_RECHECK_MS + 50);
      await new Promise((r) => setTimeout(r, 10));
      v = await reader.maintenance.changeVersion();
    }
    expect(v).not.toBe(v1);
  });
});
