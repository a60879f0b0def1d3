import { and, desc, eq, gte, sql } from 'drizzle-orm';
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

// 8 columns × 500 rows stays far below SQLite's 32,766 bound parameters.
const CHUNK = 500;

/**
 * Inserts blocks; a row already stored under the same chain + number + hash is left as it is, so
 * re-ingesting after a restart duplicates nothing. Call inside a transaction for batching.
 */
export function insertBlocks(db: Db, rows: readonly BlockRecord[]): void {
  for (let i = 0; i < rows.length; i += CHUNK) {
    db.insert(blocks)
      .values(rows.slice(i, i + CHUNK).map((r) => ({ ...r, canonical: true })))
      .onConflictDoUpdate({
        target: [blocks.chainId, blocks.number, blocks.hash],
        set: { canonical: true },
      })
      .run();
  }
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

/** Number of stored rows of a chain (tests, diagnostics). */
export function countBlocks(db: Db, chainId: number, opts?: { sinceNumber?: number }): number {
  const where =
    opts?.sinceNumber !== undefined
      ? and(eq(blocks.chainId, chainId), gte(blocks.number, opts.sinceNumber))
      : eq(blocks.chainId, chainId);
  return db.select({ n: sql<number>`count(*)` }).from(blocks).where(where).get()?.n ?? 0;
}
