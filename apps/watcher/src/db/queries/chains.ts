import type Database from 'better-sqlite3';
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { ChainConfig } from '../../config/chainsConfig.js';
import { redactUrlSecrets } from '../../security/redactSecrets.js';
import type { ChainStateRecord } from '../../subjects/sequencer/chainStateRecord.js';
import type { Db } from '../openDb.js';
import { chainState, chains, rpcEndpoints, statusTransitions } from '../schema/chains.js';

/**
 * The chain config as stored and served: RPC URLs redacted (`redactUrlSecrets`), since the raw ones
 * may carry provider keys and the database file is no place for secrets.
 */
export function storedChainConfig(c: ChainConfig): ChainConfig {
  return { ...c, rpcUrls: c.rpcUrls.map(redactUrlSecrets) };
}

/**
 * Records the configured chains and their RPC endpoints, redacted (idempotent). An endpoint keeps
 * its health row while the redacted URL at its position stays the same; rows of endpoints no
 * longer configured are removed.
 */
export function upsertChains(db: Db, configs: readonly ChainConfig[], now: number): void {
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
      })
      .onConflictDoUpdate({
        target: chains.chainId,
        set: {
          key: c.key,
          name: c.name,
          class: c.class,
          blockTimeMs: c.blockTimeMs,
          configJson: JSON.stringify(c),
          updatedAt: now,
        },
      })
      .run();
    const stored = rpcHealthOf(db, c.chainId);
    for (const row of stored) {
      if (c.rpcUrls[row.position] !== row.url)
        db.delete(rpcEndpoints)
          .where(
            sql`${rpcEndpoints.chainId} = ${c.chainId} and ${rpcEndpoints.position} = ${row.position}`,
          )
          .run();
    }
    c.rpcUrls.forEach((url, position) => {
      db.insert(rpcEndpoints)
        .values({ chainId: c.chainId, url, position, updatedAt: now })
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

/** Removes chains no longer configured from the listing (their history stays). */
export function pruneChains(db: Db, keepChainIds: readonly number[]): void {
  const keep = new Set(keepChainIds);
  for (const r of db.select({ chainId: chains.chainId }).from(chains).all()) {
    if (!keep.has(r.chainId)) db.delete(chains).where(eq(chains.chainId, r.chainId)).run();
  }
}

/** Health of one RPC endpoint (ms timestamps). */
export type RpcHealthRow = typeof rpcEndpoints.$inferSelect;

/** RPC endpoints of a chain in configured order. */
export function rpcHealthOf(db: Db, chainId: number): RpcHealthRow[] {
  return db
    .select()
    .from(rpcEndpoints)
    .where(eq(rpcEndpoints.chainId, chainId))
    .orderBy(asc(rpcEndpoints.position))
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
  rows: readonly Omit<RpcHealthRow, 'url'>[],
): void {
  let stmt = rpcHealthStatements.get(sqlite);
  if (!stmt) {
    stmt = sqlite.prepare(
      `update rpc_endpoints set health = @health, head_number = @headNumber, latency_ms = @latencyMs,
         last_ok_at = @lastOkAt, last_error = @lastError, consecutive_failures = @consecutiveFailures,
         malformed_responses = @malformedResponses, updated_at = @updatedAt
       where chain_id = @chainId and position = @position`,
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
      position: r.position,
    });
  }
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
