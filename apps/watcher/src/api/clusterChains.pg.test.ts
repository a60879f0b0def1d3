import { ChainDetail } from '@perpscope/schemas';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../test/support/startPostgres.js';
import type { ClusterRuntime } from '../cluster/clusterRuntime.js';
import { localDuty } from '../cluster/duty.js';
import { REDUNDANT_OWNER } from '../cluster/startPgCluster.js';
import { parseConfig } from '../config/loadConfig.js';
import { createApp } from '../createApp.js';
import { createPgStore, type PgWatcherStore } from '../db/store/createPgStore.js';
import { Env } from '../env.js';
import { EventLog } from '../events/eventLog.js';
import { dbMetricsSnapshot } from '../metrics/dbMetricsSnapshot.js';
import { initialChainState } from '../subjects/sequencer/chainStateRecord.js';
import { PG_VERSION_CHECK_MS } from '../subjects/sequencer/chainsRoutes.js';

/*
 * Issue 17: the HTTP API and /metrics of watcher "b" in a redundant pair on a real PostgreSQL — its
 * own RPC health (not observer "local", not "a"), and on /v1/chains/{id} the observers' evaluations
 * with the one the quorum chose.
 */

const logger = pino({ level: 'silent' });
const NOW = 1_800_000_000_000;
let server: PostgresServer;
let store: PgWatcherStore;

const clusterB: ClusterRuntime = {
  mode: 'redundant',
  id: 'b',
  owner: REDUNDANT_OWNER,
  observer: 'b',
  duty: localDuty,
  liveWatchers: async () => ['a', 'b'],
  stop: async () => {},
};

beforeAll(async () => {
  server = await startPostgres();
  store = await createPgStore({
    url: await server.createDatabase('cluster_chains'),
    maxConnections: 3,
  });
  const config = parseConfig({
    raw: {
      chains: [
        {
          key: 'l2-77',
          chainId: 77,
          name: 'L2 77',
          class: 'other',
          rpcUrls: ['http://rpc.example/77'],
          pollIntervalMs: 1_000,
        },
      ],
    },
    source: 't',
    env: Env.parse({}),
  });
  const q = store.queries.chains;
  for (const observer of ['a', 'b']) {
    await q.upsertChains(config.chains, NOW, REDUNDANT_OWNER, observer);
    const row = {
      chainId: 77,
      position: 0,
      health: observer === 'a' ? 'healthy' : 'failing',
      headNumber: observer === 'a' ? 500 : null,
      latencyMs: observer === 'a' ? 11 : 999,
      lastOkAt: null,
      lastError: null,
      consecutiveFailures: 0,
      malformedResponses: 0,
      updatedAt: NOW,
    };
    await q.updateRpcHealth([row], observer);
  }
  // a sees the chain up at head 500; b is blind (unknown: abstains); c stopped 10 s ago (stale).
  const observe = async (
    observer: string,
    at: number,
    status: 'up' | 'unknown',
    head: number | null,
  ) =>
    q.writeChainObservation({
      chainId: 77,
      observer,
      at,
      status,
      headNumber: head,
      headSeenAt: head === null ? null : at,
      state: { ...initialChainState(77, at), status },
    });
  await observe('a', NOW - 500, 'up', 500);
  await observe('b', NOW - 200, 'unknown', null);
  await observe('c', NOW - 10_000, 'up', 400);
  await q.writeChainState({ ...initialChainState(77, NOW), status: 'up' });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await server?.stop();
});

function app(cluster?: ClusterRuntime) {
  const clock = { now: () => NOW };
  return createApp({
    store,
    eventLog: new EventLog({ store, clock, logger, publishWrites: false }),
    clock,
    logger,
    version: 't',
    startedAt: 0,
    ...(cluster && { cluster }),
  });
}

