import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../../../test/support/bothDialects.js';
import { openDb } from '../../openDb.js';
import * as sqlite from '../../queries/dataVersion.js';
import { migratePg } from '../openPgDb.js';
import * as pgVersion from './changeVersion.js';

// The response-cache token on both dialects, with two "processes" on one database: two SQLite
// connections to one file, two PostgreSQL pools. A cache keyed on it must never serve data older
// than another process's commit, and should stay put while nobody writes.

type Open = { commit(): Promise<void>; rollback(): Promise<void> };
type Processes = {
  /** The token as process A reads it. */
  versionA(): Promise<string>;
  /** Process A writes one row and commits. */
  writeA(): Promise<void>;
  /** Process B writes one row and commits. */
  writeB(): Promise<void>;
  /** Process B reads in a transaction and commits it, writing nothing. */
  readB(): Promise<void>;
  /** Process B opens a transaction and writes one row, not committed yet. */
  beginWriteB(): Promise<Open>;
  close(): Promise<void>;
};

const both = bothDialects('version');

let row = 0;
const insert = () =>
  `insert into events (at, kind, subject_type, subject_id, payload_json)
   values (${1_790_000_000_000 + ++row}, 'test.x', 'chain', '1', '{}')`;

async function pgProcesses(): Promise<{ url: string; a: pg.Pool; b: pg.Pool } & Processes> {
  const url = await both.createDatabase();
  await migratePg({ url });
  const pool = () => {
    const p = new pg.Pool({ connectionString: url, max: 2 });
    p.on('error', () => {});
    return p;
  };
  const a = pool();
  const b = pool();
  const qa = drizzle({ client: a });
  return {
    url,
    a,
    b,
    versionA: () => pgVersion.dataVersion(qa),
    writeA: async () => {
      await a.query(insert());
    },
    writeB: async () => {
      await b.query(insert());
    },
    readB: async () => {
      const c = await b.connect();
      try {
        await c.query('begin');
        await c.query('select count(*) from events');
        await c.query('commit');
      } finally {
        c.release();
      }
    },
    beginWriteB: async () => {
      const c = await b.connect();
      await c.query('begin');
      await c.query(insert());
      const end = async (how: string) => {
        try {
          await c.query(how);
        } finally {
          c.release();
        }
      };
      return { commit: () => end('commit'), rollback: () => end('rollback') };
    },
    close: async () => {
      await a.end();
      await b.end();
    },
  };
}

const dialects: [string, () => Promise<Processes>][] = [
  [
    'SQLite',
    async () => {
      const path = both.sqlitePath();
      const a = openDb({ path });
      const b = openDb({ path });
      return {
        versionA: async () => sqlite.dataVersion(a.db),
        writeA: async () => {
          a.sqlite.exec(insert());
        },
        writeB: async () => {
          b.sqlite.exec(insert());
        },
        readB: async () => {
          b.sqlite.exec('begin');
          b.sqlite.prepare('select count(*) from events').get();
          b.sqlite.exec('commit');
        },
        beginWriteB: async () => {
          b.sqlite.exec('begin immediate');
          b.sqlite.exec(insert());
          return {
            commit: async () => {
              b.sqlite.exec('commit');
            },
            rollback: async () => {
              b.sqlite.exec('rollback');
            },
          };
        },
        close: async () => {
          a.close();
          b.close();
        },
      };
    },
  ],
  ['PostgreSQL', pgProcesses],
];

describe.each(dialects)('dataVersion on %s with two processes', (_name, open) => {
  let p: Processes;
  beforeAll(async () => {
    p = await open();
  });
  afterAll(() => p?.close());

  it('is a string that stays the same while nobody writes, and when the other process only reads', async () => {
    const v = await p.versionA();
    expect(typeof v).toBe('string');
    expect(await p.versionA()).toBe(v);
    await p.readB();
    expect(await p.versionA()).toBe(v);
  });

  it('changes when the other process commits a write, and when this one does', async () => {
    const v0 = await p.versionA();
    await p.writeB();
    const v1 = await p.versionA();
    expect(v1).not.toBe(v0);
    await p.writeA();
    const v2 = await p.versionA();
    expect(v2).not.toBe(v1);
    expect(v2).not.toBe(v0);
  });

  it("does not change while the other process's write is uncommitted; changes at its commit", async () => {
    const open = await p.beginWriteB();
    const before = await p.versionA();
    expect(await p.versionA()).toBe(before);
    await open.commit();
    expect(await p.versionA()).not.toBe(before);
  });
});

describe('dataVersion on PostgreSQL: the whole snapshot, not only its horizon', () => {
  it("changes when a transaction that began before another process's commit commits after it", async () => {
    // B takes a transaction id and writes; C (another writer of process B) commits after it and
    // moves the horizon (`xmax`) past B. A reads the token, then B commits: only B's id leaving the
    // in-progress list tells — a token of `xmax` (or of `max(events.id)`) alone would stay equal
    // and keep serving the response that lacks B's row.
    const p = await pgProcesses();
    try {
      const b = await p.beginWriteB();
      await p.writeB(); // the other pooled connection of B: commits while b is open
      const before = await p.versionA();
      const maxId = await p.a.query('select max(id) as m from events');
      await b.commit();
      expect(await p.versionA()).not.toBe(before);
      // The cheaper candidates really are blind here (so this test tells them apart).
      expect((await p.a.query('select max(id) as m from events')).rows[0].m).toBe(maxId.rows[0].m);
    } finally {
      await p.close();
    }
  });

  it('costs no table read: it answers on a database with no tables', async () => {
    const url = await both.createDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => {});
    try {
      expect(await pgVersion.dataVersion(drizzle({ client: pool }))).toMatch(/^\d+:\d+:[\d,]*$/);
    } finally {
      await pool.end();
    }
  });
});
