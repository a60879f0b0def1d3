import type { OpenDb } from '../openDb.js';
import { dataVersion } from '../queries/dataVersion.js';
import { vacuumDatabase } from '../queries/dbSizeReport.js';
import { prepareInsertEvent, type SubjectRef } from '../queries/events.js';
import { type Hip3Writes, prepareHip3Writes } from '../queries/hip3.js';
import { type IncidentRecord, prepareFindOpenIncident } from '../queries/incidents.js';
import { defaultRetentionTargets } from '../queries/retentionTargets.js';
import { runRetention } from '../queries/runRetention.js';
import {
  alertsOnDb,
  blocksOnConnection,
  blocksOnDb,
  chainsOnConnection,
  chainsOnDb,
  eventsOnDb,
  hip3OnDb,
  incidentsOnDb,
  positionsOnDb,
  sqliteMaxRowid,
  storageOnConnection,
  storageOnDb,
} from './sqliteQueries.js';
import type { Hip3WriteBatch, StoreQueries, WatcherStore } from './watcherStore.js';

// biome-ignore lint/suspicious/noExplicitAny: query functions of every shape pass through here
type QueryFunction = (handle: any, ...args: any[]) => unknown;
type Runner = (fn: QueryFunction, handle: unknown, args: unknown[]) => Promise<unknown>;

function bind<M extends Record<string, QueryFunction>>(fns: M, handle: unknown, run: Runner) {
  const out: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(fns)) out[name] = (...args) => run(fn, handle, args);
  return out;
}

/** Thrown when a transaction's `q` is used after that transaction ended (a leaked handle). */
export class StoreTransactionEndedError extends Error {
  override name = 'Watcher.StoreTransactionEndedError';
  constructor() {
    super(
      'a store transaction handle (q) was used after its transaction ended: keep every use of q inside the awaited body of store.transaction',
    );
  }
}

/**
 * The {@link WatcherStore} over one better-sqlite3 connection (the existing synchronous query
 * functions, each call a resolved promise).
 *
 * Transactions: better-sqlite3's `db.transaction` cannot span an `await`, so the store serialises
 * transactions on the connection (a promise-chain mutex) and issues `BEGIN IMMEDIATE` / `COMMIT` /
 * `ROLLBACK` itself. While one is open (its body awaiting), `store.queries` calls and maintenance
 * wait for it to end: every statement on the connection would otherwise join the open transaction
 * (reading its uncommitted rows, or committing or rolling back with it). With no transaction open
 * they run at once, synchronously. Not reentrant: a body uses only its `q`.
 *
 * One store per connection (its lock must see every transaction): called again with the same
 * connection, it returns the same store. `close()` closes `open` (after the transaction in flight).
 *
 * @example
 * const store = createSqliteStore(openDb({ path: ':memory:' }));
 * await store.transaction(async (q) => q.chains.upsertChains(configs, now));
 */
export function createSqliteStore(open: OpenDb): WatcherStore {
  let store = storesByConnection.get(open.sqlite);
  if (!store) {
    store = newSqliteStore(open);
    storesByConnection.set(open.sqlite, store);
  }
  return store;
}

const storesByConnection = new WeakMap<OpenDb['sqlite'], WatcherStore>();

