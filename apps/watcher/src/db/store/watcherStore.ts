import type { DbSizeReport } from '../queries/dbSizeReport.js';
import type { Hip3OracleUpdateRow, Hip3SampleRow, updateHip3MarketState } from '../queries/hip3.js';
import type { RetentionReport, RunRetentionParameters } from '../queries/runRetention.js';
import type {
  alertsOnDb,
  blocksOnConnection,
  blocksOnDb,
  chainsOnConnection,
  chainsOnDb,
  eventsOnDb,
  hip3OnDb,
  incidentsOnDb,
  positionsOnDb,
  storageOnConnection,
  storageOnDb,
} from './sqliteQueries.js';

// biome-ignore lint/suspicious/noExplicitAny: the handle type differs per dialect; only the rest is kept
type AnyFunction = (handle: any, ...args: any[]) => unknown;

/**
 * A module of query functions `(handle, ...args) => R` as store methods `(...args) =>
 * Promise<Awaited<R>>`: the handle (SQLite `Db`/connection, PostgreSQL `PgDb`) is bound by the
 * store. Generic functions lose their type parameter (`insertEvent` returns `StoredEventOf<WatcherEventKind>`).
 */
export type Bound<M> = {
  [K in keyof M as M[K] extends AnyFunction ? K : never]: M[K] extends (
    // biome-ignore lint/suspicious/noExplicitAny: see AnyFunction
    handle: any,
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/** One HIP-3 tick's hot-path rows (`hip3.writeBatch`). */
export type Hip3WriteBatch = {
  samples: readonly Hip3SampleRow[];
  oracleUpdates: readonly Hip3OracleUpdateRow[];
  marketStates: readonly Parameters<typeof updateHip3MarketState>[1][];
};

/**
 * The watcher's storage queries, one object per module, every method async. Derived from the
 * SQLite functions (`src/db/store/sqliteQueries.ts`); a PostgreSQL implementation is checked
 * against it with `satisfies StoreQueries`.
 */
export type StoreQueries = {
  events: Bound<typeof eventsOnDb>;
  incidents: Bound<typeof incidentsOnDb>;
  chains: Bound<typeof chainsOnDb> & Bound<typeof chainsOnConnection>;
  blocks: Bound<typeof blocksOnDb> & Bound<typeof blocksOnConnection>;
  hip3: Bound<typeof hip3OnDb> & {
    /**
     * Inserts samples and oracle updates (`insert or ignore`) and rewrites market states — the
     * ingestion hot path, same semantics as `insertHip3Samples`, `insertHip3OracleUpdates` and
     * `updateHip3MarketState` (SQLite: prepared multi-row statements; replaces `prepareHip3Writes`).
     */
    writeBatch(batch: Hip3WriteBatch): Promise<void>;
  };
  positions: Bound<typeof positionsOnDb>;
  alerts: Bound<typeof alertsOnDb>;
  storage: Bound<typeof storageOnDb> &
    Bound<typeof storageOnConnection> & {
      /**
       * Rows ever inserted into `table` as far as ids tell (SQLite `max(rowid)`, PostgreSQL the
       * identity's high-water mark), 0 when empty; replaces `maxRowid`. `table` comes from the
       * caller's constant list, never user input.
       *
       * @throws when the table does not exist.
       */
      insertedRowCount(table: string): Promise<number>;
    };
};

/** Parameters of {@link StoreMaintenance.runRetention}: `runRetention`'s without the connection. */
export type StoreRetentionParameters = Omit<RunRetentionParameters, 'sqlite'>;

/**
 * Operations that are not part of a transaction and must never run inside one (they manage their
 * own transactions, or none at all): each waits until no store transaction is open.
 */
export type StoreMaintenance = {
  /**
   * A token that changes whenever committed data may have changed (response caches: equal tokens
   * mean the cached answer is still right). SQLite: `total_changes()` + `PRAGMA data_version`
   * (replaces `dataVersion(db)`); PostgreSQL: the last event id seen.
   */
  changeVersion(): Promise<string>;
  /** Rolls up and prunes (SQLite: `runRetention`, rowid binary search, batched transactions). */
  runRetention(params: StoreRetentionParameters): Promise<RetentionReport>;
  /** Returns free space to the OS (SQLite `VACUUM` + WAL truncate; replaces `vacuumDatabase`). */
  compact(): Promise<{ before: DbSizeReport; after: DbSizeReport }>;
};

/**
 * The watcher's storage: the only way code outside `src/db` reaches the database.
 *
 * - `queries` run outside any transaction (each its own atomic statement or autocommit step).
 * - `transaction(body)` runs `body` in one transaction with `q` bound to it: it commits when the
 *   body resolves, rolls back and rethrows when it rejects. Use only `q` inside the body — calling
 *   `store.queries`, `store.maintenance` or `store.transaction` from a body waits for the body
 *   itself (a deadlock); transactions are not reentrant.
 * - Reads through `queries` while a transaction is open see committed data only (SQLite: they wait
 *   until the open transaction ends; PostgreSQL: another pooled connection).
 */
export type WatcherStore = {
  readonly dialect: 'sqlite' | 'postgres';
  readonly queries: StoreQueries;
  readonly maintenance: StoreMaintenance;
  transaction<T>(body: (q: StoreQueries) => Promise<T>): Promise<T>;
  /** Waits for the transaction in flight, then closes the connection(s). Idempotent. */
  close(): Promise<void>;
};
