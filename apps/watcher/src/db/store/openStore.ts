import type { DatabaseConfig } from '../../config/databaseConfig.js';
import type { Logger } from '../../logger.js';
import { type OpenDb, openDb } from '../openDb.js';
import {
  createPgStore,
  type PgRetention,
  type PgStoreAccess,
  StoreOpenError,
} from './createPgStore.js';
import { createSqliteStore } from './createSqliteStore.js';
import type { WatcherStore } from './watcherStore.js';

/**
 * An open store and, on PostgreSQL only, what the runtime's cross-process wiring needs (`pg`:
 * pool, drizzle handle, URL, raw-handle transactions; also `store.pg` on PostgreSQL, where the alert
 * outbox and duty-fenced writes find it). Hand `store` to subjects, routes and jobs; the runtime uses
 * `pg` for the event follower and lease keepers. On SQLite
 * `sqlite` is the connection under the store (the WAL checkpointer, file health, fault tests).
 */
export type OpenedStore =
  | {
      readonly dialect: 'sqlite';
      readonly store: WatcherStore;
      readonly pg: null;
      readonly sqlite: OpenDb;
    }
  | {
      readonly dialect: 'postgres';
      readonly store: WatcherStore;
      readonly pg: PgStoreAccess;
      readonly sqlite: null;
    };

/** Options of {@link openStore} (all but `openSqlite` only for PostgreSQL). */
export type OpenStoreOptions = {
  /**
   * How the SQLite file is opened (default `openDb`: created and migrated); the ingestion worker
   * passes `openWriterConnection`.
   */
  readonly openSqlite?: (path: string) => OpenDb;
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
  /** Pool size on PostgreSQL (default 10). */
  readonly maxConnections?: number;
  /** Retention on PostgreSQL (default `pgRetention()`: the PostgreSQL pass and targets). */
  readonly retention?: PgRetention;
  /** SQLite: the change counter this process's stores on the file share (`SqliteStoreOptions`). */
  readonly changeCounter?: Int32Array;
};

/**
 * Opens the store `database` (the config's `database` section) selects: PostgreSQL when it has a
 * `url` (`createPgStore`: migrated, pooled), else the SQLite file at `path` (`openDb`: created and
 * migrated; `:memory:` for a throw-away one) behind `createSqliteStore`.
 *
 * @throws StoreOpenError naming the database (PostgreSQL: scheme, host and port only — never the
 *   password) and what was wrong.
 * @example const { store, pg } = await openStore(config.database, { logger });
 */
export async function openStore(
  database: DatabaseConfig,
  options: OpenStoreOptions = {},
): Promise<OpenedStore> {
  if (database.url !== undefined) {
    // The store keeps its `pg` access: the alert outbox's fenced claims and every duty-fenced write
    // (`storeTransactionWithFence`) find it there. (An earlier version stripped it, and on
    // PostgreSQL both silently fell back to the unfenced single-watcher path.)
    const { openSqlite: _sqliteOnly, changeCounter: _counterSqliteOnly, ...pgOptions } = options;
    const store = await createPgStore({ url: database.url, ...pgOptions });
    return { dialect: 'postgres', store, pg: store.pg, sqlite: null };
  }
  let open: OpenDb;
  try {
    open = options.openSqlite ? options.openSqlite(database.path) : openDb({ path: database.path });
  } catch (error) {
    throw new StoreOpenError(
      `database ${database.path} is unusable: ${(error as Error).message}`,
      (error as { code?: string }).code,
    );
  }
  return {
    dialect: 'sqlite',
    store: createSqliteStore(
      open,
      options.changeCounter === undefined ? {} : { changeCounter: options.changeCounter },
    ),
    pg: null,
    sqlite: open,
  };
}
