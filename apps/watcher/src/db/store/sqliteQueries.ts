import type Database from 'better-sqlite3';
import type { Db } from '../openDb.js';
import {
  advanceAlertCursor,
  alertOutboxCounts,
  alertRowsOfIncident,
  countIncidentAlerts,
  countRecentSubjectAlerts,
  dueAlertRows,
  initAlertCursor,
  insertAlertOutboxRow,
  leaseAlertRow,
  pendingAlertCount,
  readAlertCursor,
  recentAlertOutboxRows,
  recordAlertAttempt,
} from '../queries/alerts.js';
import {
  canonicalHeadTimes,
  firstSeenAt,
  insertBlocks,
  lastCanonicalSeenBefore,
  markNonCanonical,
  recentCanonicalBlocks,
} from '../queries/blocks.js';
import {
  chainObservationsOf,
  chainOwners,
  getChain,
  insertTransition,
  listChainIds,
  listChainObservations,
  listChains,
  pruneChainObservations,
  pruneChains,
  readChainState,
  recentTransitions,
  rpcHealthOf,
  updateRpcHealth,
  upsertChains,
  writeChainObservation,
  writeChainState,
} from '../queries/chains.js';
import { dbSizeReport } from '../queries/dbSizeReport.js';
import { eventsAfter, insertEvent, latestEvents } from '../queries/events.js';
import {
  countWatchedHip3Markets,
  getHip3Market,
  getHip3MarketsByCoin,
  hip3MarketMetricRows,
  hip3OracleUpdatesPage,
  insertHip3OracleUpdates,
  insertHip3Samples,
  insertHip3StreamGap,
  insertHip3Transition,
  listHip3Dexes,
  listHip3Markets,
  updateHip3MarketState,
  upsertHip3Dexes,
  upsertHip3MarketMeta,
} from '../queries/hip3.js';
import {
  findOpenIncident,
  insertIncident,
  listIncidents,
  openIncidentsOf,
  updateIncident,
} from '../queries/incidents.js';
import {
  chainStatusesByKey,
  deleteGuardedPosition,
  getGuardedAccount,
  guardedLiquidationsOf,
  guardedPositionsOf,
  insertGuardedLiquidation,
  listGuardedAccounts,
  listGuardedPositions,
  marketOracleStatus,
  pruneGuardedAccounts,
  upsertGuardedAccount,
  upsertGuardedPosition,
} from '../queries/positions.js';
import { lastRetentionRunAt } from '../queries/runRetention.js';
import { databaseAnswers, databaseSizeBytes, maxRowid } from '../queries/storage.js';

/*
 * The SQLite query functions the store exposes, per module: what callers outside `db/` and tests
 * use. `StoreQueries`  is derived from these objects' types, so adding a function
 * here adds it to the interface the PostgreSQL twins must satisfy. Functions whose first parameter
 * is the drizzle handle (`Db`) are in the `…OnDb` objects; those taking the raw better-sqlite3
 * connection in the `…OnConnection` objects. `storeOnly` holds methods with no same-named SQLite
 * function (the dialect-neutral replacements of prepared statements and SQLite-only helpers).
 */

// biome-ignore lint/suspicious/noExplicitAny: only the handle parameter is checked here
type OnDb = Record<string, (db: Db, ...args: any[]) => unknown>;
// biome-ignore lint/suspicious/noExplicitAny: only the handle parameter is checked here
type OnConnection = Record<string, (sqlite: Database.Database, ...args: any[]) => unknown>;

/** `events` module functions taking `Db`. */
export const eventsOnDb = { insertEvent, eventsAfter, latestEvents } satisfies OnDb;
/** `incidents` module functions taking `Db` (`findOpenIncident` runs a prepared statement). */
export const incidentsOnDb = {
  findOpenIncident,
  openIncidentsOf,
  insertIncident,
  updateIncident,
  listIncidents,
} satisfies OnDb;
/** `chains` module functions taking `Db`. */
export const chainsOnDb = {
  upsertChains,
  readChainState,
  listChains,
  listChainIds,
  getChain,
  pruneChains,
  rpcHealthOf,
  insertTransition,
  recentTransitions,
  chainOwners,
  writeChainObservation,
  chainObservationsOf,
  listChainObservations,
  pruneChainObservations,
} satisfies OnDb;
/** `chains` module functions taking the raw connection. */
export const chainsOnConnection = { writeChainState, updateRpcHealth } satisfies OnConnection;
/** `blocks` module functions taking `Db`. */
export const blocksOnDb = {
  markNonCanonical,
  recentCanonicalBlocks,
  lastCanonicalSeenBefore,
  canonicalHeadTimes,
  firstSeenAt,
} satisfies OnDb;
/** `blocks` module functions taking the raw connection. */
export const blocksOnConnection = { insertBlocks } satisfies OnConnection;
/** `hip3` module functions taking `Db`. */
export const hip3OnDb = {
  upsertHip3Dexes,
  listHip3Dexes,
  upsertHip3MarketMeta,
  updateHip3MarketState,
  listHip3Markets,
  getHip3Market,
  getHip3MarketsByCoin,
  insertHip3Samples,
  insertHip3OracleUpdates,
  hip3OracleUpdatesPage,
  insertHip3Transition,
  insertHip3StreamGap,
  hip3MarketMetricRows,
  countWatchedHip3Markets,
} satisfies OnDb;
/** `positions` module functions taking `Db`. */
export const positionsOnDb = {
  upsertGuardedAccount,
  upsertGuardedPosition,
  deleteGuardedPosition,
  insertGuardedLiquidation,
  listGuardedAccounts,
  getGuardedAccount,
  guardedPositionsOf,
  listGuardedPositions,
  guardedLiquidationsOf,
  pruneGuardedAccounts,
  chainStatusesByKey,
  marketOracleStatus,
} satisfies OnDb;
/** `alerts` module functions taking `Db`. */
export const alertsOnDb = {
  alertOutboxCounts,
  recentAlertOutboxRows,
  pendingAlertCount,
  initAlertCursor,
  readAlertCursor,
  advanceAlertCursor,
  insertAlertOutboxRow,
  countIncidentAlerts,
  countRecentSubjectAlerts,
  dueAlertRows,
  leaseAlertRow,
  recordAlertAttempt,
  alertRowsOfIncident,
} satisfies OnDb;
/** `storage` functions taking `Db`. */
export const storageOnDb = { databaseAnswers, databaseSizeBytes } satisfies OnDb;
/** `storage` functions taking the raw connection. */
export const storageOnConnection = { dbSizeReport, lastRetentionRunAt } satisfies OnConnection;
/** Used by the store's `storage.insertedRowCount` (SQLite: `max(rowid)`). */
export const sqliteMaxRowid = maxRowid;
