import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../test/support/startPostgres.js';
import { AlertOutbox } from '../alerts/AlertOutbox.js';
import { AlertsConfig } from '../alerts/alertsConfig.js';
import { resolveSinks } from '../alerts/formatAlert.js';
import { IncidentAlerter } from '../alerts/IncidentAlerter.js';
import { systemClock } from '../clock.js';
import { parseConfig } from '../config/loadConfig.js';
import { tryAcquireLease } from '../db/pg/pgLease.js';
import { createPgStore, type PgWatcherStore } from '../db/store/createPgStore.js';
import { Env } from '../env.js';
import { EventLog } from '../events/eventLog.js';
import { createLogger } from '../logger.js';
import type { SubjectContext } from '../runtime/subject.js';
import type { ChainRpcFactory } from '../subjects/sequencer/chainRpc.js';
import { chainsSubjectFactory } from '../subjects/sequencer/chainsSubject.js';
import type { ClusterRuntime } from './clusterRuntime.js';
import { type Duty, DutyLostError, localDuty, pgDuty } from './duty.js';
import { fencedStoreTransaction } from './fencedTransaction.js';
import { REDUNDANT_OWNER } from './startPgCluster.js';

/*
 * Issue 17 fencing on a real PostgreSQL: a watcher paused through a lease takeover (its monotonic
 * clock frozen, so it still believes it holds the duty) must not commit the duty's writes — the
 * redundant combined chain state and the alert feed's cursor — after the new holder took over.
 */

let server: PostgresServer;
let url: string;
let store: PgWatcherStore;
const cleanups: (() => Promise<unknown>)[] = [];
const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(what: string, f: () => Promise<T | null>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * A duty `holder` holds, then loses on the server to another holder while its own clock stands
 * still (a paused process): `held()` stays non-null, only the fence can tell.
 */
async function pausedThroughTakeover(name: 'incidents' | 'alerts', holder: string): Promise<Duty> {
  await store.pg.pool.query('delete from leases where name = $1', [name]);
  const duty = pgDuty({
    pool: store.pg.pool,
    name,
    holder,
    ttlMs: 60_000,
    intervalMs: 3_600_000,
    now: () => 0,
    logger,
  });
  cleanups.push(() => duty.stop());
  const grant = await waitFor('the duty to be held', async () => duty.held());
  await store.pg.pool.query('update leases set expires_at = now() where name = $1', [name]);
  const next = await tryAcquireLease(store.pg.pool, { name, holder: 'other/1', ttlMs: 60_000 });
  expect(next?.epoch).toBe(grant.epoch + 1);
  expect(duty.held()).not.toBeNull();
  return duty;
}

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('fenced_tx');
  store = await createPgStore({ url, maxConnections: 4 });
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await store?.close();
  await server?.stop();
});

