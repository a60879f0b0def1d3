import type { PgRetention } from '../store/createPgStore.js';
import { dbSizeReport, vacuumDatabase } from './queries/dbSizeReport.js';
import { defaultRetentionTargets } from './queries/retentionTargets.js';
import {
  lastRetentionRunAt,
  type PgRetentionTarget,
  runRetention,
} from './queries/runRetention.js';

/** Thrown when SQLite retention targets are handed to the PostgreSQL store. */
export class PgRetentionTargetsError extends Error {
  override name = 'Watcher.PgRetentionTargetsError';
  constructor() {
    super(
      'maintenance.runRetention was given retention targets on PostgreSQL: those are SQLite targets (rowid, SQLite SQL); give PostgreSQL ones to pgRetention({ targets }) instead',
    );
  }
}

/**
 * The PostgreSQL retention and size reports for `createPgStore`'s `retention` option (what
 * `openStore` plugs in on PostgreSQL): `maintenance.runRetention` runs the PostgreSQL pass
 * (`pg/queries/runRetention.ts`, batched deletes by id or key, safe from several processes) over
 * `targets` (default the PostgreSQL `defaultRetentionTargets`), `maintenance.compact` is
 * `VACUUM (ANALYZE)` per table (no `VACUUM FULL`), `storage.dbSizeReport` / `lastRetentionRunAt`
 * their PostgreSQL twins.
 *
 * `runRetention` rejects with {@link PgRetentionTargetsError} when the caller passes `targets`
 * (those are SQLite's `RetentionTarget`s).
 *
 * @example const store = await createPgStore({ url, retention: pgRetention() });
 */
export function pgRetention(options: { targets?: readonly PgRetentionTarget[] } = {}): PgRetention {
  const targets = options.targets ?? defaultRetentionTargets;
  return {
    runRetention: async (db, params) => {
      if (params.targets !== undefined) throw new PgRetentionTargetsError();
      const { targets: _ignored, ...rest } = params;
      return runRetention(db, { ...rest, targets });
    },
    compact: async (db) => {
      const { before, after } = await vacuumDatabase(db);
      return { before, after };
    },
    dbSizeReport,
    lastRetentionRunAt,
  };
}
