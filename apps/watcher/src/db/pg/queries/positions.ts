import { and, desc, eq, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type {
  GuardedAccountRow,
  GuardedLiquidationRow,
  GuardedPositionRow,
} from '../../queries/positions.js';
import { LOCAL_WATCHER } from '../../schema/chains.js';
import type { PgDb } from '../openPgDb.js';
import { chainState, chains } from '../schema/chains.js';
import { hip3Markets } from '../schema/hip3.js';
import { guardedAccounts, guardedLiquidations, guardedPositions } from '../schema/positions.js';

/**
 * PostgreSQL twins of `src/db/queries/positions.ts` (the position guard's tables): same names,
 * parameters and result shapes, async over a {@link PgDb} (the pool, or one client inside
 * `withPgTransaction`). The SQLite module runs cached prepared statements per connection; these
 * are drizzle builders, one statement per call.
 *
 * Text ordering uses `collate "C"` (byte order), as SQLite's default BINARY collation does: a
 * database created with a linguistic locale would otherwise sort `Beta` after `alpha`.
 */

const byteOrder = (column: PgColumn) => sql`${column} collate "C"`;

/** `set` of an upsert: every listed column takes the value the insert proposed (`excluded`). */
const fromExcluded = (columns: Record<string, PgColumn>) =>
  Object.fromEntries(
    Object.entries(columns).map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)]),
  );

const accountColumns = {
  addressHash: guardedAccounts.addressHash,
  label: guardedAccounts.label,
  mode: guardedAccounts.mode,
  status: guardedAccounts.status,
  reason: guardedAccounts.reason,
  lastSuccessAt: guardedAccounts.lastSuccessAt,
  lastAttemptAt: guardedAccounts.lastAttemptAt,
  fillsCheckedTo: guardedAccounts.fillsCheckedTo,
  stateJson: guardedAccounts.stateJson,
  updatedAt: guardedAccounts.updatedAt,
};

const positionColumns = {
  addressHash: guardedPositions.addressHash,
  coin: guardedPositions.coin,
  dex: guardedPositions.dex,
  level: guardedPositions.level,
  knownLevel: guardedPositions.knownLevel,
  baseLevel: guardedPositions.baseLevel,
  episodeId: guardedPositions.episodeId,
  stateJson: guardedPositions.stateJson,
  updatedAt: guardedPositions.updatedAt,
};

/**
 * Inserts or replaces an account row, owned by `owner` (mirrors the SQLite `upsertGuardedAccount`).
 */
export async function upsertGuardedAccount(
  q: PgDb,
  row: GuardedAccountRow,
  owner: string = LOCAL_WATCHER,
): Promise<void> {
  const { addressHash: _key, ...updated } = accountColumns;
  await q
    .insert(guardedAccounts)
    .values({ ...row, owner })
    .onConflictDoUpdate({
      target: guardedAccounts.addressHash,
      set: fromExcluded({ ...updated, owner: guardedAccounts.owner }),
    });
}

/** Inserts or replaces a position row (mirrors the SQLite `upsertGuardedPosition`). */
export async function upsertGuardedPosition(q: PgDb, row: GuardedPositionRow): Promise<void> {
  const { addressHash: _hash, coin: _coin, ...updated } = positionColumns;
  await q
    .insert(guardedPositions)
    .values(row)
    .onConflictDoUpdate({
      target: [guardedPositions.addressHash, guardedPositions.coin],
      set: fromExcluded(updated),
    });
}

/** Removes a position (closed or liquidated). */
export async function deleteGuardedPosition(
  q: PgDb,
  addressHash: string,
  coin: string,
): Promise<void> {
  await q
    .delete(guardedPositions)
    .where(and(eq(guardedPositions.addressHash, addressHash), eq(guardedPositions.coin, coin)));
}

/**
 * Records a liquidation fill; returns false when it was already recorded (no second alert). Safe
 * when two processes record the same fill at once: the primary key lets exactly one insert.
 */
export async function insertGuardedLiquidation(
  q: PgDb,
  row: GuardedLiquidationRow,
): Promise<boolean> {
  const inserted = await q
    .insert(guardedLiquidations)
    .values(row)
    .onConflictDoNothing()
    .returning({ tid: guardedLiquidations.tid });
  return inserted.length > 0;
}

/** Every guarded account, by label. */
export async function listGuardedAccounts(q: PgDb): Promise<GuardedAccountRow[]> {
  return q.select(accountColumns).from(guardedAccounts).orderBy(byteOrder(guardedAccounts.label));
}

