import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { ChainConfig } from '../../../config/chainsConfig.js';
import type { ChainStateRecord } from '../../../subjects/sequencer/chainStateRecord.js';
import {
  type ChainObservation,
  type ChainOwnerRow,
  type ChainRow,
  type RpcHealthRow,
  type recentTransitions as sqliteRecentTransitions,
  storedChainConfig,
} from '../../queries/chains.js';
import {
  LOCAL_WATCHER,
  type statusTransitions as sqliteStatusTransitions,
} from '../../schema/chains.js';
import type { PgDb } from '../openPgDb.js';
import {
  chainObservations,
  chainState,
  chains,
  rpcEndpoints,
  statusTransitions,
} from '../schema/chains.js';

/**
 * PostgreSQL twins of `src/db/queries/chains.ts` (issue 17): same names, same parameters after the
 * first, same results, as async functions taking a {@link PgDb} (the pool, or one client inside
 * `withPgTransaction`). `storedChainConfig` is pure: use the SQLite module's (these call it too).
 *
 * The SQLite hot paths `writeChainState` and `updateRpcHealth` (raw prepared statements on the
 * better-sqlite3 connection, every chain every poll) are here one named prepared statement each
 * (node-postgres prepares it once per connection): one round trip per call, whatever the number of
 * RPC rows.
 */

export type { ChainObservation, ChainOwnerRow, ChainRow, RpcHealthRow };

/** Mirrors SQLite `upsertChains`: one row per chain id, the last config of a repeated id wins. */
function lastPerChain(configs: readonly ChainConfig[]): ChainConfig[] {
  const byId = new Map<number, ChainConfig>();
  for (const c of configs) {
    byId.delete(c.chainId); // keep the position of the last occurrence, as sequential writes would
    byId.set(c.chainId, c);
  }
  return [...byId.values()];
}

/**
 * Records the configured chains, owned by `owner`, and `observer`'s rows of their RPC endpoints,
 * redacted (idempotent). An endpoint keeps its health row while the redacted URL at its position
 * stays the same; `observer`'s rows of endpoints no longer configured are removed (twin of SQLite
 * `upsertChains`; three statements whatever the number of chains: run it inside
 * `withPgTransaction` to apply it atomically).
 */
