import { type DevnetChain, startDevnet } from '@perpscope/devnet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../../test/support/startPostgres.js';
import { systemClock } from '../../clock.js';
import type { PgClusterRuntime } from '../../cluster/startPgCluster.js';
import { REDUNDANT_OWNER, startPgCluster } from '../../cluster/startPgCluster.js';
import { parseConfig } from '../../config/loadConfig.js';
import { createPgStore, type PgWatcherStore } from '../../db/store/createPgStore.js';
import { devnetChainEntry } from '../../demo/devnetChainEntry.js';
import { Env } from '../../env.js';
import { EventLog } from '../../events/eventLog.js';
import { createLogger } from '../../logger.js';
import type { Subject, SubjectContext } from '../../runtime/subject.js';
import { type ChainRpcFactory, createChainRpc } from './chainRpc.js';
import { chainsSubjectFactory } from './chainsSubject.js';

/*
 * Redundant mode on one real PostgreSQL database: two in-process watchers ("a", "b") watch the same
 * devnet chain through the chains subject, each with its own store, event log and cluster runtime.
 * Only the incidents duty holder records the combined status; a blind observer abstains.
 */

let server: PostgresServer;
let chain: DevnetChain;
let stopDevnet: () => Promise<void>;
const cleanups: (() => Promise<unknown>)[] = [];
const logger = createLogger({ level: process.env.PERPSCOPE_TEST_LOG ?? 'silent' });

type Watcher = {
  store: PgWatcherStore;
  cluster: PgClusterRuntime;
  subject: Subject;
  /** While true, every RPC request of this watcher fails (its network is cut off). */
  blind: { on: boolean };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what: string, f: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  server = await startPostgres();
  const devnet = await startDevnet([{ name: 'pair-op', chainId: 1301, blockTime: 1, rpcCount: 2 }]);
  chain = devnet.chains[0]!;
  stopDevnet = devnet.stop;
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await stopDevnet?.();
  await server?.stop();
});

describe('redundant mode: two watchers, one chain, one database', () => {
  it('a blind watcher does not make the pair report a halt; a real halt opens one incident; the other watcher records the recovery after the holder dies', async () => {
    const url = await server.createDatabase('redundant_pair');
    const config = parseConfig({
      raw: {
        server: { port: 0 },
        database: { url },
        cluster: { mode: 'redundant', leaseSeconds: 3 },
        hip3: { enabled: false },
        chains: [devnetChainEntry(chain, { pollIntervalMs: 400, graceSeconds: 2 })],
      },
      source: 'test',
      env: Env.parse({}),
    });
    const chainId = chain.chainId;

    async function watcher(id: string): Promise<Watcher> {
      const store = await createPgStore({ url, maxConnections: 4 });
      const cluster = await startPgCluster({
        cluster: { id, mode: 'redundant', leaseSeconds: 3 },
        pool: store.pg.pool,
        logger,
        version: 'test',
        thread: 'main',
        dutyIntervalMs: 200,
      });
      const blind = { on: false };
      const rpcFactory: ChainRpcFactory = (p) => {
        const real = createChainRpc(p);
        const cut = () => Promise.reject(new Error(`watcher ${id}: network cut off (test)`));
        return {
          url: real.url,
          getBlock: (tag) => (blind.on ? cut() : real.getBlock(tag)),
          call: (q) => (blind.on ? cut() : real.call(q)),
          sendRawTransaction: (raw) => (blind.on ? cut() : real.sendRawTransaction(raw)),
        };
      };
      const ctx = {
        config,
        store,
        eventLog: new EventLog({ store, clock: systemClock, logger }),
        clock: systemClock,
        logger: logger.child({ watcher: id }),
        cluster,
      } as SubjectContext;
      const subject = chainsSubjectFactory({ rpcFactory })(ctx)!;
      cleanups.push(
        () => subject.stop(),
        () => cluster.stop(),
        () => store.close(),
      );
      return { store, cluster, subject, blind };
    }

    // b takes the incidents duty before a exists: b records the combined status — and b is the
    // one that goes blind below, so its own evaluation is not what the pair serves.
    const b = await watcher('b');
    await waitFor('b holds incidents', async () => b.cluster.duty('incidents').held() !== null);
    const a = await watcher('a');
    await a.subject.start();
    await b.subject.start();

    const q = a.store.queries;
    const combined = async () => (await q.chains.readChainState(chainId))?.status ?? null;
    const observation = async (observer: string) =>
      (await q.chains.chainObservationsOf(chainId)).find((o) => o.observer === observer)?.status ??
      null;
    const openIncidents = async () =>
      (await q.incidents.listIncidents({ limit: 50 })).items.filter(
        (i) => i.subject.type === 'chain' && i.endedAt === null,
      );

    // The pair's rows are shared (owner "redundant"); RPC health is kept per observer.
    expect(await q.chains.chainOwners()).toEqual([{ chainId, owner: REDUNDANT_OWNER }]);
    await waitFor('both observers up, combined up', async () => {
      return (
        (await observation('a')) === 'up' &&
        (await observation('b')) === 'up' &&
        (await combined()) === 'up'
      );
    });
    expect((await q.chains.rpcHealthOf(chainId, 'a')).length).toBe(2);
    expect((await q.chains.rpcHealthOf(chainId, 'b')).length).toBe(2);

    // b (the holder) goes blind: its own evaluation turns unknown, it abstains, a's "up" is
    // served, no incident opens.
    b.blind.on = true;
    await waitFor('b unknown', async () => (await observation('b')) === 'unknown');
    await sleep(3_000);
    expect(await observation('b')).toBe('unknown');
    expect(await combined()).toBe('up');
    expect(await openIncidents()).toEqual([]);
    b.blind.on = false;
    await waitFor('b sees blocks again', async () => (await observation('b')) === 'up');

    // A real halt: both observers see it, the pair reports it, one sequencer incident.
    await chain.halt();
    await waitFor('combined halted', async () => (await combined()) === 'halted', 40_000);
    expect(await observation('b')).toBe('halted');
    // (a halted chain's safe head lags too: a safe-lag incident may open beside it)
    const halted = await openIncidents();
    expect(halted.filter((i) => i.kind === 'sequencer')).toHaveLength(1);

    // The holder dies without releasing anything: its polls stop and its connections go away
    // (lease renewals fail). a takes the duty over within a lease period (3 s) and records the
    // recovery from the stored combined state.
    await b.subject.stop();
    const diedAt = Date.now();
    void b.store.pg.pool.end().catch(() => {});
    await waitFor('a holds incidents', async () => a.cluster.duty('incidents').held() !== null);
    expect(Date.now() - diedAt).toBeLessThan(3_000 + 2_000);
    await chain.resume();
    await waitFor('combined recovers', async () => {
      const s = await combined();
      return s === 'recovering' || s === 'up';
    });
    const transitions = await q.chains.recentTransitions(chainId, 20);
    expect(transitions.some((t) => t.fromStatus === 'halted')).toBe(true);
    await waitFor(
      'sequencer incident closed',
      async () => !(await openIncidents()).some((i) => i.kind === 'sequencer'),
      30_000,
    );
    const all = (await q.incidents.listIncidents({ limit: 50 })).items.filter(
      (i) => i.kind === 'sequencer',
    );
    expect(all).toHaveLength(1);
  }, 120_000);
});