/** One account by address hash, or `null`. */
export async function getGuardedAccount(
  q: PgDb,
  addressHash: string,
): Promise<GuardedAccountRow | null> {
  const rows = await q
    .select(accountColumns)
    .from(guardedAccounts)
    .where(eq(guardedAccounts.addressHash, addressHash));
  return rows[0] ?? null;
}

/** The positions of one account, by coin. */
export async function guardedPositionsOf(
  q: PgDb,
  addressHash: string,
): Promise<GuardedPositionRow[]> {
  return q
    .select(positionColumns)
    .from(guardedPositions)
    .where(eq(guardedPositions.addressHash, addressHash))
    .orderBy(byteOrder(guardedPositions.coin));
}

/** Every guarded position, by address hash then coin. */
export async function listGuardedPositions(q: PgDb): Promise<GuardedPositionRow[]> {
  return q
    .select(positionColumns)
    .from(guardedPositions)
    .orderBy(byteOrder(guardedPositions.addressHash), byteOrder(guardedPositions.coin));
}

/** The latest liquidations of one account, newest first. */
export async function guardedLiquidationsOf(
  q: PgDb,
  addressHash: string,
  limit: number,
): Promise<GuardedLiquidationRow[]> {
  return q
    .select({
      addressHash: guardedLiquidations.addressHash,
      tid: guardedLiquidations.tid,
      coin: guardedLiquidations.coin,
      at: guardedLiquidations.at,
      fillJson: guardedLiquidations.fillJson,
    })
    .from(guardedLiquidations)
    .where(eq(guardedLiquidations.addressHash, addressHash))
    .orderBy(desc(guardedLiquidations.at))
    .limit(limit);
}

/**
 * Deletes `owner`'s accounts (and their positions) no longer in its config; other owners'
 * accounts and their positions stay (sharded mode); liquidations stay as history. Positions without
 * an account row go too, as on SQLite. One statement (a data-modifying `with`, both parts see the
 * snapshot before it), so both deletes commit together even outside a transaction. An empty
 * `keepHashes` deletes every account of `owner`, as on SQLite.
 */
export async function pruneGuardedAccounts(
  q: PgDb,
  keepHashes: readonly string[],
  owner: string = LOCAL_WATCHER,
): Promise<void> {
  const keep = sql`${sql.param([...keepHashes])}::text[]`;
  await q.execute(sql`with gone as (
      delete from ${guardedAccounts}
      where ${guardedAccounts.owner} = ${owner} and ${guardedAccounts.addressHash} <> all(${keep}))
    delete from ${guardedPositions} p
    where p.address_hash <> all(${keep})
      and not exists (select 1 from ${guardedAccounts} a
        where a.address_hash = p.address_hash and a.owner <> ${owner})`);
}

/** The owner of every guarded account, by address hash (mirrors the SQLite `guardedAccountOwners`). */
export async function guardedAccountOwners(
  q: PgDb,
): Promise<{ addressHash: string; owner: string }[]> {
  return q
    .select({ addressHash: guardedAccounts.addressHash, owner: guardedAccounts.owner })
    .from(guardedAccounts)
    .orderBy(byteOrder(guardedAccounts.addressHash));
}

/**
 * Current status of every watched chain by registry key (what the halt multiplier reads). SQLite
 * gives no order; here by key.
 */
export async function chainStatusesByKey(
  q: PgDb,
): Promise<{ key: string; name: string; status: string }[]> {
  return q
    .select({ key: chains.key, name: chains.name, status: chainState.status })
    .from(chains)
    .innerJoin(chainState, eq(chainState.chainId, chains.chainId))
    .orderBy(byteOrder(chains.key));
}

/** The HIP-3 watch's status and reason codes of one market, or `null` when it does not watch it. */
export async function marketOracleStatus(
  q: PgDb,
  coin: string,
): Promise<{ status: string; reasonCodes: string[] } | null> {
  const rows = await q
    .select({ status: hip3Markets.status, reasonsJson: hip3Markets.reasonsJson })
    .from(hip3Markets)
    .where(eq(hip3Markets.coin, coin));
  const row = rows[0];
  if (!row) return null;
  const reasons = JSON.parse(row.reasonsJson) as { code?: unknown }[];
  return {
    status: row.status,
    reasonCodes: reasons.flatMap((r) => (typeof r.code === 'string' ? [r.code] : [])),
  };
}
