import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../test/support/startPostgres.js';
import { ClusterConfig } from '../config/clusterConfig.js';
import { migratePg } from '../db/pg/openPgDb.js';
import { WatcherRegistryConflictError } from '../db/pg/watcherRegistry.js';
import { WatcherError } from '../errors.js';
import { createLogger } from '../logger.js';
import { REDUNDANT_OWNER, startPgCluster } from './startPgCluster.js';

// startPgCluster on a real PostgreSQL server: registration conflicts, owner/observer per mode,
// lazily kept duties and their release on stop.

let server: PostgresServer;
const pools: pg.Pool[] = [];
const stops: (() => Promise<void>)[] = [];
const logger = createLogger({ level: 'silent' });

async function database(name: string): Promise<() => pg.Pool> {
  const url = await server.createDatabase(name);
  await migratePg({ url });
  return () => {
    const p = new pg.Pool({ connectionString: url, max: 3 });
    p.on('error', () => {});
    pools.push(p);
    return p;
  };
}

async function start(
  pool: pg.Pool,
  cluster: Record<string, unknown>,
  thread: 'main' | 'ingestion' = 'main',
) {
  const c = await startPgCluster({
    cluster: ClusterConfig.parse({ leaseSeconds: 3, ...cluster }),
    pool,
    logger,
    version: 'test',
    thread,
    dutyIntervalMs: 100,
  });
  stops.push(() => c.stop());
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(what: string, f: () => T | null | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);

afterAll(async () => {
  await Promise.all(stops.map((s) => s().catch(() => {})));
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  await server?.stop();
});

describe('startPgCluster', () => {
  it('sharded: owner and observer are the id; a second live watcher with the same id is refused naming it', async () => {
    const pool = await database('cluster_sharded');
    const a = await start(pool(), { id: 'alpha', mode: 'sharded' });
    expect([a.mode, a.id, a.owner, a.observer]).toEqual(['sharded', 'alpha', 'alpha', 'alpha']);
    const error = await start(pool(), { id: 'alpha', mode: 'sharded' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WatcherRegistryConflictError);
    expect(error).toBeInstanceOf(WatcherError);
    expect((error as Error).message).toContain('watcher id "alpha" is already in use');
    const b = await start(pool(), { id: 'beta', mode: 'sharded' });
    expect(await b.liveWatchers()).toEqual(['alpha', 'beta']);
    // the ingestion thread does not register: no conflict with its own main thread
    const worker = await start(pool(), { id: 'alpha', mode: 'sharded' }, 'ingestion');
    expect(worker.registry).toBeNull();
    await b.stop();
    expect(await a.liveWatchers()).toEqual(['alpha']);
  });

  it('redundant: a shared owner, per-watcher observers; mixing modes is refused', async () => {
    const pool = await database('cluster_redundant');
    const a = await start(pool(), { id: 'a', mode: 'redundant' });
    const b = await start(pool(), { id: 'b', mode: 'redundant' });
    expect([a.owner, a.observer, b.owner, b.observer]).toEqual([
      REDUNDANT_OWNER,
      'a',
      REDUNDANT_OWNER,
      'b',
    ]);
    const error = await start(pool(), { id: 'c', mode: 'sharded' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WatcherRegistryConflictError);
    expect((error as Error).message).toContain('cannot start in sharded mode');
  });

  it('keeps each duty once it is asked for; stop releases it so the other watcher takes over at once', async () => {
    const pool = await database('cluster_duties');
    const a = await start(pool(), { id: 'a', mode: 'redundant', leaseSeconds: 30 });
    const alertsA = a.duty('alerts');
    expect(a.duty('alerts')).toBe(alertsA);
    await waitFor('a holds alerts', () => alertsA.held());
    expect(alertsA.held()?.holder).toMatch(/^a\//);
    const b = await start(pool(), { id: 'b', mode: 'redundant', leaseSeconds: 30 });
    const alertsB = b.duty('alerts');
    await sleep(400);
    expect(alertsB.held()).toBeNull();
    const t0 = Date.now();
    await a.stop();
    await waitFor('b takes alerts over', () => alertsB.held());
    // far sooner than the 30 s lease: a released the lease, it did not let it expire
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(() => a.duty('retention')).toThrow(/stopped/);
  });
});
