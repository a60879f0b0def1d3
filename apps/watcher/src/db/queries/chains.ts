import type Database from 'better-sqlite3';
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { ChainConfig } from '../../config/chainsConfig.js';
import { redactUrlSecrets } from '../../security/redactSecrets.js';
import type { ChainStateRecord } from '../../subjects/sequencer/chainStateRecord.js';
import type { Db } from '../openDb.js';
import {
  chainObservations,
  chainState,
  chains,
  LOCAL_WATCHER,
  rpcEndpoints,
  statusTransitions,
} from '../schema/chains.js';

/**
 * The chain config as stored and served: RPC URLs redacted (`redactUrlSecrets`), since the raw ones
 * may carry provider keys and the database file is no place for secrets.
 */
export function storedChainConfig(c: ChainConfig): ChainConfig {
  return { ...c, rpcUrls: c.rpcUrls.map(redactUrlSecrets) };
}

/**
 * Records the configured chains and their RPC endpoints, redacted (idempotent). Each chain's row
 * gets `owner` (taking over a chain another watcher owned: sharded mode has one owner per chain —
 * check {@link chainOwners} first); the endpoint rows written and cleaned are `observer`'s only. An
 * endpoint keeps its health row while the redacted URL at its position stays the same; rows of
 * `observer`'s endpoints no longer configured are removed.
 *
 * @param owner the watcher id whose config holds these chains (default {@link LOCAL_WATCHER}).
 * @param observer the watcher id probing the endpoints (default: `owner`).
 */
export function upsertChains(
  db: Db,
  configs: readonly ChainConfig[],
  now: number,
  owner: string = LOCAL_WATCHER,
  observer: string = owner,
): void {
  for (const config of configs) {
    const c = storedChainConfig(config);
    db.insert(chains)
      .values({
        chainId: c.chainId,
        key: c.key,
        name: c.name,
        class: c.class,
        blockTimeMs: c.blockTimeMs,
        configJson: JSON.stringify(c),
        updatedAt: now,
        owner,
      })
      .onConflictDoUpdate({
        target: chains.chainId,
        set: {
          owner,
          key: c.key,
          name: c.name,
          class: c.class,
          blockTimeMs: c.blockTimeMs,
          configJson: JSON.stringify(c),
          updatedAt: now,
        },
      })
      .run();
    const stored = rpcHealthOf(db, c.chainId, observer);
    for (const row of stored) {
      if (c.rpcUrls[row.position] !== row.url)
        db.delete(rpcEndpoints)
          .where(
            sql`${rpcEndpoints.chainId} = ${c.chainId} and ${rpcEndpoints.observer} = ${observer}
              and ${rpcEndpoints.position} = ${row.position}`,
          )
          .run();
    }
    c.rpcUrls.forEach((url, position) => {
      db.insert(rpcEndpoints)
        .values({ chainId: c.chainId, observer, url, position, updatedAt: now })
        .onConflictDoNothing()
        .run();
    });
  }
}

/** The persisted state of a chain, or `null` before its first poll. */
export function readChainState(db: Db, chainId: number): ChainStateRecord | null {
  const row = db.select().from(chainState).where(eq(chainState.chainId, chainId)).get();
  return row ? (JSON.parse(row.stateJson) as ChainStateRecord) : null;
}

const chainStateStatements = new WeakMap<Database.Database, Database.Statement>();

/**
 * Replaces the persisted state of a chain: the table's one write path, on the raw connection with
 * one cached prepared statement (every chain, every poll). Joins the drizzle transaction open around
 * it on the same connection.
 */
export function writeChainState(sqlite: Database.Database, state: ChainStateRecord): void {
  let stmt = chainStateStatements.get(sqlite);
  if (!stmt) {
    stmt = sqlite.prepare(
      `insert into chain_state (chain_id, status, status_since, state_json, updated_at)
       values (@chainId, @status, @statusSince, @stateJson, @updatedAt)
       on conflict (chain_id) do update set status = excluded.status,
         status_since = excluded.status_since, state_json = excluded.state_json,
         updated_at = excluded.updated_at`,
    );
    chainStateStatements.set(sqlite, stmt);
  }
  stmt.run({
    chainId: state.chainId,
    status: state.status,
    statusSince: state.statusSince,
    stateJson: JSON.stringify(state),
    updatedAt: state.updatedAt,
  });
}

// The API reads every chain on every request (SPEC §6: /v1/chains p99 < 10 ms at 1,000 req/s) while
// each row changes at most once per poll: reuse the parsed object while the stored JSON is the same.
const parsed = new Map<string, { json: string; value: unknown }>();
function parseMemo<T>(key: string, json: string): T {
  const hit = parsed.get(key);
  if (hit && hit.json === json) return hit.value as T;
  const value = JSON.parse(json) as T;
  parsed.set(key, { json, value });
  return value;
}
const toRow = (r: { configJson: string; stateJson: string | null }, chainId: number): ChainRow => ({
  config: parseMemo<ChainConfig>(`c${chainId}`, r.configJson),
  state: r.stateJson ? parseMemo<ChainStateRecord>(`s${chainId}`, r.stateJson) : null,
});

