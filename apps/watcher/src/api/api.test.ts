import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainDetail, ChainList, IncidentList, Problem, WatcherEvent } from '@perpscope/schemas';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/loadConfig.js';
import { createApp } from '../createApp.js';
import { type OpenDb, openDb } from '../db/openDb.js';
import { upsertChains, writeChainState } from '../db/queries/chains.js';
import { createChangeCounter, createSqliteStore } from '../db/store/createSqliteStore.js';
import { Env } from '../env.js';
import { EventLog } from '../events/eventLog.js';
import { chainFlagsPayload, chainStatusPayload } from '../events/testEvents.js';
import { initialChainState } from '../subjects/sequencer/chainStateRecord.js';

const logger = pino({ level: 'silent' });
let open: OpenDb | null = null;
afterEach(() => open?.close());

function setup() {
  open = openDb({ path: ':memory:' });
  const now = { t: 1_800_000_000_000 };
  const clock = { now: () => now.t };
  const eventLog = new EventLog({ store: createSqliteStore(open), clock, logger });
  const app = createApp({
    store: createSqliteStore(open),
    eventLog,
    clock,
    logger,
    version: 't',
    startedAt: 0,
    sseHeartbeatMs: 50,
  });
  const config = parseConfig({
    raw: { chains: ['base', 'arbitrum-one'] },
    source: 't',
    env: Env.parse({}),
  });
  upsertChains(open.db, config.chains, now.t);
  return { db: open.db, sqlite: open.sqlite, app, eventLog, now };
}

