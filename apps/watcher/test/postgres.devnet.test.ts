import { type DevnetChain, startDevnetChain } from '@perpscope/devnet';
import type { ChainDetail, IncidentList } from '@perpscope/schemas';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import type { ChainEntryInput } from '../src/config/chainsConfig.js';
import { parseConfig } from '../src/config/loadConfig.js';
import { devnetChainEntry } from '../src/demo/devnetChainEntry.js';
import { Env } from '../src/env.js';
import { type RunningWatcher, startWatcher } from '../src/runtime/startWatcher.js';
import { startDevnetWatcher, statusSequence, waitFor } from './support/devnetWatcher.js';
import { type PostgresServer, startPostgres } from './support/startPostgres.js';

/*
 * The watcher on PostgreSQL (issue 17), on a real server (support/startPostgres.ts, one per file,
 * a database per test) and devnet chains: a halt and its recovery (status, incident, SSE), a
 * restart in the middle of the incident, and two watcher processes on one database whose SSE
 * streams each carry every event of both (the main thread's `followEvents`).
 */

const TIMING = { pollIntervalMs: 250, graceSeconds: 4 };
const logger = () => pino({ level: process.env.PERPSCOPE_TEST_LOG ?? 'silent' });

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

type SseEvent = { id: number; kind: string; subjectId: string; to?: string; incident?: string };

/** Reads `/v1/events` of `base` (from `lastEventId` when given) into a list, until `close()`. */
function readEvents(base: string, lastEventId?: number) {
  const events: SseEvent[] = [];
  const abort = new AbortController();
  const done = (async () => {
    const res = await fetch(`${base}/v1/events`, {
      signal: abort.signal,
      headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) },
    });
    if (!res.ok || !res.body) throw new Error(`GET /v1/events → ${res.status}`);
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of res.body) {
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = text.indexOf('\n\n');
      while (end >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        end = text.indexOf('\n\n');
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        const id = field('id');
        const data = field('data');
        if (id === undefined || data === undefined) continue; // heartbeat
        const parsed = JSON.parse(data) as {
          kind: string;
          subject: { id: string };
          payload: { to?: string; kind?: string };
        };
        events.push({
          id: Number(id),
          kind: parsed.kind,
          subjectId: parsed.subject.id,
          ...(parsed.payload.to !== undefined && { to: parsed.payload.to }),
          ...(parsed.payload.kind !== undefined && { incident: parsed.payload.kind }),
        });
      }
    }
  })().catch(() => {
    // aborted by close(), or the watcher stopped (the server closed the stream): what was read stays
  });
  return {
    events,
    close: async () => {
      abort.abort();
      await done;
    },
  };
}

async function eventIdsAfter(url: string, afterId: number): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ id: string }>(
      'select id from events where id > $1 order by id',
      [afterId],
    );
    return r.rows.map((row) => Number(row.id));
  } finally {
    await client.end();
  }
}

async function startPgWatcher(
  url: string,
  chains: readonly DevnetChain[],
  thread: 'worker' | 'main' = 'worker',
  id = 'w1',
) {
  const config = parseConfig({
    raw: {
      server: { port: 0 },
      database: { url },
      // Each process on a database registers under its own id (sharded: one owner per chain).
      cluster: { id },
      chains: chains.map((c) => devnetChainEntry(c, TIMING) as ChainEntryInput),
    },
    source: 'test',
    env: Env.parse({}),
  });
  return startWatcher({
    config,
    clock: systemClock,
    logger: logger(),
    version: 'test',
    ingestion: { thread },
  });
}

const getJson = async <T>(url: string): Promise<T> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
};
const statusOf = async (w: RunningWatcher, chainId: number) =>
  (await getJson<ChainDetail>(`${w.url}/v1/chains/${chainId}`)).status;

