import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../../test/support/startPostgres.js';
import { migratePg } from './openPgDb.js';
import {
  type LeaseGrant,
  lockLeaseForShare,
  readLease,
  releaseLease,
  renewLease,
  startLeaseKeeper,
  tryAcquireLease,
} from './pgLease.js';

// Every lease test runs on a real PostgreSQL server (test/support/startPostgres.ts) with the
// committed migrations; each test uses its own lease name.

let server: PostgresServer;
let url: string;
let admin: pg.Pool;
const pools: pg.Pool[] = [];

/** A pool whose connections carry `application_name` = `name`, so a test can find and kill them. */
function poolFor(name: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, application_name: name, max: 2 });
  pool.on('error', () => {}); // a killed idle connection; the next query reconnects
  pools.push(pool);
  return pool;
}

async function killConnectionsOf(applicationName: string): Promise<number> {
  const r = await admin.query(
    'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
    [applicationName],
  );
  return r.rowCount ?? 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, f: () => T | null | Promise<T | null>, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('lease_test');
  await migratePg({ url });
  admin = new pg.Pool({ connectionString: url, max: 2 });
  admin.on('error', () => {}); // idle connections closed by the server's shutdown
}, 60_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  await admin?.end();
  await server?.stop();
});

describe('lease on PostgreSQL', () => {
  it('one holder at a time: of 8 processes racing for a free lease exactly one wins', async () => {
    const contenders = Array.from({ length: 8 }, (_, i) => poolFor(`race-${i}`));
    const grants = await Promise.all(
      contenders.map((db, i) =>
        tryAcquireLease(db, { name: 'race', holder: `w${i}`, ttlMs: 5_000 }),
      ),
    );
    const winners = grants.filter((g): g is LeaseGrant => g !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.epoch).toBe(1);
    // While it is held nobody else gets it, and the holder itself must renew, not re-acquire.
    expect(await tryAcquireLease(admin, { name: 'race', holder: 'late', ttlMs: 5_000 })).toBeNull();
    expect(
      await tryAcquireLease(admin, { name: 'race', holder: winners[0]!.holder, ttlMs: 5_000 }),
    ).toBeNull();
    expect((await readLease(admin, 'race'))?.holder).toBe(winners[0]!.holder);
  });

  it('renewal keeps the lease past its first expiry; a stale or late renewal is refused', async () => {
    // TTLs are generous: a 1 s stall of this shared machine must not look like a lost lease.
    const ttlMs = 2_000;
    const a = await tryAcquireLease(admin, { name: 'renew', holder: 'a', ttlMs });
    expect(a).not.toBeNull();
    let held = a!;
    for (let i = 0; i < 5; i++) {
      await sleep(500);
      const renewed = await renewLease(admin, { grant: held, ttlMs });
      expect(renewed?.epoch).toBe(1);
      expect(renewed!.expiresAt.getTime()).toBeGreaterThan(held.expiresAt.getTime());
      held = renewed!;
    }
    // 2.5 s after the first grant (past its TTL), the lease is still a's.
    expect(await tryAcquireLease(admin, { name: 'renew', holder: 'b', ttlMs })).toBeNull();

    // a goes quiet past the expiry: its late renewal is refused even though nobody took it yet.
    await sleep(ttlMs + 200);
    expect(await renewLease(admin, { grant: held, ttlMs })).toBeNull();
    const b = await tryAcquireLease(admin, { name: 'renew', holder: 'b', ttlMs });
    expect(b?.epoch).toBe(2);
    // The fence: a's old grant no longer passes inside a transaction; b's does.
    expect(await lockLeaseForShare(admin, held)).toBe(false);
    expect(await lockLeaseForShare(admin, b!)).toBe(true);
  });

  it('release hands the lease over at once', async () => {
    const a = await tryAcquireLease(admin, { name: 'release', holder: 'a', ttlMs: 60_000 });
    expect(
      await tryAcquireLease(admin, { name: 'release', holder: 'b', ttlMs: 60_000 }),
    ).toBeNull();
    expect(await releaseLease(admin, a!)).toBe(true);
    const b = await tryAcquireLease(admin, { name: 'release', holder: 'b', ttlMs: 60_000 });
    expect(b?.epoch).toBe(2);
    expect(await releaseLease(admin, a!)).toBe(false);
  });

  it('the holder dies (its connection killed): another takes over after the expiry, not before', async () => {
    const ttlMs = 3_000;
    // The holder on a single connection that never comes back, as when its process is gone.
    const dying = new pg.Client({ connectionString: url, application_name: 'dying-holder' });
    dying.on('error', () => {});
    await dying.connect();
    const lostA: string[] = [];
    const keeperA = startLeaseKeeper({
      db: dying,
      name: 'takeover',
      holder: 'a',
      ttlMs,
      intervalMs: 500,
      onLost: (_g, reason) => lostA.push(reason),
    });
    const grantA = await waitFor('a to hold the lease', () => keeperA.current());
    expect(grantA.epoch).toBe(1);

    const acquiredB: LeaseGrant[] = [];
    const keeperB = startLeaseKeeper({
      db: poolFor('standby'),
      name: 'takeover',
      holder: 'b',
      ttlMs,
      intervalMs: 100,
      onAcquired: (g) => acquiredB.push(g),
    });
    await sleep(ttlMs); // b tried ~30 times while a kept renewing
    expect(acquiredB).toEqual([]);

    expect(await killConnectionsOf('dying-holder')).toBe(1);
    const killedAt = Date.now();
    const beforeKill = await readLease(admin, 'takeover');

    const grantB = await waitFor('b to take over', () => keeperB.current());
    expect(grantB.epoch).toBe(2);
    expect(acquiredB).toHaveLength(1);
    const row = await readLease(admin, 'takeover');
    // Server clock: b's grant starts at or after the last expiry a had renewed to.
    expect(row!.acquiredAt.getTime()).toBeGreaterThanOrEqual(beforeKill!.expiresAt.getTime());
    // ≤ one TTL + one try interval (+ slack for this shared machine) after the kill.
    expect(Date.now() - killedAt).toBeLessThan(ttlMs + 100 + 2_000);
    // a noticed by its own deadline: it no longer acts, and said why.
    expect(keeperA.current()).toBeNull();
    expect(lostA).toEqual(['expired']);

    await keeperA.stop();
    await keeperB.stop();
    await dying.end().catch(() => {});
    // b released on stop: the lease is free at once.
    expect(await tryAcquireLease(admin, { name: 'takeover', holder: 'c', ttlMs })).not.toBeNull();
  });

  it('a non-holder tries right after the holder’s grant expires: it takes a dead lease over at once, not up to a try interval later', async () => {
    const ttlMs = 6_000; // renewals every 2 s; tries must come every 1 s
    // A holder that never renews (its process is gone), expiring ~2.2 s after b starts trying.
    const dead = await tryAcquireLease(admin, { name: 'tries', holder: 'a', ttlMs: 2_200 });
    expect(dead).not.toBeNull();
    const keeperB = startLeaseKeeper({ db: poolFor('trier'), name: 'tries', holder: 'b', ttlMs });
    const grantB = await waitFor('b to take over', () => keeperB.current());
    expect(grantB.epoch).toBe(2);
    const row = await readLease(admin, 'tries');
    // Server clock. A try 20 ms after the expiry takes it at once; tries every second (0, 1, 2, 3 s)
    // would take it ~0.8 s after the expiry, tries every ttl/3 (0, 2, 4 s) ~1.8 s after.
    const lateMs = row!.acquiredAt.getTime() - dead!.expiresAt.getTime();
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(400);
    await keeperB.stop();
  });

  it('a holder whose pooled connection is killed reconnects and keeps the lease', async () => {
    const ttlMs = 3_000;
    const lost: string[] = [];
    const keeper = startLeaseKeeper({
      db: poolFor('flaky-holder'),
      name: 'reconnect',
      holder: 'a',
      ttlMs,
      intervalMs: 500,
      onLost: (_g, reason) => lost.push(reason),
    });
    await waitFor('the lease', () => keeper.current());
    expect(await killConnectionsOf('flaky-holder')).toBeGreaterThan(0);
    await sleep(ttlMs + 1_000);
    expect(keeper.current()?.epoch).toBe(1);
    expect(lost).toEqual([]);
    expect(await tryAcquireLease(admin, { name: 'reconnect', holder: 'b', ttlMs })).toBeNull();
    await keeper.stop();
  });
});
