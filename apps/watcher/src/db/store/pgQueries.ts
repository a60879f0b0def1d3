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
} from '../pg/queries/alerts.js';
import {
  canonicalHeadTimes,
  firstSeenAt,
  insertBlocks,
  lastCanonicalSeenBefore,
  markNonCanonical,
  recentCanonicalBlocks,
} from '../pg/queries/blocks.js';
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
} from '../pg/queries/chains.js';
import { eventsAfter, insertEvent, latestEvents } from '../pg/queries/events.js';
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
} from '../pg/queries/hip3.js';
import {
  findOpenIncident,
  insertIncident,
  listIncidents,
  openIncidentsOf,
  updateIncident,
} from '../pg/queries/incidents.js';
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
} from '../pg/queries/positions.js';
import { databaseAnswers, databaseSizeBytes } from '../pg/queries/storage.js';

/*
 * The PostgreSQL twins the store binds, per module: the same names as `sqliteQueries.ts` (each
 * twin takes a `PgDb` — the pool, or one transaction's client — where the SQLite function takes
 * `Db` or the raw connection, so the `…OnDb` / `…OnConnection` split disappears). `createPgStore`
 * checks the bound result with `satisfies StoreQueries`: a function added to `sqliteQueries.ts`
 * without its twin here fails `tsc`. Store-only methods (`hip3.writeBatch`,
 * `storage.insertedRowCount`) and the retention-owned `storage.dbSizeReport` /
 * `storage.lastRetentionRunAt` are added by `createPgStore`.
 */

/** `events` twins. */
export const pgEvents = { insertEvent, eventsAfter, latestEvents };
/** `incidents` twins (`insertIncident` throws `IncidentAlreadyOpenError` on a lost race). */
export const pgIncidents = {
  findOpenIncident,
  openIncidentsOf,
  insertIncident,
  updateIncident,
  listIncidents,
};
/** `chains` twins (SQLite's `chainsOnDb` and `chainsOnConnection`). */
export const pgChains = {
  upsertChains,
  readChainState,
  writeChainState,
  listChains,
  listChainIds,
  getChain,
  pruneChains,
  rpcHealthOf,
  updateRpcHealth,
  insertTransition,
  recentTransitions,
  chainOwners,
  writeChainObservation,
  chainObservationsOf,
  listChainObservations,
  pruneChainObservations,
};
/** `blocks` twins (SQLite's `blocksOnDb` and `blocksOnConnection`). */
export const pgBlocks = {
  insertBlocks,
  markNonCanonical,
  recentCanonicalBlocks,
  lastCanonicalSeenBefore,
  canonicalHeadTimes,
  firstSeenAt,
};
/** `hip3` twins. */
export const pgHip3 = {
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
};
/** `positions` twins. */
export const pgPositions = {
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
};
/** `alerts` twins. */
export const pgAlerts = {
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
};
/** `storage` twins (the retention-owned ones come from `PgRetention`, see `createPgStore`). */
export const pgStorage = { databaseAnswers, databaseSizeBytes };
