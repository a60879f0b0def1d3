import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../../test/support/startPostgres.js';
import { systemClock } from '../../clock.js';
import { type PgClusterRuntime, startPgCluster } from '../../cluster/startPgCluster.js';
import { SubjectOwnedElsewhereError } from '../../cluster/subjectCluster.js';
import { parseConfig } from '../../config/loadConfig.js';
import { createPgStore, type PgWatcherStore } from '../../db/store/createPgStore.js';
import { Env } from '../../env.js';
import { EventLog } from '../../events/eventLog.js';
import { createLogger } from '../../logger.js';
import type { Subject, SubjectContext } from '../../runtime/subject.js';
import type { ChainRpcFactory } from './chainRpc.js';
import { chainsSubjectFactory } from './chainsSubject.js';

/*
 * Sharded mode on one real PostgreSQL database: each watcher owns the chains of its own config and
 * prunes only those; a chain owned by another live watcher is refused. The chains' RPCs never answer
 * (the ownership rules do not depend on what the chains do).
 */

let server: PostgresServer;
let url: string;
const cleanups: (() => Promise<unknown>)[] = [];
const logger = createLogger({ level: 'silent' });
const deadRpc: ChainRpcFactory = (p) => {
  const fail = () => Promise.reject(new Error('unreachable (test)'));
  return { url: p.url, getBlock: fail, call: fail, sendRawTransaction: fail };
};

const chainEntry = (chainId: number) => ({
  key: `l2-${chainId}`,
  chainId,
  name: `L2 ${chainId}`,
  class: 'other',
  rpcUrls: [`http://127.0.0.1:9/${chainId}`],
});

async function watcher(
  id: string,
  chainIds: number[],
  reuse?: { store: PgWatcherStore; cluster: PgClusterRuntime },
) {
  const config = parseConfig({
    raw: {
      server: { port: 0 },
      database: { url },
      cluster: { id, mode: 'sharded', leaseSeconds: 3 },
      hip3: { enabled: false },
      chains: chainIds.map(chainEntry),
    },
    source: 'test',
    env: Env.parse({}),
  });
  const store = reuse?.store ?? (await createPgStore({ url, maxConnections: 3 }));
  const cluster =
    reuse?.cluster ??
    (await startPgCluster({
      cluster: { id, mode: 'sharded', leaseSeconds: 3 },
      pool: store.pg.pool,
      logger,
      version: 'test',
      thread: 'main',
    }));
  if (!reuse)
    cleanups.push(
      () => cluster.stop(),
      () => store.close(),
    );
  const ctx = {
    config,
    store,
    eventLog: new EventLog({ store, clock: systemClock, logger }),
    clock: systemClock,
    logger,
    cluster,
  } as SubjectContext;
  const subject: Subject = chainsSubjectFactory({ rpcFactory: deadRpc })(ctx)!;
  cleanups.push(() => subject.stop());
  return { store, cluster, subject };
}

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('sharded_chains');
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await server?.stop();
});

describe('sharded mode: one owner per chain', () => {
  it("prunes only the watcher's own chains and refuses a chain a live watcher owns", async () => {
    const x = await watcher('x', [101, 102]);
    await x.subject.start();
    const y = await watcher('y', [103]);
    await y.subject.start();
    const owners = () => x.store.queries.chains.chainOwners();
    expect(await owners()).toEqual([
      { chainId: 101, owner: 'x' },
      { chainId: 102, owner: 'x' },
      { chainId: 103, owner: 'y' },
    ]);
    // Each observer keeps its own endpoints' health.
    expect(await x.store.queries.chains.rpcHealthOf(101, 'x')).toHaveLength(1);
    expect(await x.store.queries.chains.rpcHealthOf(103, 'x')).toHaveLength(0);

    // x restarts with 102 removed from its file: 102 goes, y's 103 stays.
    await x.subject.stop();
    const x2 = await watcher('x', [101], x);
    await x2.subject.start();
    expect(await owners()).toEqual([
      { chainId: 101, owner: 'x' },
      { chainId: 103, owner: 'y' },
    ]);

    // z lists y's chain while y is alive: refused, naming the chain, the owner and the field.
    const z = await watcher('z', [103, 104]);
    const error = await z.subject.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubjectOwnedElsewhereError);
    expect((error as Error).message).toContain(
      'chains: chain l2-103 (103) is watched by live watcher "y"',
    );
    expect(await owners()).toEqual([
      { chainId: 101, owner: 'x' },
      { chainId: 103, owner: 'y' },
    ]);

    // Once y is gone (unregistered), z may take its chain over.
    await y.subject.stop();
    await y.cluster.stop();
    const z2 = await watcher('z', [103], z);
    await z2.subject.start();
    expect(await owners()).toEqual([
      { chainId: 101, owner: 'x' },
      { chainId: 103, owner: 'z' },
    ]);
  }, 60_000);
});