export async function upsertChains(
  q: PgDb,
  configs: readonly ChainConfig[],
  now: number,
  owner: string = LOCAL_WATCHER,
  observer: string = owner,
): Promise<void> {
  const stored = lastPerChain(configs).map(storedChainConfig);
  if (stored.length === 0) return;
  await q
    .insert(chains)
    .values(
      stored.map((c) => ({
        chainId: c.chainId,
        key: c.key,
        name: c.name,
        class: c.class,
        blockTimeMs: c.blockTimeMs,
        configJson: JSON.stringify(c),
        updatedAt: now,
        owner,
      })),
    )
    .onConflictDoUpdate({
      target: chains.chainId,
      set: {
        owner: sql`excluded.owner`,
        key: sql`excluded.key`,
        name: sql`excluded.name`,
        class: sql`excluded.class`,
        blockTimeMs: sql`excluded.block_time_ms`,
        configJson: sql`excluded.config_json`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
  const endpoints = stored.flatMap((c) =>
    c.rpcUrls.map((url, position) => ({
      chainId: c.chainId,
      observer,
      url,
      position,
      updatedAt: now,
    })),
  );
  // Stored endpoints of these chains whose redacted URL at their position changed, or whose
  // position is no longer configured, lose their health row.
  await q.$client.query(
    `delete from rpc_endpoints r
     where r.chain_id = any($1::bigint[]) and r.observer = $5
       and not exists (
         select 1 from unnest($2::bigint[], $3::integer[], $4::text[]) as u(chain_id, position, url)
         where u.chain_id = r.chain_id and u.position = r.position and u.url = r.url)`,
    [
      stored.map((c) => c.chainId),
      endpoints.map((e) => e.chainId),
      endpoints.map((e) => e.position),
      endpoints.map((e) => e.url),
      observer,
    ],
  );
  if (endpoints.length > 0) await q.insert(rpcEndpoints).values(endpoints).onConflictDoNothing();
}

/** The persisted state of a chain, or `null` before its first poll. */
export async function readChainState(q: PgDb, chainId: number): Promise<ChainStateRecord | null> {
  const [row] = await q
    .select({ stateJson: chainState.stateJson })
    .from(chainState)
    .where(eq(chainState.chainId, chainId));
  return row ? (JSON.parse(row.stateJson) as ChainStateRecord) : null;
}

/**
 * Replaces the persisted state of a chain (twin of SQLite `writeChainState`, which takes the raw
 * better-sqlite3 connection): one named prepared statement, every chain, every poll. Joins the
 * transaction of `q` when `q` is bound to a transaction's client.
 */
export async function writeChainState(q: PgDb, state: ChainStateRecord): Promise<void> {
  await q.$client.query({
    name: 'perpscope_chains_write_state_v1',
    text: `insert into chain_state (chain_id, status, status_since, state_json, updated_at)
           values ($1, $2, $3, $4, $5)
           on conflict (chain_id) do update set status = excluded.status,
             status_since = excluded.status_since, state_json = excluded.state_json,
             updated_at = excluded.updated_at`,
    values: [
      state.chainId,
      state.status,
      state.statusSince,
      JSON.stringify(state),
      state.updatedAt,
    ],
  });
}

// As in the SQLite module: the API reads every chain on every request while each row changes at
// most once per poll, so the parsed object is reused while the stored JSON is the same.
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

/** Every chain in the configuration of the last start, ordered by chain id (treat as read-only). */
export async function listChains(q: PgDb): Promise<ChainRow[]> {
  const rows = await q
    .select({
      chainId: chains.chainId,
      configJson: chains.configJson,
      stateJson: chainState.stateJson,
    })
    .from(chains)
    .leftJoin(chainState, eq(chainState.chainId, chains.chainId))
    .orderBy(asc(chains.chainId));
  return rows.map((r) => toRow(r, r.chainId));
}

/** The ids of every chain in the configuration of the last start, ascending. */
export async function listChainIds(q: PgDb): Promise<number[]> {
  const rows = await q
    .select({ chainId: chains.chainId })
    .from(chains)
    .orderBy(asc(chains.chainId));
  return rows.map((r) => r.chainId);
}

/** One chain, or `null` when it is not watched. */
export async function getChain(q: PgDb, chainId: number): Promise<ChainRow | null> {
  const [r] = await q
    .select({ configJson: chains.configJson, stateJson: chainState.stateJson })
    .from(chains)
    .leftJoin(chainState, eq(chainState.chainId, chains.chainId))
    .where(eq(chains.chainId, chainId));
  return r ? toRow(r, chainId) : null;
}

/**
 * Removes `owner`'s chains no longer configured from the listing (their history stays); other
 * owners' chains stay. One statement.
 */
export async function pruneChains(
  q: PgDb,
  keepChainIds: readonly number[],
  owner: string = LOCAL_WATCHER,
): Promise<void> {
  await q.$client.query('delete from chains where owner = $2 and chain_id <> all($1::bigint[])', [
    [...keepChainIds],
    owner,
  ]);
}

/** The owner of every listed chain, ordered by chain id (twin of SQLite `chainOwners`). */
export async function chainOwners(q: PgDb): Promise<ChainOwnerRow[]> {
  return q
    .select({ chainId: chains.chainId, owner: chains.owner })
    .from(chains)
    .orderBy(asc(chains.chainId));
}

/** RPC endpoints of a chain as `observer` sees them (default `local`), in configured order. */
export async function rpcHealthOf(
  q: PgDb,
  chainId: number,
  observer: string = LOCAL_WATCHER,
): Promise<RpcHealthRow[]> {
  return q
    .select()
    .from(rpcEndpoints)
    .where(and(eq(rpcEndpoints.chainId, chainId), eq(rpcEndpoints.observer, observer)))
    .orderBy(asc(rpcEndpoints.position));
}

/** RPC endpoints of a chain as every observer sees them, by position then observer (byte order). */
export async function rpcHealthByObserver(q: PgDb, chainId: number): Promise<RpcHealthRow[]> {
  return q
    .select()
    .from(rpcEndpoints)
    .where(eq(rpcEndpoints.chainId, chainId))
    .orderBy(asc(rpcEndpoints.position), sql`${rpcEndpoints.observer} collate "C"`);
}

/**
 * Writes the latest health of RPC endpoints (twin of SQLite `updateRpcHealth`, which takes the raw
 * better-sqlite3 connection and runs one cached statement per row): here one named prepared
 * `update … from unnest(…)` for all rows. Rows address an existing endpoint by chain + position;
 * others change nothing. When a chain + position repeats, the last row wins, as sequential updates
 * would leave it.
 */
export async function updateRpcHealth(
  q: PgDb,
  rows: readonly Omit<RpcHealthRow, 'url' | 'observer'>[],
  observer: string = LOCAL_WATCHER,
): Promise<void> {
  if (rows.length === 0) return;
  const last = new Map<string, Omit<RpcHealthRow, 'url' | 'observer'>>();
  for (const r of rows) last.set(`${r.chainId}:${r.position}`, r);
  const u = last.size === rows.length ? rows : [...last.values()];
  await q.$client.query({
    name: 'perpscope_chains_update_rpc_health_v2',
    text: `update rpc_endpoints r set health = u.health, head_number = u.head_number,
             latency_ms = u.latency_ms, last_ok_at = u.last_ok_at, last_error = u.last_error,
             consecutive_failures = u.consecutive_failures,
             malformed_responses = u.malformed_responses, updated_at = u.updated_at
           from unnest($1::bigint[], $2::integer[], $3::text[], $4::bigint[], $5::integer[],
                       $6::bigint[], $7::text[], $8::integer[], $9::integer[], $10::bigint[])
             as u(chain_id, position, health, head_number, latency_ms, last_ok_at, last_error,
                  consecutive_failures, malformed_responses, updated_at)
           where r.chain_id = u.chain_id and r.observer = $11 and r.position = u.position`,
    values: [
      u.map((r) => r.chainId),
      u.map((r) => r.position),
      u.map((r) => r.health),
      u.map((r) => r.headNumber),
      u.map((r) => r.latencyMs),
      u.map((r) => r.lastOkAt),
      u.map((r) => r.lastError),
      u.map((r) => r.consecutiveFailures),
      u.map((r) => r.malformedResponses),
      u.map((r) => r.updatedAt),
      observer,
    ],
  });
}

/**
 * Replaces `obs.observer`'s observation of `obs.chainId` (twin of SQLite `writeChainObservation`):
 * one named prepared statement, every observer, every chain, every poll.
 */
export async function writeChainObservation(q: PgDb, obs: ChainObservation): Promise<void> {
  await q.$client.query({
    name: 'perpscope_chains_write_observation_v1',
    text: `insert into chain_observations
             (chain_id, observer, at, status, head_number, head_seen_at, state_json)
           values ($1, $2, $3, $4, $5, $6, $7)
           on conflict (chain_id, observer) do update set at = excluded.at,
             status = excluded.status, head_number = excluded.head_number,
             head_seen_at = excluded.head_seen_at, state_json = excluded.state_json`,
    values: [
      obs.chainId,
      obs.observer,
      obs.at,
      obs.status,
      obs.headNumber,
      obs.headSeenAt,
      JSON.stringify(obs.state),
    ],
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

/** Every observer's latest observation of a chain, by observer id (byte order, as SQLite). */
export async function chainObservationsOf(q: PgDb, chainId: number): Promise<ChainObservation[]> {
  const rows = await q
    .select()
    .from(chainObservations)
    .where(eq(chainObservations.chainId, chainId))
    .orderBy(sql`${chainObservations.observer} collate "C"`);
  return rows.map(toObservation);
}

/** Every observation of every chain, by chain id then observer (twin of SQLite's). */
export async function listChainObservations(q: PgDb): Promise<ChainObservation[]> {
  const rows = await q
    .select()
    .from(chainObservations)
    .orderBy(asc(chainObservations.chainId), sql`${chainObservations.observer} collate "C"`);
  return rows.map(toObservation);
}

/** Deletes observations made before `olderThanMs`; returns how many (twin of SQLite's). */
export async function pruneChainObservations(q: PgDb, p: { olderThanMs: number }): Promise<number> {
  const gone = await q
    .delete(chainObservations)
    .where(lt(chainObservations.at, p.olderThanMs))
    .returning({ chainId: chainObservations.chainId });
  return gone.length;
}

/** Appends a status transition (the id comes from the identity column unless given). */
export async function insertTransition(
  q: PgDb,
  t: typeof sqliteStatusTransitions.$inferInsert,
): Promise<void> {
  await q.insert(statusTransitions).values(t);
}

/** The latest transitions of a chain, newest first. */
export async function recentTransitions(
  q: PgDb,
  chainId: number,
  limit: number,
): Promise<ReturnType<typeof sqliteRecentTransitions>> {
  return q
    .select()
    .from(statusTransitions)
    .where(eq(statusTransitions.chainId, chainId))
    .orderBy(desc(statusTransitions.id))
    .limit(limit);
}
