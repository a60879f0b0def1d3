import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestSinkServer } from '../../src/alerts/testSinkServer.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { Env } from '../../src/env.js';
import { ConfigError } from '../../src/errors.js';
import { type RunningWatcher, startWatcher } from '../../src/runtime/startWatcher.js';
import { rawRequest, startTestProxy, type TestProxy } from '../support/testProxy.js';

/*
 * HTTP hardening suite, part 1: the reverse-proxy setup and X-Forwarded-For spoofing, on real
 * sockets (127.0.0.1, port 0). The watcher configs are read from the README's "Running behind a
 * reverse proxy" section, so the documented setup is the tested one; `startTestProxy` behaves
 * like the README's nginx block.
 */
const TOKEN = 'proxy-test-token-0123456789';
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's fenced YAML block whose first line is `firstLine`, parsed. */
function readmeConfig(firstLine: string): Record<string, unknown> {
  const blocks = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const block = blocks.find((b) => b.startsWith(`${firstLine}\n`));
  if (!block) throw new Error(`README has no yaml block starting with "${firstLine}"`);
  return parse(block) as Record<string, unknown>;
}

/** Frozen, so rate-limit buckets do not refill while a test counts requests. */
const frozenClock = { now: () => 1_800_000_000_000 };
let dir: string;
const running: { stop(): Promise<void> }[] = [];

