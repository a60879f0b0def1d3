import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { Env } from '../../src/env.js';
import { type RunningWatcher, startWatcher } from '../../src/runtime/startWatcher.js';

/*
 * The hardening stack on a real HTTP server (real sockets, so the client IP comes from the
 * connection): API token on admin/write routes, CORS, per-IP rate limit, size limits and
 * problem+json for malformed input. Loopback is not exempted here so the limiter applies to us.
 */
const TOKEN = 'test-token-0123456789abcdef';
const EXT = 'abcdefghijklmnopabcdefghijklmnop';
let watcher: RunningWatcher;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perpscope-http-'));
  const config = parseConfig({
    raw: {
      server: { port: 0 },
      database: { path: join(dir, 'w.db') },
      chains: [],
      security: {
        extensionIds: [EXT],
        rateLimit: { requestsPerMinute: 60, burst: 40, exemptLoopback: false },
        maxBodyBytes: 4096,
      },
    },
    source: 'test',
    env: Env.parse({}),
  });
  watcher = await startWatcher({
    config,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    version: 'test',
    secrets: { PERPSCOPE_API_TOKEN: TOKEN },
  });
});
afterAll(async () => {
  await watcher?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const url = (path: string) => `${watcher.url}${path}`;

describe('HTTP hardening on a real server', () => {
  it('admin and write routes need the token; reads do not', async () => {
    expect((await fetch(url('/v1/chains'))).status).toBe(200);
    const denied = await fetch(url('/v1/admin/storage'));
    expect(denied.status).toBe(401);
    expect(denied.headers.get('content-type')).toBe('application/problem+json');
    const storage = await fetch(url('/v1/admin/storage'), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(storage.status).toBe(200);
    expect(((await storage.json()) as { databaseBytes: number }).databaseBytes).toBeGreaterThan(0);
    expect((await fetch(url('/v1/admin/test-alert'), { method: 'POST' })).status).toBe(401);
    const queued = await fetch(url('/v1/admin/test-alert'), {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(queued.status).toBe(202);
  });

  it('CORS: the configured extension yes, a foreign page no (and its writes are refused)', async () => {
    const ext = await fetch(url('/v1/chains'), {
      headers: { origin: `chrome-extension://${EXT}` },
    });
    expect(ext.headers.get('access-control-allow-origin')).toBe(`chrome-extension://${EXT}`);
    const evil = await fetch(url('/v1/chains'), { headers: { origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const write = await fetch(url('/v1/admin/test-alert'), {
      method: 'POST',
      headers: { origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` },
    });
    expect(write.status).toBe(403);
  });

  it('malformed and oversized requests get 4xx problem+json naming the problem', async () => {
    const bad = await fetch(url('/v1/incidents?limit=abc'));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(await bad.json())).toContain('query.limit');
    const big = await fetch(url('/v1/admin/test-alert'), {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(10_000) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { detail: string }).detail).toContain('4096 bytes');
    const longUrl = await fetch(url(`/v1/chains/${'9'.repeat(40)}`));
    expect(longUrl.status).toBe(400);
  });

  it('answers 404 problem+json, never 500 with a stack, for Object.prototype keys as names', async () => {
    for (const path of [
      '/assets/constructor',
      '/assets/__proto__',
      '/assets/toString',
      '/assets/hasOwnProperty',
      '/v1/chains/constructor',
      '/v1/hip3/markets/__proto__',
    ]) {
      const res = await fetch(url(path));
      const body = await res.text();
      expect([400, 404], `${path}: ${res.status} ${body}`).toContain(res.status);
      expect(res.headers.get('content-type'), path).toBe('application/problem+json');
      expect(body, path).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
    }
  });

  it('rate-limits this client by its socket address, with Retry-After', async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 80 && !limited; i++) {
      const res = await fetch(url('/v1/chains'));
      if (res.status === 429) limited = res;
      else await res.arrayBuffer();
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited!.json()) as { title: string }).title).toBe('Too Many Requests');
    // Health checks stay reachable for orchestrators.
    expect((await fetch(url('/healthz'))).status).toBe(200);
    const metrics = await watcher.ops.metrics.render();
    expect(metrics).toMatch(/^perpscope_http_rate_limited_total [1-9]/m);
  });
});

/** A raw HTTP request with a chosen Host header (fetch does not let a page — or us — set it). */
function requestWithHost(
  base: string,
  p: { path: string; host: string; method?: string; body?: string },
): Promise<{ status: number; contentType: string | undefined; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: u.hostname,
        port: u.port,
        path: p.path,
        method: p.method ?? 'GET',
        headers: {
          host: p.host,
          ...(p.body !== undefined && { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(p.body);
  });
}

describe('DNS-rebinding guard: loopback bind without an API token', () => {
  let open: RunningWatcher;
  let openDir: string;
  let proxied: RunningWatcher;
  beforeAll(async () => {
    openDir = mkdtempSync(join(tmpdir(), 'perpscope-rebind-'));
    const start = (name: string, security: unknown, secrets: Record<string, string>) =>
      startWatcher({
        config: parseConfig({
          raw: {
            server: { port: 0 },
            database: { path: join(openDir, name) },
            chains: [],
            security,
          },
          source: 'test',
          env: Env.parse({}),
        }),
        clock: systemClock,
        logger: pino({ level: 'silent' }),
        version: 'test',
        secrets,
      });
    open = await start('open.db', {}, {});
    proxied = await start('proxied.db', { allowedHosts: ['status.example.com'] }, {});
  });
  afterAll(async () => {
    await open?.stop();
    await proxied?.stop();
    rmSync(openDir, { recursive: true, force: true });
  });

  it('refuses every route addressed to a foreign Host with 421 problem+json', async () => {
    const port = new URL(open.url).port;
    const routes = [
      { path: '/' },
      { path: '/v1/chains' },
      { path: '/v1/openapi.json' },
      { path: '/metrics' },
      { path: '/healthz' },
      { path: '/v1/events' },
      { path: '/v1/admin/storage' },
      { path: '/v1/admin/test-alert', method: 'POST', body: '{}' },
      { path: '/v1/chains', method: 'OPTIONS' },
    ];
    for (const r of routes) {
      const res = await requestWithHost(open.url, { ...r, host: `rebind.evil.example:${port}` });
      expect(res.status, `${r.method ?? 'GET'} ${r.path}`).toBe(421);
      expect(res.contentType).toBe('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({
        status: 421,
        title: 'Misdirected Request',
        detail: expect.stringContaining('DNS-rebinding'),
      });
    }
    // An address that is not loopback is refused too (a page on the LAN re-pointed at us).
    expect(
      (await requestWithHost(open.url, { path: '/v1/chains', host: '192.168.1.7' })).status,
    ).toBe(421);
  });

  it('answers loopback names and addresses as before', async () => {
    const port = new URL(open.url).port;
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      'LOCALHOST',
      `[::1]:${port}`,
      `app.localhost:${port}`,
      '127.0.0.2',
    ]) {
      const res = await requestWithHost(open.url, { path: '/v1/chains', host });
      expect(res.status, host).toBe(200);
    }
    // Writes still need no token on loopback.
    const write = await requestWithHost(open.url, {
      path: '/v1/admin/test-alert',
      method: 'POST',
      host: `localhost:${port}`,
      body: '{}',
    });
    expect(write.status).toBe(202);
  });

  it('accepts the names in security.allowedHosts (a reverse proxy) and only those', async () => {
    const ok = await requestWithHost(proxied.url, {
      path: '/v1/chains',
      host: 'status.example.com',
    });
    expect(ok.status).toBe(200);
    const other = await requestWithHost(proxied.url, { path: '/v1/chains', host: 'other.example' });
    expect(other.status).toBe(421);
  });

  it('is off when an API token is set (writes and admin need the token instead)', async () => {
    // The suite's first watcher has a token: a foreign Host reaches the routes.
    const res = await requestWithHost(watcher.url, { path: '/healthz', host: 'any.example' });
    expect(res.status).toBe(200);
  });
});