function newSqliteStore(open: OpenDb): WatcherStore {
  const { db, sqlite } = open;
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');

  /** Holders and waiters of the connection lock; the tail resolves when the last one releases. */
  let lockCount = 0;
  let tail: Promise<void> = Promise.resolve();
  let inTransaction = false;
  let closed = false;

  async function exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    lockCount++;
    try {
      if (lockCount > 1) await previous;
      return await fn();
    } finally {
      lockCount--;
      release();
    }
  }

  const runOutside: Runner = (fn, handle, args) => {
    // Queued behind the lock's holders and waiters in call order (FIFO): a query made before
    // close() runs before the connection closes, not after it.
    if (lockCount > 0) return exclusive(() => fn(handle, ...args));
    try {
      return Promise.resolve(fn(handle, ...args));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const runInside: Runner = (fn, handle, args) => {
    if (!inTransaction) return Promise.reject(new StoreTransactionEndedError());
    try {
      return Promise.resolve(fn(handle, ...args));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  let findOpen: ((subject: SubjectRef, kind: string) => IncidentRecord | null) | null = null;
  const findOpenIncident = (_db: unknown, subject: SubjectRef, kind: string) => {
    findOpen ??= prepareFindOpenIncident(db);
    return findOpen(subject, kind);
  };
  let hip3Writes: Hip3Writes | null = null;
  const hip3Prepared = () => {
    hip3Writes ??= prepareHip3Writes(db);
    return hip3Writes;
  };
  const writeBatch = (_db: unknown, batch: Hip3WriteBatch) => {
    const w = hip3Prepared();
    w.insertSamples(batch.samples);
    w.insertOracleUpdates(batch.oracleUpdates);
    for (const s of batch.marketStates) w.updateMarketState(s);
  };
  // Statements run thousands of times in one HIP-3 tick (a first tick, a stream gap): prepared once
  // (see prepareHip3Writes, prepareInsertEvent), not a new native statement per row.
  const upsertHip3MarketMeta = (_db: unknown, r: Parameters<Hip3Writes['upsertMarketMeta']>[0]) =>
    hip3Prepared().upsertMarketMeta(r);
  const insertHip3Transition = (_db: unknown, r: Parameters<Hip3Writes['insertTransition']>[0]) =>
    hip3Prepared().insertTransition(r);
  let insertEventPrepared: ReturnType<typeof prepareInsertEvent> | null = null;
  const insertEvent = (
    _db: unknown,
    input: Parameters<ReturnType<typeof prepareInsertEvent>>[0],
  ) => {
    insertEventPrepared ??= prepareInsertEvent(db);
    return insertEventPrepared(input);
  };

  const queriesVia = (run: Runner): StoreQueries =>
    ({
      events: bind({ ...eventsOnDb, insertEvent }, db, run),
      incidents: bind({ ...incidentsOnDb, findOpenIncident }, db, run),
      chains: { ...bind(chainsOnDb, db, run), ...bind(chainsOnConnection, sqlite, run) },
      blocks: { ...bind(blocksOnDb, db, run), ...bind(blocksOnConnection, sqlite, run) },
      hip3: bind({ ...hip3OnDb, writeBatch, upsertHip3MarketMeta, insertHip3Transition }, db, run),
      positions: bind(positionsOnDb, db, run),
      alerts: bind(alertsOnDb, db, run),
      storage: {
        ...bind(storageOnDb, db, run),
        ...bind(storageOnConnection, sqlite, run),
        ...bind({ insertedRowCount: sqliteMaxRowid }, db, run),
      },
    }) as unknown as StoreQueries;

  const queries = queriesVia(runOutside);
  const inTx = queriesVia(runInside);

  return {
    dialect: 'sqlite',
    queries,
    maintenance: {
      changeVersion: () => runOutside(dataVersion, db, []) as Promise<string>,
      runRetention: (params) =>
        exclusive(() =>
          runRetention({ ...params, targets: params.targets ?? defaultRetentionTargets, sqlite }),
        ),
      compact: () => exclusive(() => vacuumDatabase(sqlite)),
    },
    transaction: (body) =>
      exclusive(async () => {
        begin.run();
        inTransaction = true;
        try {
          const result = await body(inTx);
          commit.run();
          return result;
        } catch (error) {
          // SQLite rolls some failures back by itself (SQLITE_FULL, an interrupted statement).
          if (sqlite.inTransaction) rollback.run();
          throw error;
        } finally {
          inTransaction = false;
        }
      }),
    close: () =>
      exclusive(() => {
        if (closed) return;
        closed = true;
        open.close();
      }),
  };
}