describe("a redundant watcher's chain routes and metrics", () => {
  it("/v1/chains/{id} serves its own RPC health and the observers' quorum", async () => {
    const res = await app(clusterB).request('/v1/chains/77');
    expect(res.status).toBe(200);
    const body = ChainDetail.parse(await res.json());
    expect(body.rpcs.map((r) => [r.health, r.latencyMs])).toEqual([['failing', 999]]);
    expect(body.quorum?.chosen).toBe('a');
    expect(body.quorum?.status).toBe('up');
    expect(body.quorum?.observers).toEqual([
      {
        observer: 'a',
        status: 'up',
        at: new Date(NOW - 500).toISOString(),
        headNumber: 500,
        vote: 'voted',
        chosen: true,
      },
      {
        observer: 'b',
        status: 'unknown',
        at: new Date(NOW - 200).toISOString(),
        headNumber: null,
        vote: 'unknown',
        chosen: false,
      },
      {
        observer: 'c',
        status: 'up',
        at: new Date(NOW - 10_000).toISOString(),
        headNumber: 400,
        vote: 'stale',
        chosen: false,
      },
    ]);
    expect(body.quorum?.reason).toContain('up per "a"');
  });

  it('a single watcher shows no quorum', async () => {
    const body = ChainDetail.parse(await (await app().request('/v1/chains/77')).json());
    expect(body.quorum).toBeUndefined();
  });

  it('/metrics exports the RPC health of its own observer', async () => {
    const snapshot = await dbMetricsSnapshot({ store, now: () => NOW, observer: 'b' });
    expect(snapshot.chains.map((c) => c.rpcs.map((r) => [r.health, r.latencyMs]))).toEqual([
      [['failing', 999]],
    ]);
  });

  it('the OpenAPI document describes the quorum of GET /v1/chains/{chainId}', async () => {
    const doc = (await (await app(clusterB).request('/v1/openapi.json')).json()) as {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const s = doc.components.schemas;
    expect(Object.keys(s.ChainDetail?.properties ?? {})).toContain('quorum');
    expect(Object.keys(s.ChainQuorum?.properties ?? {})).toEqual([
      'chosen',
      'status',
      'reason',
      'observers',
    ]);
    expect(Object.keys(s.ChainObserver?.properties ?? {})).toEqual(
      expect.arrayContaining(['observer', 'status', 'at', 'headNumber', 'vote', 'chosen']),
    );
  });
});

describe('GET /v1/chains on PostgreSQL', () => {
  it('asks the server for the data version at most every PG_VERSION_CHECK_MS, and serves a commit after that', async () => {
    const a = app();
    const maintenance = store.maintenance as { changeVersion: () => Promise<string> };
    const real = maintenance.changeVersion;
    let asked = 0;
    // Counts the calls to the real store's version (a round trip each on PostgreSQL).
    maintenance.changeVersion = () => {
      asked++;
      return real.call(store.maintenance);
    };
    try {
      const requests = 40;
      const started = performance.now();
      for (let i = 0; i < requests; i++) expect((await a.request('/v1/chains')).status).toBe(200);
      const elapsedMs = performance.now() - started;
      expect(asked).toBeGreaterThanOrEqual(1);
      expect(asked).toBeLessThanOrEqual(Math.floor(elapsedMs / PG_VERSION_CHECK_MS) + 1);
      expect(asked).toBeLessThan(requests);

      // Bounded staleness: a commit is served once the version is asked again.
      await store.queries.chains.writeChainState({
        ...initialChainState(77, NOW),
        status: 'halted',
      });
      await new Promise((r) => setTimeout(r, PG_VERSION_CHECK_MS + 20));
      const body = (await (await a.request('/v1/chains')).json()) as {
        chains: { chainId: number; status: string }[];
      };
      expect(body.chains.find((c) => c.chainId === 77)?.status).toBe('halted');
    } finally {
      maintenance.changeVersion = real;
      await store.queries.chains.writeChainState({ ...initialChainState(77, NOW), status: 'up' });
    }
  });
});
