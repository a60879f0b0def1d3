import { and, desc, eq } from 'drizzle-orm';
import type { BlockRecord } from '../../queries/blocks.js';
import type { PgDb } from '../openPgDb.js';
import { blocks } from '../schema/chains.js';

/**
 * PostgreSQL twins of `src/db/queries/blocks.ts` (issue 17): same names, same parameters after the
 * first, same results, as async functions taking a {@link PgDb} (the pool, or one client inside
 * `withPgTransaction`). Batches are one statement over `unnest` arrays (a fixed text, so one named
 * prepared statement per connection), never a round trip per row.
 */

export type { BlockRecord };

/** `seen_at` etc. come back from raw SQL as strings (bigint) or null. */
const numberOrNull = (v: string | number | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

/**
 * Inserts blocks; a row already stored under the same chain + number + hash is only marked canonical
 * again (its other columns keep their first values), so re-ingesting after a restart duplicates
 * nothing. Twin of SQLite `insertBlocks` (which takes the raw better-sqlite3 connection and runs
 * one cached statement per row): here one named prepared `insert … select from unnest(…) on
 * conflict` for the whole batch, the ingest hot path. A chain + number + hash repeated within the
 * batch is stored once with its first values, as sequential inserts would leave it (PostgreSQL
 * refuses to update one row twice in a statement). Joins the transaction `q` is bound to.
 */
export async function insertBlocks(q: PgDb, rows: readonly BlockRecord[]): Promise<void> {
  if (rows.length === 0) return;
  const batch = firstOfEachKey(rows);
  const n = batch.length;
  const chainId = new Array<number>(n);
  const number = new Array<number>(n);
  const hash = new Array<string>(n);
  const parentHash = new Array<string>(n);
  const timestamp = new Array<number>(n);
  const txCount = new Array<number>(n);
  const seenAt = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const r = batch[i]!;
    chainId[i] = r.chainId;
    number[i] = r.number;
    hash[i] = r.hash;
    parentHash[i] = r.parentHash;
    timestamp[i] = r.timestamp;
    txCount[i] = r.txCount;
    seenAt[i] = r.seenAt;
  }
  await q.$client.query({
    name: 'perpscope_blocks_insert_v1',
    // `where not b.canonical`: a row already canonical is left alone (same result as SQLite's
    // unconditional `set canonical = 1`, without rewriting the row on every re-ingest).
    text: `insert into blocks as b (chain_id, number, hash, parent_hash, timestamp, tx_count, seen_at, canonical)
           select u.*, true from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[],
                                        $5::bigint[], $6::integer[], $7::bigint[]) as u
           on conflict (chain_id, number, hash) do update set canonical = true
             where not b.canonical`,
    values: [chainId, number, hash, parentHash, timestamp, txCount, seenAt],
  });
}

/** `rows` without later repeats of a chain + number + hash (the same array when there are none). */
function firstOfEachKey(rows: readonly BlockRecord[]): readonly BlockRecord[] {
  const seen = new Set<string>();
  let out: BlockRecord[] | null = null;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const key = `${r.chainId}:${r.number}:${r.hash}`;
    if (seen.has(key)) {
      out ??= rows.slice(0, i);
      continue;
    }
    seen.add(key);
    out?.push(r);
  }
  return out ?? rows;
}

/** Marks stored blocks as reorged out (one statement for all of them). */
export async function markNonCanonical(
  q: PgDb,
  params: { chainId: number; blocks: readonly { number: number; hash: string }[] },
): Promise<void> {
  if (params.blocks.length === 0) return;
  await q.$client.query({
    name: 'perpscope_blocks_mark_non_canonical_v1',
    text: `update blocks set canonical = false
           where chain_id = $1
             and (number, hash) in (select * from unnest($2::bigint[], $3::text[]))`,
    values: [params.chainId, params.blocks.map((b) => b.number), params.blocks.map((b) => b.hash)],
  });
}

/** The most recent canonical blocks of a chain, newest first. */
export async function recentCanonicalBlocks(
  q: PgDb,
  chainId: number,
  limit: number,
): Promise<BlockRecord[]> {
  return q
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
    .limit(limit);
}

/**
 * Watcher time (ms) of the newest canonical block first seen before `beforeMs`, or `null`: the head
 * a chart window starts from.
 */
export async function lastCanonicalSeenBefore(
  q: PgDb,
  p: { chainId: number; beforeMs: number },
): Promise<number | null> {
  const r = await q.$client.query<{ seen_at: string | null }>(
    'select max(seen_at) as seen_at from blocks where chain_id = $1 and canonical and seen_at < $2',
    // `seen_at` is an integer: `< ceil(x)` selects the same rows as `< x`, and a fractional bound
    // would not parse as a bigint parameter (SQLite compares it as a real).
    [p.chainId, Math.ceil(p.beforeMs)],
  );
  return numberOrNull(r.rows[0]?.seen_at);
}

/**
 * When each canonical block height in `[fromMs, toMs]` was first seen (watcher ms), oldest first;
 * one range scan of `blocks_chain_seen`.
 */
export async function canonicalHeadTimes(
  q: PgDb,
  p: { chainId: number; fromMs: number; toMs: number },
): Promise<number[]> {
  const r = await q.$client.query<{ seen_at: string }>(
    `select min(seen_at) as seen_at from blocks
     where chain_id = $1 and canonical and seen_at >= $2 and seen_at <= $3
     group by number order by min(seen_at)`,
    [p.chainId, Math.ceil(p.fromMs), Math.floor(p.toMs)], // as in lastCanonicalSeenBefore
  );
  return r.rows.map((row) => Number(row.seen_at));
}

/** Watcher time (ms) of the first block stored for a chain, or `null` when none is. */
export async function firstSeenAt(q: PgDb, chainId: number): Promise<number | null> {
  const r = await q.$client.query<{ t: string | null }>(
    'select min(seen_at) as t from blocks where chain_id = $1',
    [chainId],
  );
  return numberOrNull(r.rows[0]?.t);
}
