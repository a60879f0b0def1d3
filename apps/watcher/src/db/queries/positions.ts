import type Database from 'better-sqlite3';
import type { Db } from '../openDb.js';
import { LOCAL_WATCHER } from '../schema/chains.js';

/** A `guarded_accounts` row. */
export type GuardedAccountRow = {
  addressHash: string;
  label: string;
  mode: string | null;
  status: string;
  reason: string | null;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  fillsCheckedTo: number | null;
  stateJson: string;
  updatedAt: number;
};

/** A `guarded_positions` row. */
export type GuardedPositionRow = {
  addressHash: string;
  coin: string;
  dex: string;
  level: string;
  knownLevel: string;
  baseLevel: string;
  episodeId: string | null;
  stateJson: string;
  updatedAt: number;
};

/** A `guarded_liquidations` row. */
export type GuardedLiquidationRow = {
  addressHash: string;
  tid: string;
  coin: string;
  at: number;
  fillJson: string;
};

/** The better-sqlite3 connection under `db` — the database or a transaction on it (same connection). */
const rawOf = (db: Db) =>
  (db as unknown as { $client?: Database.Database; session: { client: Database.Database } })
    .$client ?? (db as unknown as { session: { client: Database.Database } }).session.client;

const accountCols = `address_hash AS addressHash, label, mode, status, reason,
  last_success_at AS lastSuccessAt, last_attempt_at AS lastAttemptAt,
  fills_checked_to AS fillsCheckedTo, state_json AS stateJson, updated_at AS updatedAt`;
const positionCols = `address_hash AS addressHash, coin, dex, level, known_level AS knownLevel,
  base_level AS baseLevel, episode_id AS episodeId, state_json AS stateJson, updated_at AS updatedAt`;

function prepare(raw: Database.Database) {
  return {
    upsertAccount: raw.prepare(
      `INSERT INTO guarded_accounts (address_hash, owner, label, mode, status, reason,
         last_success_at, last_attempt_at, fills_checked_to, state_json, updated_at)
       VALUES (@addressHash, @owner, @label, @mode, @status, @reason, @lastSuccessAt, @lastAttemptAt,
         @fillsCheckedTo, @stateJson, @updatedAt)
       ON CONFLICT(address_hash) DO UPDATE SET owner = excluded.owner, label = excluded.label,
         mode = excluded.mode,
         status = excluded.status, reason = excluded.reason, last_success_at = excluded.last_success_at,
         last_attempt_at = excluded.last_attempt_at, fills_checked_to = excluded.fills_checked_to,
         state_json = excluded.state_json, updated_at = excluded.updated_at`,
    ),
    upsertPosition: raw.prepare(
      `INSERT INTO guarded_positions (address_hash, coin, dex, level, known_level, base_level,
         episode_id, state_json, updated_at)
       VALUES (@addressHash, @coin, @dex, @level, @knownLevel, @baseLevel, @episodeId, @stateJson, @updatedAt)
       ON CONFLICT(address_hash, coin) DO UPDATE SET dex = excluded.dex, level = excluded.level,
         known_level = excluded.known_level, base_level = excluded.base_level,
         episode_id = excluded.episode_id, state_json = excluded.state_json, updated_at = excluded.updated_at`,
    ),
    deletePosition: raw.prepare(
      'DELETE FROM guarded_positions WHERE address_hash = ? AND coin = ?',
    ),
    insertLiquidation: raw.prepare(
      `INSERT OR IGNORE INTO guarded_liquidations (address_hash, tid, coin, at, fill_json)
       VALUES (@addressHash, @tid, @coin, @at, @fillJson)`,
    ),
    accountsAll: raw.prepare(`SELECT ${accountCols} FROM guarded_accounts ORDER BY label`),
    account: raw.prepare(`SELECT ${accountCols} FROM guarded_accounts WHERE address_hash = ?`),
    positionsOf: raw.prepare(
      `SELECT ${positionCols} FROM guarded_positions WHERE address_hash = ? ORDER BY coin`,
    ),
    positionsAll: raw.prepare(
      `SELECT ${positionCols} FROM guarded_positions ORDER BY address_hash, coin`,
    ),
    liquidationsOf: raw.prepare(
      `SELECT address_hash AS addressHash, tid, coin, at, fill_json AS fillJson
       FROM guarded_liquidations WHERE address_hash = ? ORDER BY at DESC LIMIT ?`,
    ),
    chainStatuses: raw.prepare(
      `SELECT c.key AS key, c.name AS name, s.status AS status
       FROM chains c JOIN chain_state s ON s.chain_id = c.chain_id`,
    ),
    marketStatus: raw.prepare(
      'SELECT status, reasons_json AS reasonsJson FROM hip3_markets WHERE coin = ?',
    ),
    // Positions first, while their account rows still say whose they are: not kept, and not
    // another owner's account's (positions without an account row go too, as before owners).
    prunePositions: raw.prepare(
      `DELETE FROM guarded_positions
       WHERE address_hash NOT IN (SELECT value FROM json_each(@keep))
         AND NOT EXISTS (SELECT 1 FROM guarded_accounts a
           WHERE a.address_hash = guarded_positions.address_hash AND a.owner <> @owner)`,
    ),
    pruneAccounts: raw.prepare(
      `DELETE FROM guarded_accounts
       WHERE owner = ? AND address_hash NOT IN (SELECT value FROM json_each(?))`,
    ),
    accountOwners: raw.prepare(
      'SELECT address_hash AS addressHash, owner FROM guarded_accounts ORDER BY address_hash',
    ),
  };
}

