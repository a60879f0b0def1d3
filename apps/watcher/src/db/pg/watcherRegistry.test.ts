import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../../test/support/startPostgres.js';
import { createLogger } from '../../logger.js';
import { migratePg, pgDbOf } from './openPgDb.js';
import { heartbeatWatcher } from './queries/watchers.js';
import {
  liveWatchers,
  startWatcherRegistry,
  type WatcherRegistry,
  WatcherRegistryConflictError,
  type WatcherRegistryParameters,
  type WatcherRow,
} from './watcherRegistry.js';

// The registry on a real PostgreSQL server (test/support/startPostgres.ts) with the committed
// migrations. The `watchers` table is emptied before each test and every registry stopped after.

let server: PostgresServer;
let url: string;
let admin: pg.Pool;
const pools: pg.Pool[] = [];
let running: WatcherRegistry[] = [];

const silent = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pool(): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max: 2 });
  p.on('error', () => {});
  pools.push(p);
  return p;
}

async function start(
  params: Partial<WatcherRegistryParameters> & Pick<WatcherRegistryParameters, 'id'>,
): Promise<WatcherRegistry> {
  const r = await startWatcherRegistry({
    pool: pool(),
    mode: 'sharded',
    version: '1.2.3',
    heartbeatMs: 200,
    logger: silent,
    ...params,
  });
  running.push(r);
  return r;
}

async function rows(): Promise<WatcherRow[]> {
  const r = await admin.query('select * from watchers order by id');
  return r.rows.map((x) => ({
    id: x.id,
    instance: x.instance,
    mode: x.mode,
    startedAt: Number(x.started_at),
    heartbeatAt: Number(x.heartbeat_at),
    host: x.host,
    pid: x.pid,
    version: x.version,
  }));
}

/** Makes `id`'s heartbeat `ms` older, as if its process had stopped beating that long ago. */
async function ageHeartbeat(id: string, ms: number) {
  await admin.query('update watchers set heartbeat_at = heartbeat_at - $2 where id = $1', [id, ms]);
}

async function serverNow(): Promise<number> {
  const r = await admin.query<{ n: string }>(
    'select (extract(epoch from clock_timestamp()) * 1000)::bigint as n',
  );
  return Number(r.rows[0]!.n);
}

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('registry_test');
  await migratePg({ url });
  admin = new pg.Pool({ connectionString: url, max: 3 });
  admin.on('error', () => {});
}, 60_000);

beforeEach(async () => {
  await admin.query('delete from watchers');
});

afterEach(async () => {
  await Promise.all(running.map((r) => r.stop()));
  running = [];
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  await admin?.end();
  await server?.stop();
});

