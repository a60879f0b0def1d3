import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../test/support/startPostgres.js';
import { migratePg, withPgTransaction } from '../db/pg/openPgDb.js';
import { readLease, tryAcquireLease } from '../db/pg/pgLease.js';
import { createLogger } from '../logger.js';
import {
  type Duty,
  DutyFenceError,
  DutyLostError,
  dutyHolder,
  localDuty,
  pgDuty,
  withFencedPgTransaction,
} from './duty.js';

// Duties on a real PostgreSQL server (test/support/startPostgres.ts) with the committed
// migrations; each test uses its own duty name or resets the lease row first.

let server: PostgresServer;
let url: string;
let admin: pg.Pool;
const pools: pg.Pool[] = [];
const duties: Duty[] = [];

function pool(): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max: 3 });
  p.on('error', () => {});
  pools.push(p);
  return p;
}

/** A logger whose lines land in `lines` (parsed), so tests can read what was logged. */
function captureLogger() {
  const lines: { level: number; msg: string; reason?: string; duty?: string }[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (s: string) => void lines.push(JSON.parse(s)) },
  });
  return { logger, lines };
}

function start(params: Omit<Parameters<typeof pgDuty>[0], 'pool' | 'logger'> & { pool?: pg.Pool }) {
  const { logger, lines } = captureLogger();
  const duty = pgDuty({ pool: params.pool ?? pool(), logger, ...params });
  duties.push(duty);
  return { duty, lines };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(what: string, f: () => T | null | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function resetLease(name: string) {
  await admin.query('delete from leases where name = $1', [name]);
}

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('duty_test');
  await migratePg({ url });
  admin = new pg.Pool({ connectionString: url, max: 3 });
  admin.on('error', () => {});
  await admin.query('create table guarded (id int primary key, by text not null)');
}, 60_000);

afterAll(async () => {
  await Promise.all(duties.map((d) => d.stop().catch(() => {})));
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  await admin?.end();
  await server?.stop();
});

describe('localDuty (SQLite, one watcher)', () => {
  it('is always held and always passes the fence', async () => {
    const duty = localDuty('alerts');
    expect(duty.held()).toEqual({ name: 'alerts', holder: 'local', epoch: 0 });
    expect(await duty.fence({} as never)).toBe(true);
    await duty.stop();
    expect(duty.held()).not.toBeNull();
  });
});

