import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../../../test/support/bothDialects.js';
import { openDb } from '../../openDb.js';
import * as sqlite from '../../queries/storage.js';
import * as pgStorage from './storage.js';

// Storage probes on both dialects (same calls, same results where the dialects can agree).

type StorageStore = {
  databaseAnswers(): Promise<boolean>;
  databaseSizeBytes(): Promise<number | null>;
  maxRowid(table: string): Promise<number>;
  /** Test setup, in plain SQL both dialects read the same way. */
  exec(statement: string): Promise<void>;
  close(): Promise<void>;
};

const both = bothDialects('storage');

const dialects: [string, () => Promise<StorageStore>][] = [
  [
    'SQLite',
    async () => {
      const { db, sqlite: raw, close } = openDb({ path: both.sqlitePath() });
      return {
        databaseAnswers: async () => sqlite.databaseAnswers(db),
        databaseSizeBytes: async () => sqlite.databaseSizeBytes(db),
        maxRowid: async (t) => sqlite.maxRowid(db, t),
        exec: async (s) => {
          raw.exec(s);
        },
        close: async () => close(),
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const { pool, q } = await both.pgDatabase({ max: 2 });
      return {
        databaseAnswers: () => pgStorage.databaseAnswers(q),
        databaseSizeBytes: () => pgStorage.databaseSizeBytes(q),
        maxRowid: (t) => pgStorage.maxRowid(q, t),
        exec: async (s) => {
          // One connection: the write, then a forced flush of its statistics (`n_tup_ins`), which
          // PostgreSQL otherwise reports within a second or, when the backend goes idle, 10 s.
          const c = await pool.connect();
          try {
            await c.query(s);
            await c.query('select pg_stat_force_next_flush()');
            await c.query('select 1');
          } finally {
            c.release();
          }
        },
        close: async () => {
          if (!pool.ended) await pool.end();
        },
      };
    },
  ],
];

const event = (i: number) =>
  `(${1_790_000_000_000 + i}, 'test.x', 'chain', '1', '${JSON.stringify({ pad: randomBytes(1_000).toString('hex'), i })}')`;
const block = (n: number) =>
  `(3000000000, ${3_000_000_000 + n}, '0x${n}', '0x${n - 1}', 1790000000, 1, ${1_790_000_000_000 + n}, true)`;

describe.each(dialects)('storage probes on %s', (_name, open) => {
  let store: StorageStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store?.close());

  it('databaseAnswers is true on an open database', async () => {
    expect(await store.databaseAnswers()).toBe(true);
  });

  it('maxRowid is 0 for an empty table and throws for a missing one', async () => {
    expect(await store.maxRowid('events')).toBe(0);
    expect(await store.maxRowid('blocks')).toBe(0);
    await expect(store.maxRowid('no_such_table')).rejects.toThrow(/no_such_table/);
  });

  it('maxRowid of a table with an id is its largest id, and stays there when older rows go', async () => {
    await store.exec(
      `insert into events (at, kind, subject_type, subject_id, payload_json) values ${[1, 2, 3].map(event).join(', ')}`,
    );
    expect(await store.maxRowid('events')).toBe(3);
    await store.exec('delete from events where id = 1');
    expect(await store.maxRowid('events')).toBe(3);
  });

  it('maxRowid of a table keyed without an id counts the rows ever inserted (SQLite: its rowid)', async () => {
    await store.exec(
      `insert into blocks (chain_id, number, hash, parent_hash, timestamp, tx_count, seen_at, canonical) values ${[1, 2, 3, 4].map(block).join(', ')}`,
    );
    await store.exec(`delete from blocks where hash = '0x1'`);
    expect(await store.maxRowid('blocks')).toBe(4);
  });

  it('databaseSizeBytes is a positive byte count that grows when ~2 MB of incompressible rows are written', async () => {
    const before = await store.databaseSizeBytes();
    expect(typeof before).toBe('number');
    expect(before).toBeGreaterThan(0);
    for (let k = 0; k < 10; k++)
      await store.exec(
        `insert into events (at, kind, subject_type, subject_id, payload_json) values ${Array.from({ length: 100 }, (_, i) => event(100 + k * 100 + i)).join(', ')}`,
      );
    const after = (await store.databaseSizeBytes())!;
    expect(after - before!).toBeGreaterThan(1_000_000);
  });

  it('databaseAnswers is false once the database is closed', async () => {
    await store.close();
    expect(await store.databaseAnswers()).toBe(false);
  });
});

describe('databaseAnswers on PostgreSQL', () => {
  it('is false, within its timeout, when the server does not answer', async () => {
    // A listening socket that never speaks the protocol: the connection hangs, as over a partition.
    const net = await import('node:net');
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const pool = new pg.Pool({ connectionString: `postgres://x:y@127.0.0.1:${port}/db` });
    pool.on('error', () => {});
    try {
      const started = Date.now();
      expect(await pgStorage.databaseAnswers(drizzle({ client: pool }))).toBe(false);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(pgStorage.DATABASE_ANSWER_TIMEOUT_MS - 50);
      expect(took).toBeLessThan(pgStorage.DATABASE_ANSWER_TIMEOUT_MS + 1_000);
    } finally {
      silent.close();
      // The pool's connect attempt hangs too; ending it would wait for that attempt.
      void pool.end().catch(() => {});
    }
  });

  it('databaseSizeBytes is pg_database_size of the current database', async () => {
    const { url, pool, q } = await both.pgDatabase({ max: 1 });
    try {
      const other = await q.execute<{ n: string }>(sql`select pg_database_size('postgres') as n`);
      const own = await pgStorage.databaseSizeBytes(q);
      const check = await q.execute<{ n: string }>(
        sql`select pg_database_size(${new URL(url).pathname.slice(1)}) as n`,
      );
      expect(own).toBe(Number(check.rows[0]!.n));
      expect(own).not.toBe(Number(other.rows[0]!.n));
    } finally {
      await pool.end();
    }
  });
});
