import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { WatcherError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { redactUrlSecrets } from '../../security/redactSecrets.js';
import {
  migratePg,
  PgCommitRolledBackError,
  type PgDb,
  withPgTransaction,
} from '../pg/openPgDb.js';
import { pgRetention } from '../pg/pgRetention.js';
import { dataVersion } from '../pg/queries/changeVersion.js';
import { prepareHip3Writes } from '../pg/queries/hip3.js';
import { maxRowid } from '../pg/queries/storage.js';
import type { DbSizeReport } from '../queries/dbSizeReport.js';
import type { RetentionReport } from '../queries/runRetention.js';
import { StoreTransactionEndedError } from './createSqliteStore.js';
import {
  pgAlerts,
  pgBlocks,
  pgChains,
  pgEvents,
  pgHip3,
  pgIncidents,
  pgPositions,
  pgStorage,
} from './pgQueries.js';
import type {
  Bound,
  Hip3WriteBatch,
  StoreQueries,
  StoreRetentionParameters,
  WatcherStore,
} from './watcherStore.js';

/**
 * Retention and size reports on PostgreSQL, injected into {@link createPgStore} (default
 * `pgRetention()`, `src/db/pg/pgRetention.ts`: `src/db/pg/queries/runRetention.ts` and
 * `dbSizeReport.ts` over the PostgreSQL targets). Each takes the pool's {@link PgDb};
 * `createPgStore` binds them to `maintenance.runRetention`, `maintenance.compact`,
 * `queries.storage.dbSizeReport` and `queries.storage.lastRetentionRunAt`.
 */
export type PgRetention = {
  runRetention(db: PgDb, params: StoreRetentionParameters): Promise<RetentionReport>;
  compact(db: PgDb): Promise<{ before: DbSizeReport; after: DbSizeReport }>;
  dbSizeReport(db: PgDb): Promise<DbSizeReport>;
  lastRetentionRunAt(db: PgDb): Promise<number | null>;
};

/** An operation that has no PostgreSQL implementation in this build (see {@link PgRetention}). */
export class NotYetOnPostgresError extends WatcherError {
  override name = 'Watcher.NotYetOnPostgresError';
  constructor(readonly operation: string) {
    super(
      `${operation} is not yet on PostgreSQL: this store was created with retention: pgRetentionNotYet (createPgStore's default is pgRetention())`,
    );
  }
}

/**
 * A {@link PgRetention} whose every operation rejects with {@link NotYetOnPostgresError} (a store
 * that must never prune, and the binding benchmark).
 */
export const pgRetentionNotYet: PgRetention = {
  runRetention: () => Promise.reject(new NotYetOnPostgresError('maintenance.runRetention')),
  compact: () => Promise.reject(new NotYetOnPostgresError('maintenance.compact')),
  dbSizeReport: () => Promise.reject(new NotYetOnPostgresError('storage.dbSizeReport')),
  lastRetentionRunAt: () => Promise.reject(new NotYetOnPostgresError('storage.lastRetentionRunAt')),
};

/** The store was used after `close()` was called (a call made before it still completes). */
export class StoreClosedError extends WatcherError {
  override name = 'Watcher.StoreClosedError';
  constructor(what: string) {
    super(`${what} was called on a closed store (store.close() was called before it)`);
  }
}

/**
 * The PostgreSQL database could not be opened (unreachable, authentication, a failed migration).
 * The message names the server by scheme, host and port only; the password in the URL never
 * appears (also not as `cause`: only the driver's `code` is kept).
 */
export class StoreOpenError extends WatcherError {
  override name = 'Watcher.StoreOpenError';
  constructor(
    message: string,
    /** The driver's error code when it gave one (`ECONNREFUSED`, SQLSTATE `28P01`, …). */
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * A transaction body resolved although a statement in it had failed: PostgreSQL aborts the whole
 * transaction at the first failed statement (SQLite only undoes that statement), so its `COMMIT`
 * rolled everything back. Nothing of the body was written.
 */
export class StoreTransactionAbortedError extends WatcherError {
  override name = 'Watcher.StoreTransactionAbortedError';
  constructor() {
    super(
      'the transaction body resolved after one of its statements had failed (an error was caught and not rethrown): PostgreSQL rolled the whole transaction back, nothing was written',
    );
  }
}

/**
 * What only PostgreSQL has, for the runtime's cross-process wiring (`followEvents`, the lease
 * keeper, fenced alert transactions). Reach it through `createPgStore`'s result or `openStore`'s
 * `pg`; a {@link WatcherStore} (what subjects and routes get) does not expose it.
 */
export type PgStoreAccess = {
  /** The store's pool: leases (`startLeaseKeeper({ db: pool })`), `fencedAlertTransaction`. */
  readonly pool: pg.Pool;
  /** Drizzle over {@link pool}: `followEvents({ db })` reads, PostgreSQL-only queries. */
  readonly db: PgDb;
  /**
   * The connection URL, for what needs a dedicated connection (`followEvents({ url })`'s LISTEN).
   * It may hold a password: never log it (`redactUrlSecrets`).
   */
  readonly url: string;
  /**
   * A store transaction (same commit/rollback, close tracking and `q` as `store.transaction`) that
   * also hands its raw transaction handle, so PostgreSQL-only statements join it: the lease fence
   * (`lockLeaseForShare(tx.$client, grant)` first), `claimDueAlertRows(tx, …)`, `appendEvents`.
   */
  transaction<T>(body: (q: StoreQueries, tx: PgDb) => Promise<T>): Promise<T>;
};

/** The {@link WatcherStore} over PostgreSQL, plus {@link PgStoreAccess} as `pg`. */
export type PgWatcherStore = WatcherStore & {
  readonly dialect: 'postgres';
  readonly pg: PgStoreAccess;
};

/** Parameters of {@link createPgStore}. */
export type CreatePgStoreParameters = {
  /** `postgres://user[:password]@host:port/db` (`database.url`; `PGPASSWORD` also works). */
  readonly url: string;
  /** Pool size (default 10): transactions in flight + concurrent reads outside them. */
  readonly maxConnections?: number;
  /** Told the migrations applied at open and idle connections the server dropped. */
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
  /** Retention and size reports (default `pgRetention()`: the PostgreSQL pass and targets). */
  readonly retention?: PgRetention;
};

// biome-ignore lint/suspicious/noExplicitAny: twins of every shape pass through here
type PgFunction = (db: PgDb, ...args: any[]) => Promise<unknown>;
/** How a bound method calls its twin: outside (pool, close-tracked) or inside (one transaction). @internal */
export type Caller = (fn: PgFunction, db: PgDb, args: unknown[]) => Promise<unknown>;

function bindModule<M extends Record<string, PgFunction>>(
  mod: M,
  db: PgDb,
  call: Caller,
): Bound<M> {
  const out: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name in mod) {
    const fn = mod[name]!;
    out[name] = (...args) => call(fn, db, args);
  }
  return out as Bound<M>;
}

async function writeBatch(db: PgDb, batch: Hip3WriteBatch): Promise<void> {
  const w = prepareHip3Writes(db);
  await w.insertSamples(batch.samples);
  await w.insertOracleUpdates(batch.oracleUpdates);
  await w.updateMarketStates(batch.marketStates);
}

/**
 * Every module's twins bound to `db` through `call`. Built once for the pool and once per
 * transaction: about 60 closures, ~2 µs (measured in `createPgStore.bench.ts`), against the
 * transaction's own `BEGIN`/`COMMIT` round trips of ~100 µs or more — not worth a lazy Proxy.
 *
 * @internal exported for the benchmark only.
 */
export function bindPgQueries(db: PgDb, call: Caller, retention: PgRetention): StoreQueries {
  return {
    events: bindModule(pgEvents, db, call),
    incidents: bindModule(pgIncidents, db, call),
    chains: bindModule(pgChains, db, call),
    blocks: bindModule(pgBlocks, db, call),
    hip3: { ...bindModule(pgHip3, db, call), ...bindModule({ writeBatch }, db, call) },
    positions: bindModule(pgPositions, db, call),
    alerts: bindModule(pgAlerts, db, call),
    storage: {
      ...bindModule(pgStorage, db, call),
      ...bindModule(
        {
          dbSizeReport: retention.dbSizeReport,
          lastRetentionRunAt: retention.lastRetentionRunAt,
          insertedRowCount: maxRowid,
        },
        db,
        call,
      ),
    },
  } satisfies StoreQueries;
}

/** `error`'s message with `url` and its password taken out (drivers rarely quote them; never print). */
function scrubbed(error: unknown, url: string): string {
  let text = error instanceof Error ? error.message : String(error);
  const secrets = [url];
  try {
    const password = new URL(url).password;
    if (password !== '') secrets.push(password, decodeURIComponent(password));
  } catch {
    // an unparsable URL: only the whole of it is known
  }
  for (const s of secrets.sort((a, b) => b.length - a.length))
    if (s.length > 0) text = text.split(s).join('…');
  return text;
}

/**
 * Opens the watcher's PostgreSQL storage: applies the missing migrations (`migratePg`, safe from
 * several processes at once), opens a `pg.Pool` of `maxConnections`, and binds every query twin of
 * `src/db/pg/queries` to it.
 *
 * Semantics (differences from the SQLite store, `createSqliteStore`):
 * - `transaction(body)` checks a pooled connection out for the body (`withPgTransaction`, READ
 *   COMMITTED): concurrent transactions of one store run at once, isolated from one another (SQLite
 *   queues them). Two writing the same row wait on each other's row lock, not on a store lock;
 *   every event insert takes the events lock until its transaction ends (ids in commit order,
 *   `pg/queries/events.ts`), so event-writing transactions queue there: insert events last.
 * - A body holds one pooled connection until it ends; calling `store.queries` from a body (never
 *   right, see `WatcherStore`) can wait forever once every connection is held by such bodies.
 * - `queries` outside a transaction run on other pooled connections at once and see committed data
 *   only (SQLite makes them wait until the open transaction ends).
 * - A statement that fails inside a body aborts the whole transaction on PostgreSQL: a body that
 *   catches that error and resolves gets {@link StoreTransactionAbortedError}, not a silent rollback.
 * - `maintenance` does not wait for open transactions (MVCC; the pool has other connections).
 * - `maintenance.changeVersion()` is `pg_current_snapshot()`: it also changes on commits of other
 *   processes (every writer of the database, in fact of the server).
 * - `close()` stops new calls ({@link StoreClosedError}), waits for every call in flight
 *   (transactions and single queries), then ends the pool. Idempotent.
 *
 * @throws StoreOpenError when the server cannot be reached, refuses the login or a migration fails
 *   (the message names scheme, host and port only).
 * @example
 * const store = await createPgStore({ url: config.database.url, logger });
 * await store.transaction(async (q) => q.events.insertEvent(event));
 * const follower = followEvents({ url: store.pg.url, db: store.pg.db, afterId, onEvents });
 */
export async function createPgStore(params: CreatePgStoreParameters): Promise<PgWatcherStore> {
  const { url, logger } = params;
  const retention = params.retention ?? pgRetention();
  try {
    const { applied, total } = await migratePg({ url });
    if (applied > 0)
      logger?.info({ applied, total, database: redactUrlSecrets(url) }, 'PostgreSQL migrated');
  } catch (error) {
    throw new StoreOpenError(
      `database ${redactUrlSecrets(url)} is unusable: ${scrubbed(error, url)}`,
      (error as { code?: string }).code,
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: params.maxConnections ?? 10,
    application_name: 'perpscope-watcher',
  });
  // An idle pooled connection the server drops emits 'error' on the pool (uncaught without a
  // listener); the next query opens a new one.
  pool.on('error', (error) =>
    logger?.warn(
      { err: scrubbed(error, url) },
      'an idle PostgreSQL connection failed; the next query reconnects',
    ),
  );
  const db: PgDb = drizzle({ client: pool });

  /** Calls in flight (outside queries, maintenance, transactions); close() waits for 0. */
  let inFlight = 0;
  let closed = false;
  let idle: (() => void) | null = null;
  let closing: Promise<void> | null = null;

  async function tracked<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (closed) throw new StoreClosedError(what);
    inFlight++;
    try {
      return await fn();
    } finally {
      inFlight--;
      if (inFlight === 0) idle?.();
    }
  }

  const outside: Caller = (fn, handle, args) =>
    tracked(`store.queries.${fn.name}`, () => fn(handle, ...args));
  const queries = bindPgQueries(db, outside, retention);

  const transaction = <T>(body: (q: StoreQueries, tx: PgDb) => Promise<T>): Promise<T> =>
    tracked('store.transaction', () =>
      withPgTransaction(pool, async (tx) => {
        let active = true;
        const inside: Caller = (fn, handle, args) =>
          active ? fn(handle, ...args) : Promise.reject(new StoreTransactionEndedError());
        try {
          return await body(bindPgQueries(tx, inside, retention), tx);
        } finally {
          active = false;
        }
      }).catch((error: unknown) => {
        throw error instanceof PgCommitRolledBackError ? new StoreTransactionAbortedError() : error;
      }),
    );

  return {
    dialect: 'postgres',
    queries,
    maintenance: {
      changeVersion: () => tracked('store.maintenance.changeVersion', () => dataVersion(db)),
      runRetention: (p) =>
        tracked('store.maintenance.runRetention', () => retention.runRetention(db, p)),
      compact: () => tracked('store.maintenance.compact', () => retention.compact(db)),
    },
    transaction: (body) => transaction((q) => body(q)),
    close: () => {
      closing ??= (async () => {
        closed = true;
        if (inFlight > 0)
          await new Promise<void>((resolve) => {
            idle = resolve;
          });
        await pool.end();
      })();
      return closing;
    },
    pg: { pool, db, url, transaction },
  };
}
