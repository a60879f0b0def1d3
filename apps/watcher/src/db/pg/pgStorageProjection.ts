import type { WatcherConfig } from '../../config/configSchema.js';
import {
  formatStorageProjection,
  projectStorage,
  type StorageProjection,
} from '../../retention/projectStorage.js';
import type { PgDb } from './openPgDb.js';

/**
 * The PostgreSQL part of `perpscope-watcher storage`'s projection (twin of
 * `storageProjectionReport` in `src/retention/storageCommands.ts`, for the caller converting that
 * command): the same projection (configured chains, HIP-3 markets the database knows, not delisted,
 * or `assumedHip3Markets` before the first discovery, none when HIP-3 is disabled), against the
 * current `pg_database_size`.
 *
 * The free space of the server's disk cannot be known from a client (the server may be on another
 * machine, and PostgreSQL does not report it), so without `freeDiskBytes` the text says so and
 * there is no warning; an operator who knows it (e.g. `df` on the server) may pass it, and then the
 * text and warning are exactly the SQLite command's.
 *
 * @example const { text, warning } = await pgStorageProjectionReport(db, { config, assumedHip3Markets: ASSUMED_HIP3_MARKETS });
 */
export async function pgStorageProjectionReport(
  q: PgDb,
  params: {
    config: Pick<WatcherConfig, 'chains' | 'hip3' | 'retention'>;
    /** HIP-3 markets to assume before the first discovery (`ASSUMED_HIP3_MARKETS`). */
    assumedHip3Markets: number;
    /** Free bytes on the server's data disk, when the operator knows them. */
    freeDiskBytes?: number;
  },
): Promise<{
  text: string;
  warning: string | null;
  projection: StorageProjection;
  databaseBytes: number;
}> {
  const { config } = params;
  const c = q.$client;
  const known = config.hip3.enabled
    ? Number(
        (
          await c.query<{ n: string }>(
            'SELECT count(*) AS n FROM hip3_markets WHERE is_delisted = false',
          )
        ).rows[0]?.n ?? 0,
      )
    : 0;
  const hip3Markets = config.hip3.enabled && known === 0 ? params.assumedHip3Markets : known;
  const databaseBytes = Number(
    (await c.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes'))
      .rows[0]?.bytes ?? 0,
  );
  const projection = projectStorage({
    chainBlockTimesMs: config.chains.map((ch) => ch.blockTimeMs),
    hip3Markets,
    retention: config.retention,
  });
  const chains = config.chains.length;
  if (params.freeDiskBytes !== undefined)
    return {
      ...formatStorageProjection({
        projection,
        chains,
        hip3Markets,
        databaseBytes,
        freeDiskBytes: params.freeDiskBytes,
      }),
      projection,
      databaseBytes,
    };
  const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
  const text = `projected size once retention windows are full (${chains} chains, ${hip3Markets} HIP-3 markets): ${gb(projection.totalBytes)} (${projection.parts.map((x) => `${x.name} ${gb(x.bytes)}`).join(', ')}); database now ${gb(databaseBytes)}, still to grow ${gb(Math.max(0, projection.totalBytes - databaseBytes))}; free disk unknown (the PostgreSQL server's disk cannot be seen from here: check it on the server, e.g. df -h on its data directory)\n`;
  return { text, warning: null, projection, databaseBytes };
}