function prepareList(db: Db) {
  return db
    .select({
      chainId: chains.chainId,
      configJson: chains.configJson,
      stateJson: chainState.stateJson,
    })
    .from(chains)
    .leftJoin(chainState, eq(chainState.chainId, chains.chainId))
    .orderBy(asc(chains.chainId))
    .prepare();
}
const listStatements = new WeakMap<Db, ReturnType<typeof prepareList>>();

/** A watched chain with its configuration and current state (for the API; treat as read-only). */
export type ChainRow = { config: ChainConfig; state: ChainStateRecord | null };

/** Every chain in the configuration of the last start, ordered by chain id. */
export function listChains(db: Db): ChainRow[] {
  let stmt = listStatements.get(db);
  if (!stmt) {
    stmt = prepareList(db);
    listStatements.set(db, stmt);
  }
  return stmt.all().map((r) => toRow(r, r.chainId));
}

/** The ids of every chain in the configuration of the last start, ascending. */
export function listChainIds(db: Db): number[] {
  return db
    .select({ chainId: chains.chainId })
    .from(chains)
    .orderBy(asc(chains.chainId))
    .all()
    .map((r) => r.chainId);
}

/** One chain, or `null` when it is not watched. */
export function getChain(db: Db, chainId: number): ChainRow | null {
  const r = db
    .select({ configJson: chains.configJson, stateJson: chainState.stateJson })
    .from(chains)
    .leftJoin(chainState, eq(chainState.chainId, chains.chainId))
    .where(eq(chains.chainId, chainId))
    .get();
  return r ? toRow(r, chainId) : null;
}

/**
 * Removes `owner`'s chains no longer configured from the listing (their history stays). Chains of
 * other owners stay: with several watchers on one database (sharded mode) each prunes only its own.
 *
 * @param owner whose rows may go (default {@link LOCAL_WATCHER}: a single watcher's).
 */
export function pruneChains(
  db: Db,
  keepChainIds: readonly number[],
  owner: string = LOCAL_WATCHER,
): void {
  const keep = new Set(keepChainIds);
  for (const r of db
    .select({ chainId: chains.chainId })
    .from(chains)
    .where(eq(chains.owner, owner))
    .all()) {
    if (!keep.has(r.chainId))
      db.delete(chains)
        .where(and(eq(chains.chainId, r.chainId), eq(chains.owner, owner)))
        .run();
  }
}

/** Which watcher owns each listed chain (sharded mode: detect a chain another watcher holds). */
export type ChainOwnerRow = { chainId: number; owner: string };

/** The owner of every listed chain, ordered by chain id. */
export function chainOwners(db: Db): ChainOwnerRow[] {
  return db
    .select({ chainId: chains.chainId, owner: chains.owner })
    .from(chains)
    .orderBy(asc(chains.chainId))
    .all();
}

/** Health of one RPC endpoint as one observer sees it (ms timestamps). */
export type RpcHealthRow = typeof rpcEndpoints.$inferSelect;

/**
 * RPC endpoints of a chain as `observer` sees them (default {@link LOCAL_WATCHER}), in configured
 * order.
 */
export function rpcHealthOf(
  db: Db,
  chainId: number,
  observer: string = LOCAL_WATCHER,
): RpcHealthRow[] {
  return db
    .select()
    .from(rpcEndpoints)
    .where(and(eq(rpcEndpoints.chainId, chainId), eq(rpcEndpoints.observer, observer)))
    .orderBy(asc(rpcEndpoints.position))
    .all();
}

/**
 * RPC endpoints of a chain as every observer sees them (redundant mode), by position then observer.
 */
export function rpcHealthByObserver(db: Db, chainId: number): RpcHealthRow[] {
  return db
    .select()
    .from(rpcEndpoints)
    .where(eq(rpcEndpoints.chainId, chainId))
    .orderBy(asc(rpcEndpoints.position), asc(rpcEndpoints.observer))
    .all();
}

const rpcHealthStatements = new WeakMap<Database.Database, Database.Statement>();

/**
 * Writes the latest health of RPC endpoints: the one write path of these columns, on the raw
 * connection with one cached prepared statement: every chain
 * writes one row per RPC every poll, and the drizzle builder spent most of that time building and
 * compiling the same SQL again. Statements on the same connection join the drizzle transaction open
 * around them, so this stays inside `EventLog.write`'s commit.
 */
