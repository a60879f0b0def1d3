import { mkdtempSync, rmSync } from 'node:fs';
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