describe('pgDuty on PostgreSQL', () => {
  it('dutyHolder: the watcher id plus a suffix that differs per start', () => {
    const a = dutyHolder('eu-1');
    expect(a).toMatch(/^eu-1\/[0-9a-f]{8}$/);
    expect(dutyHolder('eu-1')).not.toBe(a);
  });

  it('of two watchers exactly one holds; stopping the holder hands it to the other within the TTL', async () => {
    await resetLease('alerts');
    const ttlMs = 2_000;
    const a = start({ name: 'alerts', holder: 'a/1', ttlMs, intervalMs: 200 });
    const b = start({ name: 'alerts', holder: 'b/1', ttlMs, intervalMs: 200 });
    const changes: string[] = [];
    a.duty.onChange((h) => changes.push(`a:${h}`));
    b.duty.onChange((h) => changes.push(`b:${h}`));
    await waitFor('one holder', () => a.duty.held() ?? b.duty.held());
    // Sampled over several renewal intervals: never both, never none.
    for (let i = 0; i < 15; i++) {
      const holders = [a.duty.held(), b.duty.held()].filter((g) => g !== null);
      expect(holders).toHaveLength(1);
      await sleep(100);
    }
    const [holder, other, otherName] = a.duty.held() ? [a, b, 'b'] : [b, a, 'a'];
    const epoch = holder.duty.held()!.epoch;
    expect((await readLease(admin, 'alerts'))?.holder).toBe(holder.duty.held()!.holder);
    expect(holder.lines.some((l) => /duty "alerts" acquired/.test(l.msg))).toBe(true);

    const stoppedAt = Date.now();
    await holder.duty.stop();
    expect(holder.duty.held()).toBeNull();
    const taken = await waitFor('the other to take over', () => other.duty.held());
    expect(Date.now() - stoppedAt).toBeLessThan(ttlMs);
    expect(taken.epoch).toBe(epoch + 1);
    expect(changes.slice(-2)).toEqual([
      `${otherName === 'a' ? 'b' : 'a'}:false`,
      `${otherName}:true`,
    ]);
  });

  it('a holder whose lease was taken over fails the fence and cannot commit its guarded write', async () => {
    await resetLease('incidents');
    const t = 0; // a frozen monotonic clock: the holder never notices its local deadline passing
    const a = start({
      name: 'incidents',
      holder: 'a/2',
      ttlMs: 60_000,
      intervalMs: 3_600_000,
      now: () => t,
    });
    const grant = await waitFor('a to hold', () => a.duty.held());

    // While held, a fenced write commits.
    await withFencedPgTransaction(admin, a.duty, (q) =>
      q.$client.query("insert into guarded values (1, 'a')"),
    );
    // The lease expires on the server (a was paused past it) and b takes over; a has not renewed since.
    await admin.query('update leases set expires_at = now() where name = $1', ['incidents']);
    const b = await tryAcquireLease(admin, { name: 'incidents', holder: 'b/2', ttlMs: 60_000 });
    expect(b?.epoch).toBe(grant.epoch + 1);
    expect(a.duty.held()).not.toBeNull(); // a still believes it holds the duty

    // a's guarded write, by hand: fence false → roll back.
    await expect(
      withPgTransaction(admin, async (q) => {
        await q.$client.query("insert into guarded values (2, 'a')");
        if (!(await a.duty.fence(q))) throw new Error('fenced out');
      }),
    ).rejects.toThrow('fenced out');
    // … and through the helper.
    await expect(
      withFencedPgTransaction(admin, a.duty, (q) =>
        q.$client.query("insert into guarded values (3, 'a')"),
      ),
    ).rejects.toBeInstanceOf(DutyLostError);
    const rows = await admin.query('select id, by from guarded order by id');
    expect(rows.rows).toEqual([{ id: 1, by: 'a' }]);
  });

  it('while a fenced transaction runs no takeover commits: the next holder waits for it', async () => {
    await resetLease('alerts');
    const t = 0; // frozen: the holder does not notice its 1 s lease running out
    const ttlMs = 1_000;
    const a = start({ name: 'alerts', holder: 'a/5', ttlMs, intervalMs: 3_600_000, now: () => t });
    const grant = await waitFor('a to hold', () => a.duty.held());
    const order: string[] = [];
    const client = await admin.connect();
    try {
      await client.query('begin');
      expect(await a.duty.fence(client)).toBe(true);
      await sleep(ttlMs + 300); // the lease is now expired on the server
      const takeover = tryAcquireLease(admin, { name: 'alerts', holder: 'b/5', ttlMs }).then(
        (g) => {
          order.push('b acquired');
          return g;
        },
      );
      await sleep(500);
      expect(order).toEqual([]); // blocked by a's share lock
      await client.query("insert into guarded values (10, 'a')");
      // Recorded before the COMMIT is sent: b's grant and a's commit reply arrive on two sockets in
      // either order, but b cannot be granted before the server has a's COMMIT.
      order.push('a commits');
      await client.query('commit');
      const b = await takeover;
      expect(b?.epoch).toBe(grant.epoch + 1);
      expect(order).toEqual(['a commits', 'b acquired']);
    } finally {
      client.release();
    }
    expect((await admin.query('select by from guarded where id = 10')).rows).toEqual([{ by: 'a' }]);
  });

  it('a failing database is logged once per TTL, not at every try', async () => {
    const dead = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', max: 1 });
    dead.on('error', () => {});
    pools.push(dead);
    const d = start({ pool: dead, name: 'alerts', holder: 'x/6', ttlMs: 60_000, intervalMs: 30 });
    await sleep(600); // ~20 failed tries
    const warns = d.lines.filter((l) => /lease query failed/.test(l.msg));
    expect(warns).toHaveLength(1);
    expect(d.duty.held()).toBeNull();
  });

  it('fence refuses a pool and a non-PostgreSQL handle with a clear error', async () => {
    await resetLease('retention');
    const a = start({ name: 'retention', holder: 'a/3', ttlMs: 5_000 });
    await waitFor('a to hold', () => a.duty.held());
    await expect(a.duty.fence(admin)).rejects.toThrow(/got a pool/);
    await expect(a.duty.fence({ $client: {} } as never)).rejects.toBeInstanceOf(DutyFenceError);
    // A transaction's client fences fine.
    const ok = await withPgTransaction(admin, (q) => a.duty.fence(q.$client as pg.PoolClient));
    expect(ok).toBe(true);
  });

  it('a paused holder (its clock passes the deadline without renewing) stops holding before the server expiry', async () => {
    await resetLease('retention');
    let t = 0;
    const ttlMs = 30_000;
    const a = start({
      name: 'retention',
      holder: 'a/4',
      ttlMs,
      intervalMs: 3_600_000,
      now: () => t,
    });
    const lost: boolean[] = [];
    a.duty.onChange((h) => lost.push(h));
    await waitFor('a to hold', () => a.duty.held());
    t += ttlMs - 1;
    expect(a.duty.held()).not.toBeNull();
    t += 1; // the local deadline: start of the last acquire + ttl
    expect(a.duty.held()).toBeNull();
    expect(lost).toEqual([true, false]);
    expect(await withPgTransaction(admin, (q) => a.duty.fence(q))).toBe(false);
    // The server still counts the lease as a's: nobody else could have taken it yet.
    const row = await readLease(admin, 'retention');
    const serverNow = (await admin.query<{ now: Date }>('select now() as now')).rows[0]!.now;
    expect(row!.holder).toBe('a/4');
    expect(row!.expiresAt.getTime()).toBeGreaterThan(serverNow.getTime());
    const warn = a.lines.find((l) => /duty "retention" lost/.test(l.msg));
    expect(warn?.reason).toBe('expired');
    expect(warn?.level).toBe(40);
  });
});
