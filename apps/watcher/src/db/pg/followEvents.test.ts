import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../../test/support/startPostgres.js';
import type { StoredEvent } from '../queries/events.js';
import { followEvents } from './followEvents.js';
import { migratePg } from './openPgDb.js';
import { appendEvents, type NewEvent } from './queries/events.js';

// Events across processes on a real PostgreSQL server: writers on their own connections (as
// separate watchers would be), a follower that LISTENs and reads `id > last`.

let server: PostgresServer;
let url: string;
let admin: pg.Pool;
const closers: (() => Promise<unknown>)[] = [];

function pool(): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max: 4 });
  p.on('error', () => {});
  closers.push(() => p.end());
  return p;
}
const event = (kind: string, i = 0): NewEvent => ({
  at: 1_700_000_000_000 + i,
  kind,
  subject: { type: 'chain', id: '8453' },
  payload: { i },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, ms = 15_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
async function maxId(): Promise<number> {
  const r = await admin.query<{ m: string | null }>('select max(id) as m from events');
  return Number(r.rows[0]?.m ?? 0);
}
function collect(params: {
  afterId: number;
  pollMs?: number;
  onError?: (e: unknown) => void;
  applicationName?: string;
}) {
  const received: StoredEvent[] = [];
  const follower = followEvents({
    url,
    db: drizzle({ client: pool() }),
    afterId: params.afterId,
    pollMs: params.pollMs ?? 60_000, // only NOTIFY (and the catch-up on connect) delivers
    onEvents: (batch) => {
      received.push(...batch);
    },
    ...(params.onError && { onError: params.onError }),
    ...(params.applicationName && { applicationName: params.applicationName }),
  });
  closers.push(() => follower.stop());
  return { received, follower };
}

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('events_test');
  await migratePg({ url });
  admin = new pg.Pool({ connectionString: url, max: 2 });
  admin.on('error', () => {});
}, 60_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await admin?.end();
  await server?.stop();
});

describe('events across processes (LISTEN/NOTIFY, read id > last)', () => {
  it('a transaction that inserted first but commits last is not skipped', async () => {
    const { received } = collect({ afterId: await maxId() });
    await sleep(300); // the follower is listening

    const a = await pool().connect();
    const b = await pool().connect();
    try {
      await a.query('begin');
      const [{ id: idA }] = (await appendEvents(a, [event('test.first-in')])) as [StoredEvent];
      // Another watcher writes and commits while A is still open.
      const bDone = (async () => {
        await b.query('begin');
        const [stored] = await appendEvents(b, [event('test.second-in')]);
        await b.query('commit');
        return stored!.id;
      })();
      await sleep(500);
      // B waits for A (the events lock): nothing is visible yet, so nobody can read past A's id.
      expect(received).toEqual([]);
      await a.query('commit');
      const idB = await bDone;
      expect(idB).toBeGreaterThan(idA);
      await until('both events', () => received.length >= 2);
      expect(received.map((e) => [e.id, e.kind])).toEqual([
        [idA, 'test.first-in'],
        [idB, 'test.second-in'],
      ]);
    } finally {
      a.release();
      b.release();
    }
  });

  it('two writers × 25 transactions: the follower gets every committed event once, in id order', async () => {
    const start = await maxId();
    const { received } = collect({ afterId: start, pollMs: 1_000 });
    await sleep(300);
    const writer = async (name: string) => {
      const db = pool();
      const committed: number[] = [];
      for (let t = 0; t < 25; t++) {
        const c = await db.connect();
        try {
          await c.query('begin');
          const stored = await appendEvents(
            c,
            Array.from({ length: 1 + (t % 3) }, (_, i) => event(`test.${name}`, t * 10 + i)),
          );
          await sleep(t % 4); // hold the transaction a little, as a real write does
          if (t % 7 === 6) {
            await c.query('rollback'); // a failed write: its ids are never seen
          } else {
            await c.query('commit');
            committed.push(...stored.map((e) => e.id));
          }
        } finally {
          c.release();
        }
      }
      return committed;
    };
    const [w1, w2] = await Promise.all([writer('w1'), writer('w2')]);
    const expected = [...w1!, ...w2!].sort((x, y) => x - y);
    expect(expected.length).toBeGreaterThan(60);
    await until('every committed event', () => received.length >= expected.length);
    await sleep(200);
    expect(received.map((e) => e.id)).toEqual(expected);
  });

  it('the LISTEN connection is killed: the follower reconnects and catches up', async () => {
    const errors: unknown[] = [];
    const { received } = collect({
      afterId: await maxId(),
      onError: (e) => errors.push(e),
      applicationName: 'follower-to-kill',
    });
    await sleep(300); // the follower is listening
    const killed = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where application_name = 'follower-to-kill' and query ilike 'listen %'`,
    );
    expect(killed.rowCount).toBe(1);
    // Written while the follower is disconnected (NOTIFY goes nowhere).
    const c = await pool().connect();
    await c.query('begin');
    const stored = await appendEvents(c, [
      event('test.while-down', 1),
      event('test.while-down', 2),
    ]);
    await c.query('commit');
    c.release();
    await until('the catch-up after reconnecting', () => received.length >= 2);
    expect(received).toEqual(stored);
    expect(errors.length).toBeGreaterThan(0);
  });
});
