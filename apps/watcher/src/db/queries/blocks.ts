import type Database from 'better-sqlite3';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../openDb.js';
import { blocks } from '../schema/chains.js';

/** A block as observed (timestamp: Unix s of the chain; seenAt: watcher ms). */
export type BlockRecord = {
  chainId: number;
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
  txCount: number;
  seenAt: number;
};

/**
 * Inserts blocks; a row already stored under the same chain + number + hash is only marked canonical
 * again, so re-ingesting after a restart duplicates nothing. One prepared statement executed per row
 * (cheaper than building a multi-row statement each time); call inside a transaction for batching.
 */
export function insertBlocks(db: Db, rows: readonly BlockRecord[]): void {
  if (rows.length === 0) return;
  const stmt = db
    .insert(blocks)
    .values({
      chainId: sql.placeholder('chainId'),
      number: sql.placeholder('number'),
      hash: sql.placeholder('hash'),
      parentHash: sql.placeholder('parentHash'),
      timestamp: sql.placeholder('timestamp'),
      txCount: sql.placeholder('txCount'),
      seenAt: sql.placeholder('seenAt'),
      canonical: true,
    })
    .onConflictDoUpdate({
      target: [blocks.chainId, blocks.number, blocks.hash],
      set: { canonical: true },
    })
    .prepare();
  for (const r of rows) stmt.run(r);
}

const rawStatements = new WeakMap<Database.Database, Database.Statement>();

/**
 * {@link insertBlocks} on the raw connection with one cached prepared statement: the ingest hot path
 * (SPEC §6, ≥ 50,000 blocks/s). Statements on the same connection join the drizzle transaction that
 * is open around them, so this stays inside `EventLog.write`'s commit.
 */
export function insertBlocksRaw(sqlite: Database.Database, rows: readonly BlockRecord[]): void {
  let stmt = rawStatements.get(sqlite);
  if (!stmt) {
    stmt = sqlite.prepare(
      `insert into blocks (chain_id, number, hash, parent_hash, timestamp, tx_count, seen_at, canonical)
       values (@chainId, @number, @hash, @parentHash, @timestamp, @txCount, @seenAt, 1)
       on conflict (chain_id, number, hash) do update set canonical = 1`,
    );
    rawStatements.set(sqlite, stmt);
  }
  for (const r of rows) stmt.run(r);
}

/** Marks stored blocks as reorged out. */
export function markNonCanonical(
  db: Db,
  params: { chainId: number; blocks: readonly { number: number; hash: string }[] },
): void {
  for (const b of params.blocks) {
    db.update(blocks)
      .set({ canonical: false })
      .where(
        and(
          eq(blocks.chainId, params.chainId),
          eq(blocks.number, b.number),
          eq(blocks.hash, b.hash),
        ),
      )
      .run();
  }
}

/** The most recent canonical blocks of a chain, newest first. */
export function recentCanonicalBlocks(db: Db, chainId: number, limit: number): BlockRecord[] {
  return db
    .select({
      chainId: blocks.chainId,
      number: blocks.number,
      hash: blocks.hash,
      parentHash: blocks.parentHash,
      timestamp: blocks.timestamp,
      txCount: blocks.txCount,
      seenAt: blocks.seenAt,
    })
    .from(blocks)
    .where(and(eq(blocks.chainId, chainId), eq(blocks.canonical, true)))
    .orderBy(desc(blocks.number))
    .limit(limit)
    .all();
}
