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

const rawStatements = new WeakMap<Database.Database, Database.Statement>();

/**
 * Inserts blocks; a row already stored under the same chain + number + hash is only marked canonical
 * again, so re-ingesting after a restart duplicates nothing. The table's one insert path, on the raw
 * connection with one cached prepared statement: the ingest hot path (SPEC §6, ≥ 50,000 blocks/s;
 * a drizzle builder per row cost ~100 µs). Statements on the same connection join the drizzle transaction that
 * is open around them, so this stays inside `EventLog.write`'s commit.
 */
export function insertBlocks(sqlite: Database.Database, rows: readonly BlockRecord[]): void {
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

/**
 * Watcher time (ms) of the newest canonical block first seen before `beforeMs`, or `null`: the head
 * a chart window starts from.
 */
export function lastCanonicalSeenBefore(db: Db, p: { chainId: number; beforeMs: number }) {
  return (
    db.get<{ seen_at: number | null } | undefined>(
      sql`SELECT max(seen_at) AS seen_at FROM blocks WHERE chain_id = ${p.chainId} AND canonical = 1 AND seen_at < ${p.beforeMs}`,
    )?.seen_at ?? null
  );
}

/**
 * When each canonical block height in `[fromMs, toMs]` was first seen (watcher ms), oldest first;
 * one range scan of `blocks_chain_seen`.
 */
export function canonicalHeadTimes(
  db: Db,
  p: { chainId: number; fromMs: number; toMs: number },
): number[] {
  return db
    .all<{ seen_at: number }>(
      sql`SELECT min(seen_at) AS seen_at FROM blocks
          WHERE chain_id = ${p.chainId} AND canonical = 1 AND seen_at >= ${p.fromMs} AND seen_at <= ${p.toMs}
          GROUP BY number ORDER BY seen_at`,
    )
    .map((r) => r.seen_at);
}

/** Watcher time (ms) of the first block stored for a chain, or `null` when none is. */
export function firstSeenAt(db: Db, chainId: number): number | null {
  return (
    db.get<{ t: number | null }>(
      sql`SELECT min(seen_at) AS t FROM blocks WHERE chain_id = ${chainId}`,
    )?.t ?? null
  );
}
