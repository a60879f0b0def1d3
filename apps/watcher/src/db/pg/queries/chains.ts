import { asc, desc, eq, sql } from 'drizzle-orm';
import type { ChainConfig } from '../../../config/chainsConfig.js';
import type { ChainStateRecord } from '../../../subjects/sequencer/chainStateRecord.js';
import {
  type ChainRow,
  type RpcHealthRow,
  type recentTransitions as sqliteRecentTransitions,
  storedChainConfig,
} from '../../queries/chains.js';
import type { statusTransitions as sqliteStatusTransitions } from '../../schema/chains.js';
import type { PgDb } from '../openPgDb.js';
import { chainState, chains, rpcEndpoints, statusTransitions } from '../schema/chains.js';

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

export type { ChainRow, RpcHealthRow };

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
 * Records the configured chains and their RPC endpoints, redacted (idempotent). An endpoint keeps
 * its health row while the redacted URL at its position stays the same; rows of endpoints no
 * longer configured are removed (twin of SQLite `upsertChains`; three statements whatever the
 * number of chains: run it inside `withPgTransaction` to apply it atomically).
 */
export async function upsertChains(
  q: PgDb,
  configs: readonly ChainConfig[],
  now: number,
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
      })),
    )
    .onConflictDoUpdate({
      target: chains.chainId,
      set: {
        key: sql`excluded.key`,
        name: sql`excluded.name`,
        class: sql`excluded.class`,
        blockTimeMs: sql`excluded.block_time_ms`,
        configJson: sql`excluded.config_json`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
  const endpoints = stored.flatMap((c) =>
    c.rpcUrls.map((url, position) => ({ chainId: c.chainId, url, position, updatedAt: now })),
  );
  // Stored endpoints of these chains whose redacted URL at their position changed, or whose
  // position is no longer configured, lose their health row.
  await q.$client.query(
    `delete from rpc_endpoints r
     where r.chain_id = any($1::bigint[])
       and not exists (
         select 1 from unnest($2::bigint[], $3::integer[], $4::text[]) as u(chain_id, position, url)
         where u.chain_id = r.chain_id and u.position = r.position and u.url = r.url)`,
    [
      stored.map((c) => c.chainId),
      endpoints.map((e) => e.chainId),
      endpoints.map((e) => e.position),
      endpoints.map((e) => e.url),
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

/** Removes chains no longer configured from the listing (their history stays); one statement. */
export async function pruneChains(q: PgDb, keepChainIds: readonly number[]): Promise<void> {
  await q.$client.query('delete from chains where chain_id <> all($1::bigint[])', [
    [...keepChainIds],
  ]);
}

/** RPC endpoints of a chain in configured order. */
export async function rpcHealthOf(q: PgDb, chainId: number): Promise<RpcHealthRow[]> {
  return q
    .select()
    .from(rpcEndpoints)
    .where(eq(rpcEndpoints.chainId, chainId))
    .orderBy(asc(rpcEndpoints.position));
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
  rows: readonly Omit<RpcHealthRow, 'url'>[],
): Promise<void> {
  if (rows.length === 0) return;
  const last = new Map<string, Omit<RpcHealthRow, 'url'>>();
  for (const r of rows) last.set(`${r.chainId}:${r.position}`, r);
  const u = last.size === rows.length ? rows : [...last.values()];
  await q.$client.query({
    name: 'perpscope_chains_update_rpc_health_v1',
    text: `update rpc_endpoints r set health = u.health, head_number = u.head_number,
             latency_ms = u.latency_ms, last_ok_at = u.last_ok_at, last_error = u.last_error,
             consecutive_failures = u.consecutive_failures,
             malformed_responses = u.malformed_responses, updated_at = u.updated_at
           from unnest($1::bigint[], $2::integer[], $3::text[], $4::bigint[], $5::integer[],
                       $6::bigint[], $7::text[], $8::integer[], $9::integer[], $10::bigint[])
             as u(chain_id, position, health, head_number, latency_ms, last_ok_at, last_error,
                  consecutive_failures, malformed_responses, updated_at)
           where r.chain_id = u.chain_id and r.position = u.position`,
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
    ],
  });
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
