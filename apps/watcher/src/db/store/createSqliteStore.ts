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
export function createSqliteStore(open: OpenDb, options: SqliteStoreOptions = {}): WatcherStore {
  let store = storesByConnection.get(open.sqlite);
  if (!store) {
    store = newSqliteStore(open, options);
    storesByConnection.set(open.sqlite, store);
  }
  return store;
}

/** Options of {@link createSqliteStore} (read when the connection's store is first created). */
export type SqliteStoreOptions = {
  /**
   * A counter shared by every store of this process on the same file (an `Int32Array` over a
   * `SharedArrayBuffer` of at least 4 bytes: the HTTP thread's and the ingestion worker's; see
   * {@link createChangeCounter}). Each store adds 1 after every call that may have written (every
   * query, transaction and maintenance call: reads count too, it only has to over-count), and
   * `maintenance.changeVersion()` reads the database's version only when the counter moved since
   * its last reading, or at least every {@link FOREIGN_CHANGE_RECHECK_MS} for a commit by another
   * process — a polled cached answer then costs no SQLite call (a read transaction's locks cost
   * ~15–40 µs under load, the largest part of a cached `GET /v1/chains`). Without it (tests writing
   * through the raw connection) the version is read on every call.
   */
  readonly changeCounter?: Int32Array;
};

/**
 * How long `changeVersion()` with a change counter may reuse its last reading when the counter did
 * not move: a commit by another process (which never touches the counter) is seen at most this
 * much later — as on PostgreSQL (`PG_VERSION_CHECK_MS`).
 */
export const FOREIGN_CHANGE_RECHECK_MS = 100;

/** A change counter for {@link SqliteStoreOptions.changeCounter}, to share between threads. */
export function createChangeCounter(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

const storesByConnection = new WeakMap<OpenDb['sqlite'], WatcherStore>();

function newSqliteStore(open: OpenDb, options: SqliteStoreOptions): WatcherStore {
  const { db, sqlite } = open;
  const counter = options.changeCounter ?? null;
  /** Tells the other stores of this process (and this one) that the database may have changed. */
  const touched = counter === null ? () => {} : () => void Atomics.add(counter, 0, 1);
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');

  /** Holders and waiters of the connection lock; the tail resolves when the last one releases. */
  let lockCount = 0;
  let tail: Promise<void> = Promise.resolve();
  let inTransaction = false;
  let closed = false;
  /** `changeVersion()`'s last reading of the database, with the change counter as it was then. */
  let lastVersion: { counter: number; at: number; version: string } | null = null;

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
      touched();
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
    } finally {
      touched();
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
      changeVersion: () => {
        if (counter === null) return runOutside(dataVersion, db, []) as Promise<string>;
        // Read before the version: a change counted after this reading is read again next time.
        const seen = Atomics.load(counter, 0);
        const t = performance.now();
        if (
          !closed &&
          lastVersion !== null &&
          lastVersion.counter === seen &&
          t - lastVersion.at >= 0 &&
          t - lastVersion.at < FOREIGN_CHANGE_RECHECK_MS
        )
          return Promise.resolve(lastVersion.version);
        const read = () => {
          const version = dataVersion(db);
          lastVersion = { counter: seen, at: t, version };
          return version;
        };
        if (lockCount > 0) return exclusive(read);
        try {
          return Promise.resolve(read());
        } catch (error) {
          return Promise.reject(error);
        }
      },
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