describe('writes fenced by their duty', () => {
  it('fencedStoreTransaction and EventLog.write({ duty }) roll back for a stale holder', async () => {
    const duty = await pausedThroughTakeover('alerts', 'stale/1');
    await expect(
      fencedStoreTransaction(store, duty, (q) => q.alerts.initAlertCursor('fence-probe')),
    ).rejects.toBeInstanceOf(DutyLostError);
    const eventLog = new EventLog({ store, clock: systemClock, logger });
    await expect(
      eventLog.write((w) => w.q.alerts.initAlertCursor('fence-probe'), { duty }),
    ).rejects.toBeInstanceOf(DutyLostError);
    expect(await store.queries.alerts.readAlertCursor('fence-probe')).toBeNull();
    // The same writes commit with a held duty.
    await fencedStoreTransaction(store, localDuty('alerts'), (q) =>
      q.alerts.initAlertCursor('fence-probe'),
    );
    expect(await store.queries.alerts.readAlertCursor('fence-probe')).not.toBeNull();
  });

  it('redundant mode: a stale incidents holder writes its own observation but not the combined chain state', async () => {
    const deadRpc: ChainRpcFactory = (p) => {
      const fail = () => Promise.reject(new Error('unreachable (test)'));
      return { url: p.url, getBlock: fail, call: fail, sendRawTransaction: fail };
    };
    const runChain = async (chainId: number, incidents: Duty) => {
      const config = parseConfig({
        raw: {
          server: { port: 0 },
          database: { url },
          cluster: { id: 'a', mode: 'redundant', leaseSeconds: 3 },
          hip3: { enabled: false },
          chains: [
            {
              key: `l2-${chainId}`,
              chainId,
              name: `L2 ${chainId}`,
              class: 'other',
              rpcUrls: [`http://127.0.0.1:9/${chainId}`],
              pollIntervalMs: 200,
            },
          ],
        },
        source: 'test',
        env: Env.parse({}),
      });
      const cluster: ClusterRuntime = {
        mode: 'redundant',
        id: 'a',
        owner: REDUNDANT_OWNER,
        observer: 'a',
        duty: (name) => (name === 'incidents' ? incidents : localDuty(name)),
        liveWatchers: async () => ['a'],
        stop: async () => {},
      };
      const ctx = {
        config,
        store,
        eventLog: new EventLog({ store, clock: systemClock, logger }),
        clock: systemClock,
        logger,
        cluster,
      } as SubjectContext;
      const subject = chainsSubjectFactory({ rpcFactory: deadRpc })(ctx)!;
      cleanups.push(() => subject.stop());
      await subject.start();
      // Several polls: the observation keeps being rewritten.
      const first = await waitFor('a first observation', async () => {
        const o = (await store.queries.chains.chainObservationsOf(chainId)).find(
          (x) => x.observer === 'a',
        );
        return o ?? null;
      });
      await waitFor('a later observation', async () => {
        const o = (await store.queries.chains.chainObservationsOf(chainId)).find(
          (x) => x.observer === 'a' && x.at > first.at,
        );
        return o ?? null;
      });
      await subject.stop();
      return store.queries.chains.readChainState(chainId);
    };
    // Held: the holder records the combined state (no fresh voter → unknown, the quorum's reason).
    const held = await runChain(7101, localDuty('incidents'));
    expect(held?.status).toBe('unknown');
    // Taken over while paused: the observation commits, the combined state does not.
    const stale = await pausedThroughTakeover('incidents', 'a/stale');
    expect(await runChain(7102, stale)).toBeNull();
  });

  it('a stale incidents holder cannot advance the alert feed cursor nor queue its rows', async () => {
    const duty = await pausedThroughTakeover('incidents', 'a/feed');
    const eventLog = new EventLog({ store, clock: systemClock, logger });
    const outbox = new AlertOutbox({
      store,
      sinks: resolveSinks(
        AlertsConfig.parse({ sinks: [{ name: 'hook', kind: 'webhook', urlEnv: 'HOOK' }] }).sinks,
        { HOOK: 'http://127.0.0.1:9/hook' },
      ),
      config: AlertsConfig.parse({
        sinks: [{ name: 'hook', kind: 'webhook', urlEnv: 'HOOK' }],
      }),
      now: Date.now,
      logger,
    });
    const alerter = new IncidentAlerter({
      store,
      eventLog,
      outbox,
      describe: async () => null,
      logger,
      duty,
      pollMs: 60_000,
    });
    await alerter.start(); // initialises the cursor at the end of the log
    const cursor = await store.queries.alerts.readAlertCursor('incidents');
    expect(cursor).not.toBeNull();
    // An incident and a non-incident event after the cursor: both would advance it.
    await eventLog.write(async (w) => {
      await w.openIncident({
        subject: { type: 'chain', id: '7103' },
        kind: 'halt',
        severity: 'critical',
        title: 'L2 7103 halted',
      });
    });
    expect(await alerter.catchUp()).toBe(0);
    await alerter.stop();
    expect(await store.queries.alerts.readAlertCursor('incidents')).toBe(cursor);
    expect(await outbox.pendingCount()).toBe(0);
  });
});