describe('GET /v1/chains', () => {
  it('lists the watched chains with status, phase, guidance and head age at request time', async () => {
    const { sqlite, app, now } = setup();
    writeChainState(sqlite, {
      ...initialChainState(8453, now.t),
      status: 'halted',
      reasons: ['no new block for 61.0 s (halted after 60 s)'],
      head: { number: 7, hash: '0xab', timestamp: now.t / 1000 - 61 },
      lastIncreaseAt: now.t - 61_000,
      lastIncreaseNumber: 7,
    });
    now.t += 4000;
    const res = await app.request('/v1/chains');
    expect(res.status).toBe(200);
    const body = ChainList.parse(await res.json());
    expect(body.chains.map((c) => [c.chainId, c.status])).toEqual([
      [8453, 'halted'],
      [42161, 'unknown'],
    ]);
    const base = body.chains[0]!;
    expect(base.phase).toBe('halted');
    expect(base.guidance.join(' ')).toMatch(/2× normal/);
    expect(base.headAgeSeconds).toBe(65);
    expect(base.secondsSinceNewHead).toBe(65);
  });

  it('reuses the list only while nothing was written and for at most 100 ms', async () => {
    const { sqlite, app, now } = setup();
    const statusOf = async () =>
      ChainList.parse(await (await app.request('/v1/chains')).json()).chains[0]!;
    expect((await statusOf()).status).toBe('unknown');
    // A write at the same clock time shows at once (no stale answer from the cache).
    writeChainState(sqlite, {
      ...initialChainState(8453, now.t),
      status: 'up',
      head: { number: 7, hash: '0xab', timestamp: now.t / 1000 - 1 },
      lastIncreaseAt: now.t - 1000,
      lastIncreaseNumber: 7,
    });
    expect((await statusOf()).headAgeSeconds).toBe(1);
    now.t += 50; // unchanged data: the cached bytes, ages as of 50 ms ago
    expect((await statusOf()).headAgeSeconds).toBe(1);
    now.t += 50; // 100 ms: recomputed
    expect((await statusOf()).headAgeSeconds).toBe(1.1);
  });

  it('carries an ETag of the body; If-None-Match naming it is a 304 without a body, a stale one a 200', async () => {
    const { sqlite, app, now } = setup();
    const first = await app.request('/v1/chains');
    const bytes = new Uint8Array(await first.arrayBuffer());
    const etag = first.headers.get('etag');
    expect(etag).toBe(`"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`);
    for (const ifNoneMatch of [etag!, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await app.request('/v1/chains', { headers: { 'if-none-match': ifNoneMatch } });
      expect(res.status, ifNoneMatch).toBe(304);
      expect(await res.text()).toBe('');
      expect(res.headers.get('etag')).toBe(etag);
      // The 304 carries what the 200 would: Vary and the security headers.
      expect(res.headers.get('vary')).toBe('Origin');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // The data changes (same clock time): the cached body is replaced, the old tag no longer matches.
    writeChainState(sqlite, {
      ...initialChainState(8453, now.t),
      status: 'up',
      head: { number: 7, hash: '0xab', timestamp: now.t / 1000 - 1 },
      lastIncreaseAt: now.t - 1000,
      lastIncreaseNumber: 7,
    });
    const changed = await app.request('/v1/chains', { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(ChainList.parse(await changed.json()).chains[0]!.status).toBe('up');
  });

  it('shows a write of the ingestion worker at once when the stores share a change counter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpscope-api-counter-'));
    const path = join(dir, 'w.db');
    const counter = createChangeCounter();
    const main = openDb({ path });
    const worker = openDb({ path });
    try {
      const now = { t: 1_800_000_000_000 };
      const clock = { now: () => now.t };
      const store = createSqliteStore(main, { changeCounter: counter });
      const workerStore = createSqliteStore(worker, { changeCounter: counter });
      const app = createApp({
        store,
        eventLog: new EventLog({ store, clock, logger }),
        clock,
        logger,
        version: 't',
        startedAt: 0,
      });
      const config = parseConfig({ raw: { chains: ['base'] }, source: 't', env: Env.parse({}) });
      await workerStore.queries.chains.upsertChains(config.chains, now.t);
      const statusOf = async () =>
        ChainList.parse(await (await app.request('/v1/chains')).json()).chains[0]?.status;
      expect(await statusOf()).toBe('unknown');
      expect(await statusOf()).toBe('unknown'); // cached (same clock time, nothing written)
      await workerStore.queries.chains.writeChainState({
        ...initialChainState(8453, now.t),
        status: 'halted',
      });
      expect(await statusOf()).toBe('halted');
    } finally {
      main.close();
      worker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GET /v1/chains/{chainId} returns the detail; unknown ids 404, malformed ids 400 naming the field', async () => {
    const { app } = setup();
    const ok = await app.request('/v1/chains/42161');
    expect(ok.status).toBe(200);
    const detail = ChainDetail.parse(await ok.json());
    // Public even with a token set: scheme and host only (issue 14 item 5).
    expect(detail.rpcs.map((r) => r.url)).toContain('https://arb1.arbitrum.io/…');
    expect(detail.feed?.address).toBe('0xFdB631F5EE196F0ed6FAa767959853A9F217697D');
    expect(detail.probe.enabled).toBe(true);

    const missing = await app.request('/v1/chains/1');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');

    const bad = await app.request('/v1/chains/abc');
    expect(bad.status).toBe(400);
    const problem = Problem.parse(await bad.json());
    expect(problem.errors?.[0]?.field).toBe('param.chainId');
  });
});

describe('GET /v1/incidents', () => {
  it('paginates newest first by cursor and filters', async () => {
    const { app, eventLog } = setup();
    for (let i = 0; i < 5; i++) {
      await eventLog.write(async (w) => {
        const inc = await w.openIncident({
          subject: { type: 'chain', id: String(i) },
          kind: 'sequencer',
          severity: 'warning',
          title: `t${i}`,
        });
        if (i % 2 === 0) await w.closeIncident(inc);
      });
    }
    const page1 = IncidentList.parse(await (await app.request('/v1/incidents?limit=2')).json());
    expect(page1.items.map((i) => i.title)).toEqual(['t4', 't3']);
    const page2 = IncidentList.parse(
      await (await app.request(`/v1/incidents?limit=2&cursor=${page1.nextCursor}`)).json(),
    );
    expect(page2.items.map((i) => i.title)).toEqual(['t2', 't1']);
    const open = IncidentList.parse(await (await app.request('/v1/incidents?state=open')).json());
    expect(open.items.map((i) => i.title)).toEqual(['t3', 't1']);
    expect(open.nextCursor).toBeNull();
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=abc', 'query.limit'],
    ['state=maybe', 'query.state'],
    ['since=yesterday', 'query.since'],
    ['cursor=-1', 'query.cursor'],
  ])('a malformed query (%s) is a 400 problem+json naming %s', async (qs, field) => {
    const { app } = setup();
    const res = await app.request(`/v1/incidents?${qs}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = Problem.parse(await res.json());
    expect(body.status).toBe(400);
    expect(body.errors?.map((e) => e.field)).toEqual([field]);
    expect(body.detail).toContain(field);
  });
});

async function readEvents(res: Response, count: number): Promise<WatcherEvent[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const out: WatcherEvent[] = [];
  while (out.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
    const frames = text.split('\n\n');
    text = frames.pop() ?? '';
    for (const f of frames) {
      const data = f.split('\n').find((l) => l.startsWith('data: '));
      if (data) out.push(WatcherEvent.parse(JSON.parse(data.slice(6))));
    }
  }
  await reader.cancel();
  return out;
}

describe('GET /v1/events (SSE)', () => {
  it('resumes after Last-Event-ID from the persisted log, then streams live events', async () => {
    const { app, eventLog } = setup();
    for (let i = 1; i <= 4; i++)
      await eventLog.write((w) =>
        w.emit('chain.status', { type: 'chain', id: '10' }, chainStatusPayload({ chainId: i })),
      );
    const res = await app.request('/v1/events', { headers: { 'Last-Event-ID': '2' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    setTimeout(
      () =>
        void eventLog.write((w) =>
          w.emit('chain.flags', { type: 'chain', id: '10' }, chainFlagsPayload({ chainId: 5 })),
        ),
      30,
    );
    const events = await readEvents(res, 3);
    expect(events.map((e) => [e.id, e.kind, 'chainId' in e.payload && e.payload.chainId])).toEqual([
      [3, 'chain.status', 3],
      [4, 'chain.status', 4],
      [5, 'chain.flags', 5],
    ]);
  });

  it('rejects a malformed Last-Event-ID with a 400 naming the header', async () => {
    const { app } = setup();
    const res = await app.request('/v1/events', { headers: { 'Last-Event-ID': 'x1' } });
    expect(res.status).toBe(400);
    expect(Problem.parse(await res.json()).errors?.[0]?.field).toBe('header.last-event-id');
  });
});

describe('OpenAPI and docs', () => {
  it('documents every RPC verdict with its reason, head and age, and the idle flag (issue 13)', async () => {
    const { app } = setup();
    const doc = (await (await app.request('/v1/openapi.json')).json()) as {
      components: {
        schemas: Record<string, { properties?: Record<string, unknown>; enum?: string[] }>;
      };
    };
    const s = doc.components.schemas;
    expect(s.RpcHealthStatus?.enum).toEqual(['healthy', 'lagging', 'stuck', 'failing', 'unknown']);
    expect(s.RpcReasonCode?.enum).toContain('inconsistent-chain');
    expect(Object.keys(s.RpcHealth?.properties ?? {})).toEqual(
      expect.arrayContaining([
        'health',
        'reasonCode',
        'reason',
        'headNumber',
        'headAgeSeconds',
        'secondsSinceNewHead',
      ]),
    );
    expect(Object.keys(s.ChainFlags?.properties ?? {})).toContain('idle');
  });

  it('serves an OpenAPI 3.1 document with every route and a docs page with no external assets', async () => {
    const { app } = setup();
    const doc = (await (await app.request('/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/readyz',
        '/v1/chains',
        '/v1/chains/{chainId}',
        '/v1/incidents',
        '/v1/events',
      ]),
    );
    const html = await (await app.request('/docs')).text();
    expect(html).toContain('/v1/openapi.json');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/from 'https?:/);
  });

  it('/readyz reports the database check', async () => {
    const { app } = setup();
    const res = await app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: true } });
  });
});