// Statements compiled once per connection (drizzle builders recompile per call: AGENTS.md).
const cache = new WeakMap<Database.Database, ReturnType<typeof prepare>>();
function stmts(db: Db) {
  const raw = rawOf(db);
  let s = cache.get(raw);
  if (!s) {
    s = prepare(raw);
    cache.set(raw, s);
  }
  return s;
}

/**
 * Inserts or replaces an account row, owned by `owner` (the watcher id whose config guards it;
 * default {@link LOCAL_WATCHER}).
 */
export function upsertGuardedAccount(
  db: Db,
  row: GuardedAccountRow,
  owner: string = LOCAL_WATCHER,
): void {
  stmts(db).upsertAccount.run({ ...row, owner });
}

/** Inserts or replaces a position row. */
export function upsertGuardedPosition(db: Db, row: GuardedPositionRow): void {
  stmts(db).upsertPosition.run(row);
}

/** Removes a position (closed or liquidated). */
export function deleteGuardedPosition(db: Db, addressHash: string, coin: string): void {
  stmts(db).deletePosition.run(addressHash, coin);
}

/** Records a liquidation fill; returns false when it was already recorded (no second alert). */
export function insertGuardedLiquidation(db: Db, row: GuardedLiquidationRow): boolean {
  return stmts(db).insertLiquidation.run(row).changes > 0;
}

/** Every guarded account, by label. */
export function listGuardedAccounts(db: Db): GuardedAccountRow[] {
  return stmts(db).accountsAll.all() as GuardedAccountRow[];
}

/** One account by address hash, or `null`. */
export function getGuardedAccount(db: Db, addressHash: string): GuardedAccountRow | null {
  return (stmts(db).account.get(addressHash) as GuardedAccountRow | undefined) ?? null;
}

/** The positions of one account, by coin. */
export function guardedPositionsOf(db: Db, addressHash: string): GuardedPositionRow[] {
  return stmts(db).positionsOf.all(addressHash) as GuardedPositionRow[];
}

/** Every guarded position. */
export function listGuardedPositions(db: Db): GuardedPositionRow[] {
  return stmts(db).positionsAll.all() as GuardedPositionRow[];
}

/** The latest liquidations of one account, newest first. */
export function guardedLiquidationsOf(
  db: Db,
  addressHash: string,
  limit: number,
): GuardedLiquidationRow[] {
  return stmts(db).liquidationsOf.all(addressHash, limit) as GuardedLiquidationRow[];
}

/**
 * Deletes `owner`'s accounts (and their positions) no longer in its config; other owners' accounts
 * stay (sharded mode), with their positions. Liquidations stay as history.
 *
 * @param owner whose rows may go (default {@link LOCAL_WATCHER}: a single watcher's).
 */
export function pruneGuardedAccounts(
  db: Db,
  keepHashes: readonly string[],
  owner: string = LOCAL_WATCHER,
): void {
  const keep = JSON.stringify(keepHashes);
  stmts(db).prunePositions.run({ owner, keep });
  stmts(db).pruneAccounts.run(owner, keep);
}

/** The owner of every guarded account, by address hash (sharded mode: who guards what). */
export function guardedAccountOwners(db: Db): { addressHash: string; owner: string }[] {
  return stmts(db).accountOwners.all() as { addressHash: string; owner: string }[];
}

/** Current status of every watched chain by registry key (what the halt multiplier reads). */
export function chainStatusesByKey(db: Db): { key: string; name: string; status: string }[] {
  return stmts(db).chainStatuses.all() as { key: string; name: string; status: string }[];
}

/** The HIP-3 watch's status and reason codes of one market, or `null` when it does not watch it. */
export function marketOracleStatus(
  db: Db,
  coin: string,
): { status: string; reasonCodes: string[] } | null {
  const row = stmts(db).marketStatus.get(coin) as
    | { status: string; reasonsJson: string }
    | undefined;
  if (!row) return null;
  const reasons = JSON.parse(row.reasonsJson) as { code?: unknown }[];
  return {
    status: row.status,
    reasonCodes: reasons.flatMap((r) => (typeof r.code === 'string' ? [r.code] : [])),
  };
}