export function updateRpcHealth(
  sqlite: Database.Database,
  rows: readonly Omit<RpcHealthRow, 'url' | 'observer'>[],
  observer: string = LOCAL_WATCHER,
): void {
  let stmt = rpcHealthStatements.get(sqlite);
  if (!stmt) {
    stmt = sqlite.prepare(
      `update rpc_endpoints set health = @health, head_number = @headNumber, latency_ms = @latencyMs,
         last_ok_at = @lastOkAt, last_error = @lastError, consecutive_failures = @consecutiveFailures,
         malformed_responses = @malformedResponses, updated_at = @updatedAt
       where chain_id = @chainId and observer = @observer and position = @position`,
    );
    rpcHealthStatements.set(sqlite, stmt);
  }
  for (const r of rows) {
    stmt.run({
      health: r.health,
      headNumber: r.headNumber,
      latencyMs: r.latencyMs,
      lastOkAt: r.lastOkAt,
      lastError: r.lastError,
      consecutiveFailures: r.consecutiveFailures,
      malformedResponses: r.malformedResponses,
      updatedAt: r.updatedAt,
      chainId: r.chainId,
      observer,
      position: r.position,
    });
  }
}

/**
 * One observer's latest evaluation of a chain (redundant mode). The fields the quorum reads
 * (`observer`, `at`, `status`, `headNumber`, `headSeenAt`) make it an `ObserverEvaluation` of
 * `src/cluster/observerQuorum.ts`; `state` is the observer's full record, served when it is chosen.
 */
export type ChainObservation = {
  chainId: number;
  observer: string;
  /** When it evaluated, ms (observer's clock). */
  at: number;
  /** `null` when the observer has no evaluation of the chain yet. */
  status: ChainStateRecord['status'] | null;
  headNumber: number | null;
  headSeenAt: number | null;
  state: ChainStateRecord;
};

const observationStatements = new WeakMap<Database.Database, Database.Statement>();

/** The better-sqlite3 connection under `db` — the database or a transaction on it (same connection). */
const rawOf = (db: Db) =>
  (db as unknown as { $client?: Database.Database; session: { client: Database.Database } })
    .$client ?? (db as unknown as { session: { client: Database.Database } }).session.client;

/**
 * Replaces `obs.observer`'s observation of `obs.chainId` (hot path: every observer, every chain,
 * every poll): one cached prepared statement on the connection under `db`, so it joins the
 * transaction open on it.
 */
export function writeChainObservation(db: Db, obs: ChainObservation): void {
  const sqlite = rawOf(db);
  let stmt = observationStatements.get(sqlite);
  if (!stmt) {
    stmt = sqlite.prepare(
      `insert into chain_observations
         (chain_id, observer, at, status, head_number, head_seen_at, state_json)
       values (@chainId, @observer, @at, @status, @headNumber, @headSeenAt, @stateJson)
       on conflict (chain_id, observer) do update set at = excluded.at, status = excluded.status,
         head_number = excluded.head_number, head_seen_at = excluded.head_seen_at,
         state_json = excluded.state_json`,
    );
    observationStatements.set(sqlite, stmt);
  }
  stmt.run({
    chainId: obs.chainId,
    observer: obs.observer,
    at: obs.at,
    status: obs.status,
    headNumber: obs.headNumber,
    headSeenAt: obs.headSeenAt,
    stateJson: JSON.stringify(obs.state),
  });
}

const toObservation = (r: typeof chainObservations.$inferSelect): ChainObservation => ({
  chainId: r.chainId,
  observer: r.observer,
  at: r.at,
  status: r.status as ChainObservation['status'],
  headNumber: r.headNumber,
  headSeenAt: r.headSeenAt,
  state: JSON.parse(r.stateJson) as ChainStateRecord,
});

/** Every observer's latest observation of a chain, by observer id (the quorum's input). */
export function chainObservationsOf(db: Db, chainId: number): ChainObservation[] {
  return db
    .select()
    .from(chainObservations)
    .where(eq(chainObservations.chainId, chainId))
    .orderBy(asc(chainObservations.observer))
    .all()
    .map(toObservation);
}

/** Every observation of every chain, by chain id then observer (one read for a combining pass). */
export function listChainObservations(db: Db): ChainObservation[] {
  return db
    .select()
    .from(chainObservations)
    .orderBy(asc(chainObservations.chainId), asc(chainObservations.observer))
    .all()
    .map(toObservation);
}

/**
 * Deletes observations made before `olderThanMs` (observers gone or chains no longer watched;
 * a live observer rewrites its rows every poll). Returns how many rows were deleted.
 */
export function pruneChainObservations(db: Db, p: { olderThanMs: number }): number {
  return db.delete(chainObservations).where(lt(chainObservations.at, p.olderThanMs)).run().changes;
}

/** Appends a status transition. */
export function insertTransition(db: Db, t: typeof statusTransitions.$inferInsert): void {
  db.insert(statusTransitions).values(t).run();
}

/** The latest transitions of a chain, newest first. */
export function recentTransitions(db: Db, chainId: number, limit: number) {
  return db
    .select()
    .from(statusTransitions)
    .where(eq(statusTransitions.chainId, chainId))
    .orderBy(desc(statusTransitions.id))
    .limit(limit)
    .all();
}