async function start(
  raw: Record<string, unknown>,
  secrets: Record<string, string>,
  clock: { now(): number } = frozenClock,
) {
  const server = { ...(raw.server as object), port: 0 };
  const config = parseConfig({
    raw: {
      ...raw,
      server,
      database: { path: join(dir, `w${running.length}.db`) },
      chains: [],
    },
    source: 'README',
    env: Env.parse({}),
  });
  const watcher = await startWatcher({
    config,
    clock,
    logger: pino({ level: 'silent' }),
    version: 'test',
    secrets,
  });
  running.push(watcher);
  const proxy = await startTestProxy(watcher.url);
  running.push({ stop: proxy.close });
  return { watcher, proxy };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'perpscope-proxy-'));
});
afterAll(async () => {
  for (const r of running.reverse()) await r.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends GETs until one is 429; returns how many were answered before it (or null). */
async function untilLimited(
  base: string,
  headers: Record<string, string>,
  max: number,
): Promise<number | null> {
  for (let i = 0; i < max; i++) {
    const res = await rawRequest(base, { path: '/v1/chains', headers });
    if (res.status === 429) return i;
    expect(res.status).toBe(200);
  }
  return null;
}

describe('HTTP hardening: the README reverse-proxy config with an API token', () => {
  let watcher: RunningWatcher;
  let proxy: TestProxy;
  beforeAll(async () => {
    ({ watcher, proxy } = await start(
      readmeConfig('# perpscope.yaml, watcher behind a reverse proxy on the same machine'),
      { PERPSCOPE_API_TOKEN: TOKEN },
    ));
  });

  it('serves reads through the proxy and wants the token on admin routes', async () => {
    const host = { host: 'status.example.com' };
    expect((await rawRequest(proxy.url, { path: '/v1/chains', headers: host })).status).toBe(200);
    const denied = await rawRequest(proxy.url, { path: '/v1/admin/storage', headers: host });
    expect(denied.status).toBe(401);
    const ok = await rawRequest(proxy.url, {
      path: '/v1/admin/storage',
      headers: { ...host, authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.status).toBe(200);
    expect((await rawRequest(watcher.url, { path: '/v1/admin/storage' })).status).toBe(401);
  });

  it('rate-limits forwarded clients per rightmost untrusted X-Forwarded-For entry', async () => {
    ({ watcher, proxy } = await start(
      readmeConfig('# perpscope.yaml, watcher behind a reverse proxy on the same machine'),
      { PERPSCOPE_API_TOKEN: TOKEN },
    ));
    // Default limit (burst 120): every client reaching the proxy from this machine shares the
    // bucket "127.0.0.1" — and gets no loopback exemption, being forwarded.
    const answered = await untilLimited(proxy.url, {}, 200);
    expect(answered).toBe(120);
    // A spoofed loopback address in the client's own header changes nothing.
    const spoofed = await rawRequest(proxy.url, {
      path: '/v1/chains',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(spoofed.status).toBe(429);
    // A client the proxy saw as 198.51.100.7 (its own entry left of the proxy's) has its own bucket.
    const other = await rawRequest(proxy.url, {
      path: '/v1/chains',
      headers: { 'x-forwarded-for': '198.51.100.7' },
    });
    expect(other.status).toBe(200);
    // Direct loopback requests (no forwarding header) stay exempt.
    expect((await rawRequest(watcher.url, { path: '/v1/chains' })).status).toBe(200);
  });
});

describe('HTTP hardening: the README reverse-proxy config without an API token', () => {
  let watcher: RunningWatcher;
  let proxy: TestProxy;
  beforeAll(async () => {
    ({ watcher, proxy } = await start(
      readmeConfig(
        '# perpscope.yaml, behind a reverse proxy without an API token: admin only from the host itself',
      ),
      {},
    ));
  });

  it('refuses admin routes and test alerts to forwarded requests with 403 naming the fix', async () => {
    const host = { host: 'status.example.com' };
    expect((await rawRequest(proxy.url, { path: '/v1/chains', headers: host })).status).toBe(200);
    for (const r of [
      { path: '/v1/admin/storage' },
      { path: '/v1/admin/alerts' },
      { path: '/v1/admin/test-alert', method: 'POST' },
      { path: '/v1/admin/vacuum', method: 'POST' },
    ]) {
      const res = await rawRequest(proxy.url, { ...r, headers: host });
      expect(res.status, r.path).toBe(403);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(res.body).detail).toContain('set PERPSCOPE_API_TOKEN');
    }
  });

  it('keeps admin routes for direct loopback requests, and a forwarding header only removes rights', async () => {
    expect((await rawRequest(watcher.url, { path: '/v1/admin/storage' })).status).toBe(200);
    const spoof = await rawRequest(watcher.url, {
      path: '/v1/admin/storage',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(spoof.status).toBe(403);
    // A loopback socket with a foreign (allowed) Host is a proxied request too.
    const named = await rawRequest(watcher.url, {
      path: '/v1/admin/storage',
      headers: { host: 'status.example.com' },
    });
    expect(named.status).toBe(403);
  });

  it('rate-limits clients through the proxy although they all arrive from 127.0.0.1', async () => {
    ({ watcher, proxy } = await start(
      readmeConfig(
        '# perpscope.yaml, behind a reverse proxy without an API token: admin only from the host itself',
      ),
      {},
    ));
    expect(await untilLimited(proxy.url, { host: 'status.example.com' }, 200)).toBe(120);
    expect((await rawRequest(watcher.url, { path: '/v1/chains' })).status).toBe(200);
  });
});

describe('HTTP hardening: X-Forwarded-For spoofing', () => {
  let watcher: RunningWatcher;
  beforeAll(async () => {
    ({ watcher } = await start(
      {
        server: { host: '127.0.0.1' },
        security: { trustProxy: ['127.0.0.1'], rateLimit: { requestsPerMinute: 60, burst: 5 } },
      },
      {},
    ));
  });

  it('takes the rightmost untrusted entry: a client cannot pick its bucket', async () => {
    // Two requests claiming different leftmost addresses, same real client 198.51.100.7.
    expect(
      await untilLimited(watcher.url, { 'x-forwarded-for': '203.0.113.1, 198.51.100.7' }, 10),
    ).toBe(5);
    const res = await rawRequest(watcher.url, {
      path: '/v1/chains',
      headers: { 'x-forwarded-for': '203.0.113.2, 198.51.100.7' },
    });
    expect(res.status).toBe(429);
  });

  it('gives a spoofed 127.0.0.1 no loopback exemption', async () => {
    expect(await untilLimited(watcher.url, { 'x-forwarded-for': '127.0.0.1' }, 10)).toBe(5);
  });

  it('rejects the old trustProxy: true with exit-2 config error naming the field', () => {
    let error: unknown;
    try {
      parseConfig({ raw: { security: { trustProxy: true } }, source: 't', env: Env.parse({}) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(
      'security.trustProxy: must be a list of the reverse proxy addresses',
    );
    const bad = () =>
      parseConfig({
        raw: { security: { trustProxy: ['proxy.local'] } },
        source: 't',
        env: Env.parse({}),
      });
    expect(bad).toThrow(/security\.trustProxy/);
    const ok = parseConfig({
      raw: { security: { trustProxy: false } },
      source: 't',
      env: Env.parse({}),
    });
    expect(ok.security.trustProxy).toEqual([]);
  });
});

describe('HTTP hardening: a test-alert flood', () => {
  it('50 authorized POSTs through the proxy page the sink at most alerts.rateLimit.maxPerWindow times', async () => {
    const sink = await startTestSinkServer();
    running.push({ stop: sink.close });
    const { watcher, proxy } = await start(
      {
        ...readmeConfig('# perpscope.yaml, watcher behind a reverse proxy on the same machine'),
        alerts: {
          sinks: [{ name: 'pager', kind: 'webhook', urlEnv: 'PAGER_URL' }],
          retry: { pollIntervalMs: 50 },
        },
      },
      { PERPSCOPE_API_TOKEN: TOKEN, PAGER_URL: `${sink.url}/pager` },
      // A running clock: each test alert gets its own id (`test-<ms>`), so only the rate limit
      // (not the dedupe key) can hold them back.
      { now: () => Date.now() },
    );
    const outcomes: string[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await rawRequest(proxy.url, {
        path: '/v1/admin/test-alert',
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': `198.51.100.${i}` },
      });
      expect(res.status).toBe(202);
      outcomes.push(
        ...(JSON.parse(res.body) as { queued: { outcome: string }[] }).queued.map((q) => q.outcome),
      );
    }
    expect(outcomes.filter((o) => o === 'queued').length).toBe(6);
    expect(outcomes.filter((o) => o === 'suppressed').length).toBeGreaterThan(30);
    // The outbox's own loop delivers (pollIntervalMs 50); only 6 rows exist to deliver.
    for (
      let t = Date.now();
      (await watcher.ops.outbox.pendingCount()) > 0 && Date.now() - t < 10_000;
    )
      await new Promise((r) => setTimeout(r, 20));
    expect(await watcher.ops.outbox.pendingCount()).toBe(0);
    expect(sink.hits.length).toBe(6);
  });
});