describe('the watcher on PostgreSQL', () => {
  it('a devnet chain halts and recovers: status, one incident opened and closed, events over SSE in id order, once', {
    timeout: 120_000,
  }, async () => {
    const url = await server.createDatabase('halt_recover');
    const dw = await startDevnetWatcher({
      specs: [{ name: 'pg-halt', chainId: 1301, blockTime: 1 }],
      timing: TIMING,
      databaseUrl: url,
    });
    let stream: ReturnType<typeof readEvents> | null = null;
    try {
      expect(dw.watcher.ingestionThread).toBe('worker');
      const id = 1301;
      await waitFor('up', async () => (await statusOf(dw.watcher, id)) === 'up', 30_000);
      const startId = (await eventIdsAfter(url, 0)).at(-1) ?? 0;
      stream = readEvents(dw.watcher.url, startId);
      await dw.chain('pg-halt').halt();
      await waitFor('halted', async () => (await statusOf(dw.watcher, id)) === 'halted', 20_000);
      const open = await dw.get<IncidentList>(`/v1/incidents?subjectId=${id}&kind=sequencer`);
      expect(open.items.map((i) => i.state)).toEqual(['open']);
      await dw.chain('pg-halt').resume();
      await waitFor('up again', async () => (await statusOf(dw.watcher, id)) === 'up', 30_000);
      const closed = await dw.get<IncidentList>(`/v1/incidents?subjectId=${id}&kind=sequencer`);
      expect(closed.items.map((i) => [i.id, i.state])).toEqual([[open.items[0]!.id, 'closed']]);
      await waitFor(
        'incident.closed over SSE',
        () =>
          stream!.events.some((e) => e.kind === 'incident.closed' && e.incident === 'sequencer'),
        10_000,
      );
      const seen = stream.events;
      const table = await eventIdsAfter(url, startId);
      // Every committed event after startId, in id order, each once (the worker writes, the main
      // thread's follower publishes; the worker's own posting is off on PostgreSQL).
      expect(seen.map((e) => e.id)).toEqual(table.slice(0, seen.length));
      const sequencer = (kind: string) =>
        seen.filter((e) => e.kind === kind && e.incident === 'sequencer').length;
      expect([sequencer('incident.opened'), sequencer('incident.closed')]).toEqual([1, 1]);
      const sequence = statusSequence(
        // the in-process subscribers (the main thread's event log) saw the same events
        dw.events.filter((e) => e.id > startId),
        id,
      );
      expect(sequence).toEqual(['up', 'degraded', 'halted', 'recovering', 'up']);
      expect(dw.events.filter((e) => e.id > startId).map((e) => e.id)).toEqual(
        seen.map((e) => e.id).slice(0, dw.events.filter((e) => e.id > startId).length),
      );
      // Resume mid-stream: exactly the rest, from the table.
      const middle = seen[Math.floor(seen.length / 2)]!.id;
      const resumed = readEvents(dw.watcher.url, middle);
      await waitFor('resumed replay', () => resumed.events.length >= seen.length / 2 - 1, 10_000);
      await resumed.close();
      expect(resumed.events.map((e) => e.id)).toEqual(
        table.filter((x) => x > middle).slice(0, resumed.events.length),
      );
    } finally {
      await stream?.close();
      await dw.stop();
    }
  });

  it('a database that stops answering: /readyz 503, the chain writes count as failing, no crash; then it recovers', {
    timeout: 120_000,
  }, async () => {
    const url = await server.createDatabase('outage');
    const name = new URL(url).pathname.slice(1);
    const dw = await startDevnetWatcher({
      specs: [{ name: 'pg-outage', chainId: 1305, blockTime: 1 }],
      timing: TIMING,
      databaseUrl: url,
    });
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    const readyz = async () => {
      const res = await fetch(`${dw.watcher.url}/readyz`);
      return {
        status: res.status,
        body: (await res.json()) as { checks: Record<string, boolean> },
      };
    };
    try {
      await waitFor('up', async () => (await statusOf(dw.watcher, 1305)) === 'up', 30_000);
      await waitFor('/readyz 200', async () => (await readyz()).status === 200, 15_000);
      // Metrics and the storage report read PostgreSQL too.
      const metrics = await fetch(`${dw.watcher.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^perpscope_db_writable 1$/m);
      const storage = await getJson<{ databaseBytes: number }>(
        `${dw.watcher.url}/v1/admin/storage`,
      );
      expect(storage.databaseBytes).toBeGreaterThan(1_000_000);
      // The server refuses the database and drops every connection to it (both pools, LISTEN).
      await admin.query(`alter database ${name} allow_connections false`);
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1',
        [name],
      );
      const down = await waitFor(
        '/readyz 503',
        async () => {
          const r = await readyz();
          return r.status === 503 ? r : undefined;
        },
        15_000,
      );
      expect(down.body.checks.database).toBe(false);
      await waitFor(
        "the chain's write failing",
        () => dw.watcher.ops.storage.writeFailures().some((f) => f.writer === 'chain:1305'),
        15_000,
      );
      expect((await fetch(`${dw.watcher.url}/healthz`)).status).toBe(200);
      await admin.query(`alter database ${name} allow_connections true`);
      await waitFor('/readyz 200 again', async () => (await readyz()).status === 200, 20_000);
      expect(dw.watcher.ops.storage.writeFailures()).toEqual([]);
      await waitFor(
        'fresh status',
        async () => {
          const d = await getJson<ChainDetail>(`${dw.watcher.url}/v1/chains/1305`);
          return d.status === 'up' && Date.parse(d.updatedAt) > Date.now() - 3_000;
        },
        20_000,
      );
    } finally {
      await admin.query(`alter database ${name} allow_connections true`).catch(() => {});
      await admin.end();
      await dw.stop();
    }
  });

  it('a restart in the middle of a halt continues the same incident, which then closes once', {
    timeout: 120_000,
  }, async () => {
    const url = await server.createDatabase('restart');
    const chain = await startDevnetChain({ name: 'pg-restart', chainId: 1302, blockTime: 1 });
    const id = chain.chainId;
    try {
      const first = await startPgWatcher(url, [chain]);
      try {
        await waitFor('up', async () => (await statusOf(first, id)) === 'up', 30_000);
        await chain.halt();
        await waitFor('halted', async () => (await statusOf(first, id)) === 'halted', 20_000);
      } finally {
        await first.stop();
      }
      const before = await getJson<IncidentList>(
        `${first.url}/v1/incidents?subjectId=${id}&kind=sequencer`,
      ).catch(() => null);
      expect(before).toBeNull(); // the first watcher is gone
      // The second one runs its subjects on the main thread (the other ingestion path).
      const second = await startPgWatcher(url, [chain], 'main');
      const published: { id: number; kind: string; incident: string | undefined }[] = [];
      second.eventLog.subscribe((e) =>
        published.push({
          id: e.id,
          kind: e.kind,
          incident: (e.payload as { kind?: string }).kind,
        }),
      );
      try {
        expect(second.ingestionThread).toBe('main');
        const during = await waitFor(
          'incident after restart',
          async () => {
            const l = await getJson<IncidentList>(
              `${second.url}/v1/incidents?subjectId=${id}&kind=sequencer`,
            );
            return l.items.length > 0 ? l : undefined;
          },
          15_000,
        );
        expect(during.items.map((i) => i.state)).toEqual(['open']);
        const incidentId = during.items[0]!.id;
        expect(await statusOf(second, id)).toBe('halted');
        await chain.resume();
        await waitFor('up again', async () => (await statusOf(second, id)) === 'up', 30_000);
        const after = await getJson<IncidentList>(
          `${second.url}/v1/incidents?subjectId=${id}&kind=sequencer`,
        );
        expect(after.items.map((i) => [i.id, i.state])).toEqual([[incidentId, 'closed']]);
        // Its own writes reach its subscribers once, through the follower (publishWrites off).
        await waitFor(
          'incident.closed published',
          () => published.some((e) => e.kind === 'incident.closed' && e.incident === 'sequencer'),
          10_000,
        );
        const ids = published.map((e) => e.id);
        expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
        const { chains } = await getJson<{ chains: { chainId: number; status: string }[] }>(
          `${second.url}/v1/chains`,
        );
        expect(chains.map((c) => [c.chainId, c.status])).toEqual([[id, 'up']]);
      } finally {
        await second.stop();
      }
    } finally {
      await chain.stop();
    }
  });

  it('two watcher processes on one database: each SSE stream carries every event of both, in id order, once', {
    timeout: 120_000,
  }, async () => {
    const url = await server.createDatabase('two_watchers');
    const shared = await startDevnetChain({ name: 'pg-shared', chainId: 1303, blockTime: 1 });
    const onlyB = await startDevnetChain({ name: 'pg-only-b', chainId: 1304, blockTime: 1 });
    // Two sharded watchers (ids "a", "b") on one database: A owns the first chain, B the other
    // (a chain owned by another live watcher is refused: one owner per chain).
    const a = await startPgWatcher(url, [shared], 'worker', 'a');
    let b: RunningWatcher | null = null;
    const streams: ReturnType<typeof readEvents>[] = [];
    try {
      b = await startPgWatcher(url, [onlyB], 'worker', 'b');
      await waitFor(
        'both up on B',
        async () => (await statusOf(b!, onlyB.chainId)) === 'up',
        30_000,
      );
      await waitFor('up on A', async () => (await statusOf(a, shared.chainId)) === 'up', 30_000);
      // Each serves the other's chain from the shared tables.
      expect(await statusOf(b, shared.chainId)).toBe('up');
      const startId = (await eventIdsAfter(url, 0)).at(-1) ?? 0;
      streams.push(readEvents(a.url, startId), readEvents(b.url, startId));
      const [fromA, fromB] = streams as [
        ReturnType<typeof readEvents>,
        ReturnType<typeof readEvents>,
      ];
      await Promise.all([onlyB.halt(), shared.halt()]);
      // Only B watches onlyB: its halt reaches A's clients through the database (and A's B's).
      await waitFor(
        "B's halt over A's SSE",
        () => fromA.events.some((e) => e.subjectId === String(onlyB.chainId) && e.to === 'halted'),
        20_000,
      );
      await waitFor(
        "the shared chain's halt over both",
        () =>
          [fromA, fromB].every((s) =>
            s.events.some((e) => e.subjectId === String(shared.chainId) && e.to === 'halted'),
          ),
        20_000,
      );
      await Promise.all([onlyB.resume(), shared.resume()]);
      await waitFor(
        'recovered on B',
        async () => (await statusOf(b!, onlyB.chainId)) === 'up',
        30_000,
      );
      // Stop writing, then let both streams catch up with the table.
      await b.stop();
      b = null;
      await a.stop();
      const table = await eventIdsAfter(url, startId);
      expect(table.length).toBeGreaterThan(4);
      for (const s of [fromA, fromB]) {
        await s.close();
        const ids = s.events.map((e) => e.id);
        // In id order, once, no gaps: every committed event up to what this stream had read.
        expect(ids).toEqual(table.slice(0, ids.length));
      }
      // Both streams carried events of both chains, and A (which never watched onlyB) B's too.
      expect(
        fromA.events.filter((e) => e.subjectId === String(onlyB.chainId)).length,
      ).toBeGreaterThan(0);
      // …and B, which never watched A's chain, A's.
      expect(
        fromB.events.filter(
          (e) => e.kind === 'chain.status' && e.subjectId === String(shared.chainId),
        ).length,
      ).toBeGreaterThan(0);
    } finally {
      for (const s of streams) await s.close();
      await b?.stop();
      await a.stop();
      await Promise.all([shared.stop(), onlyB.stop()]);
    }
  });
});