describe('watcher registry on PostgreSQL', () => {
  it('registers with its details, heartbeats on the server clock, and unregisters on stop', async () => {
    const before = await serverNow();
    const r = await start({ id: 'eu-1', host: 'box-a', pid: 4242, instance: 'i-1' });
    const [row] = await rows();
    expect(row).toMatchObject({
      id: 'eu-1',
      instance: 'i-1',
      mode: 'sharded',
      host: 'box-a',
      pid: 4242,
      version: '1.2.3',
    });
    expect(row!.startedAt).toBeGreaterThanOrEqual(before);
    expect(row!.heartbeatAt).toBe(row!.startedAt);
    expect(r.freshMs).toBe(600);

    await sleep(700); // three beats at 200 ms
    const [later] = await rows();
    expect(later!.heartbeatAt).toBeGreaterThan(row!.heartbeatAt + 300);
    expect(later!.startedAt).toBe(row!.startedAt);
    expect((await r.live()).map((w) => w.id)).toEqual(['eu-1']);

    await r.stop();
    expect(await rows()).toEqual([]);
  });

  it('refuses a second live process with the same id, naming the id and the holder', async () => {
    await start({ id: 'eu-1', host: 'box-a', pid: 1, instance: 'i-1' });
    const attempt = start({ id: 'eu-1', host: 'box-b', pid: 2, instance: 'i-2' });
    await expect(attempt).rejects.toBeInstanceOf(WatcherRegistryConflictError);
    await expect(attempt).rejects.toThrow(
      /watcher id "eu-1" is already in use by a live watcher .*host box-a pid 1.*own cluster\.id/,
    );
    // The first keeps its row.
    expect((await rows()).map((w) => [w.id, w.instance])).toEqual([['eu-1', 'i-1']]);
  });

  it('a restart after a crash waits out the previous instance’s fresh but silent row, then registers', async () => {
    // The killed process's row: heartbeat just now, never again (no process behind it).
    const now = await serverNow();
    await admin.query(
      `insert into watchers values ('eu-1', 'killed', 'sharded', $1, $1, 'box-a', 7, '1.2.3')`,
      [now],
    );
    const r = await start({ id: 'eu-1', instance: 'restarted' });
    const [row] = await rows();
    expect(row).toMatchObject({ id: 'eu-1', instance: 'restarted' });
    // It waited for the row to go stale (3 × 200 ms), not longer than one more interval.
    expect(row!.startedAt - now).toBeGreaterThanOrEqual(600);
    expect(row!.startedAt - now).toBeLessThan(2_000);
    expect(r.instance).toBe('restarted');
  });

  it('a restart on the same host replaces at once the row of a pid that no longer runs there', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid; // exited: no process has this pid now
    const now = await serverNow();
    await admin.query(
      `insert into watchers values ('eu-1', 'killed', 'sharded', $1, $1, $2, $3, '1.2.3')`,
      [now, hostname(), gone],
    );
    await start({ id: 'eu-1', instance: 'restarted' });
    const [row] = await rows();
    expect(row).toMatchObject({ id: 'eu-1', instance: 'restarted' });
    expect(row!.startedAt - now).toBeLessThan(500); // no 3 × 200 ms wait
    // A row naming a pid that runs here (this test process) is waited out instead.
    await admin.query('delete from watchers');
    const later = await serverNow();
    await admin.query(
      `insert into watchers values ('eu-2', 'other', 'sharded', $1, $1, $2, $3, '1.2.3')`,
      [later, hostname(), process.pid],
    );
    await start({ id: 'eu-2', instance: 'second' });
    const eu2 = (await rows()).find((r) => r.id === 'eu-2');
    expect(eu2!.startedAt - later).toBeGreaterThanOrEqual(600);
  });

  it('of two processes starting at once with the same id exactly one gets in', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => start({ id: 'race', instance: `i-${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(5);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WatcherRegistryConflictError);
    expect(await rows()).toHaveLength(1);
  });

  it('a stale row of the same id is taken over; the displaced process learns it at its next beat', async () => {
    const displaced: (WatcherRow | null)[] = [];
    const old = await startWatcherRegistry({
      pool: pool(),
      id: 'eu-1',
      mode: 'sharded',
      version: '1.0.0',
      heartbeatMs: 60_000, // paused: no beat during the test…
      logger: silent,
      instance: 'old',
      onDisplaced: (by) => displaced.push(by),
    });
    running.push(old);
    await ageHeartbeat('eu-1', 200_000); // … and its last one is older than 3 × 60 s
    const fresh = await start({ id: 'eu-1', instance: 'new', heartbeatMs: 60_000 });
    expect((await rows()).map((w) => w.instance)).toEqual(['new']);

    // The old instance's heartbeat query no longer matches a row (next test: what the loop does).
    expect(await heartbeatWatcher(pgDbOf(admin), { id: 'eu-1', instance: 'old' })).toBe(false);
    await old.stop(); // unregistering removes only its own instance's row
    expect((await rows()).map((w) => w.instance)).toEqual(['new']);
    await fresh.stop();
  });

  it('a displaced registry stops beating and calls onDisplaced with the row that replaced it', async () => {
    const displaced: (WatcherRow | null)[] = [];
    await start({ id: 'eu-2', instance: 'old', onDisplaced: (by) => displaced.push(by) });
    // Another process replaced the row while this one was cut off (written directly: the old
    // heartbeat is still fresh, so startWatcherRegistry would refuse).
    await admin.query("update watchers set instance = 'other', host = 'box-z' where id = 'eu-2'");
    for (let i = 0; i < 50 && displaced.length === 0; i++) await sleep(20);
    expect(displaced.map((r) => r && [r.instance, r.host])).toEqual([['other', 'box-z']]);
    const hb = (await rows())[0]!.heartbeatAt;
    await sleep(500);
    expect((await rows())[0]!.heartbeatAt).toBe(hb); // it no longer beats on the other's row
  });

  it('refuses to mix modes with live watchers, saying why; dead watchers of the other mode do not count', async () => {
    await start({ id: 'a', mode: 'sharded', host: 'box-a' });
    const attempt = start({ id: 'b', mode: 'redundant' });
    await expect(attempt).rejects.toThrow(
      /watcher "b" cannot start in redundant mode: live watcher\(s\) on this database run sharded mode: "a" .*must not mix.*same cluster\.mode/,
    );
    await expect(attempt).rejects.toMatchObject({ conflict: 'mode-mismatch' });
    // Same mode joins.
    await start({ id: 'c', mode: 'sharded' });
    expect((await rows()).map((w) => w.id)).toEqual(['a', 'c']);

    // Once every sharded watcher is dead (heartbeats stale), a redundant one may start.
    await Promise.all(running.splice(0).map((r) => r.stop()));
    await admin.query(
      "insert into watchers values ('ghost', 'g', 'sharded', 0, 0, 'box-g', 9, '0.9.0')",
    );
    const b = await start({ id: 'b', mode: 'redundant' });
    expect(b.mode).toBe('redundant');
  });

  it('liveWatchers: only heartbeats fresher than freshMs before now (given, or the server clock)', async () => {
    const now = await serverNow();
    await admin.query(
      `insert into watchers values
         ('fresh', 'i', 'redundant', $1, $1, 'h', 1, 'v'),
         ('edge', 'i', 'redundant', $2, $2, 'h', 2, 'v'),
         ('dead', 'i', 'redundant', $3, $3, 'h', 3, 'v')`,
      [now - 100, now - 1_000, now - 5_000],
    );
    const db = pgDbOf(admin);
    const ids = async (p: { now?: number; freshMs: number }) =>
      (await liveWatchers(db, p)).map((w) => w.id);
    expect(await ids({ now, freshMs: 1_001 })).toEqual(['edge', 'fresh']);
    expect(await ids({ now, freshMs: 1_000 })).toEqual(['fresh']);
    expect(await ids({ now: now + 10_000, freshMs: 1_000 })).toEqual([]);
    expect(await ids({ freshMs: 60_000 })).toEqual(['dead', 'edge', 'fresh']);
  });

  it('rejects a heartbeat interval below 100 ms', async () => {
    await expect(start({ id: 'x', heartbeatMs: 50 })).rejects.toThrow(
      /heartbeatMs must be an integer ≥ 100, got 50/,
    );
  });
});
