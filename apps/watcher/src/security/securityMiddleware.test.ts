import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { problemOnError } from '../api/problem.js';
import { createLogger } from '../logger.js';
import { insecureBindingProblem, isLoopbackHost, SecurityConfig } from './securityConfig.js';
import { securityMiddleware } from './securityMiddleware.js';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';
const TOKEN = 'correct-horse-battery-staple';

function appWith(over: { token?: string; config?: unknown; now?: () => number } = {}) {
  let ip = '10.0.0.1';
  const limited: string[] = [];
  const app = new Hono()
    .use(
      '*',
      ...securityMiddleware({
        config: SecurityConfig.parse(
          over.config ?? { extensionIds: [EXT], corsOrigins: ['https://dash.example.com'] },
        ),
        apiToken: over.token,
        now: over.now ?? (() => 0),
        // A socket peer on loopback with no forwarding header is a direct local client.
        client: () => ({ ip, direct: isLoopbackHost(ip.replace(/^::ffff:/, '')) }),
        onRateLimited: (x) => limited.push(x),
      }),
    )
    .onError(problemOnError(createLogger({ level: 'silent' })))
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/v1/chains', (c) => c.json([]))
    .get('/v1/admin/vacuum', (c) => c.json({ ok: true }))
    .post('/v1/echo', async (c) => c.json(await c.req.json()));
  return { app, limited, setIp: (x: string) => (ip = x) };
}

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return (await res.json()) as { status: number; title: string; detail: string };
}

describe('API token on admin/write routes', () => {
  it('keeps reads public and requires the bearer token for writes and admin reads', async () => {
    const { app } = appWith({ token: TOKEN });
    expect((await app.request('/v1/chains')).status).toBe(200);
    const noAuth = await app.request('/v1/echo', { method: 'POST', body: '{"a":1}' });
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toContain('Bearer');
    expect((await problem(noAuth)).detail).toContain('Authorization: Bearer');
    const wrong = await app.request('/v1/echo', {
      method: 'POST',
      body: '{"a":1}',
      headers: { authorization: 'Bearer nope' },
    });
    expect((await problem(wrong)).detail).toBe(
      'the API token in the Authorization header is wrong',
    );
    expect((await app.request('/v1/admin/vacuum')).status).toBe(401);
    const ok = await app.request('/v1/echo', {
      method: 'POST',
      body: '{"a":1}',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ a: 1 });
    expect(
      (await app.request('/v1/admin/vacuum', { headers: { authorization: `bearer ${TOKEN}` } }))
        .status,
    ).toBe(200);
  });

  it('without a token lets writes through only for direct loopback clients (403 otherwise)', async () => {
    const { app, setIp } = appWith();
    setIp('127.0.0.1');
    expect((await app.request('/v1/echo', { method: 'POST', body: '{}' })).status).toBe(200);
    expect((await app.request('/v1/admin/vacuum')).status).toBe(200);
    // A forwarded client (here: not direct) is refused, naming the variable to set.
    setIp('10.0.0.1');
    const res = await app.request('/v1/admin/vacuum');
    expect(res.status).toBe(403);
    expect((await problem(res)).detail).toContain('set PERPSCOPE_API_TOKEN');
    expect((await app.request('/v1/echo', { method: 'POST', body: '{}' })).status).toBe(403);
    expect((await app.request('/v1/chains')).status).toBe(200);
  });

  it('refuses a non-loopback bind without a token of at least 16 characters', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.1.5')).toBe(false);
    const base = { apiTokenEnv: 'PERPSCOPE_API_TOKEN' };
    expect(insecureBindingProblem({ ...base, host: '127.0.0.1', apiToken: undefined })).toBeNull();
    expect(insecureBindingProblem({ ...base, host: '0.0.0.0', apiToken: undefined })).toEqual({
      path: 'security.apiTokenEnv',
      message:
        'server.host is 0.0.0.0 (not loopback), so set PERPSCOPE_API_TOKEN to an API token for admin/write routes',
    });
    expect(insecureBindingProblem({ ...base, host: '0.0.0.0', apiToken: 'short' })).toEqual({
      path: 'security.apiTokenEnv',
      message: 'PERPSCOPE_API_TOKEN must be at least 16 characters when server.host is 0.0.0.0',
    });
    expect(insecureBindingProblem({ ...base, host: '0.0.0.0', apiToken: TOKEN })).toBeNull();
  });

  it('rejects a misspelled key inside security.rateLimit instead of ignoring it', () => {
    const parsed = SecurityConfig.safeParse({ rateLimit: { requestPerMinute: 10 } });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('requestPerMinute');
  });
});

describe('CORS', () => {
  it('allows the configured extension and origins, nobody else', async () => {
    const { app } = appWith();
    const ext = await app.request('/v1/chains', {
      headers: { origin: `chrome-extension://${EXT}` },
    });
    expect(ext.headers.get('access-control-allow-origin')).toBe(`chrome-extension://${EXT}`);
    expect(ext.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect(ext.headers.get('vary')).toBe('Origin');
    expect(ext.headers.get('content-type')).toBe('application/json');
    const none = await app.request('/v1/chains');
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
    expect(none.headers.get('vary')).toBe('Origin');
    const dash = await app.request('/v1/chains', {
      headers: { origin: 'https://dash.example.com' },
    });
    expect(dash.headers.get('access-control-allow-origin')).toBe('https://dash.example.com');
    const other = await app.request('/v1/chains', { headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const otherExt = await app.request('/v1/chains', {
      headers: { origin: `chrome-extension://${'b'.repeat(32)}` },
    });
    expect(otherExt.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers preflights for allowed origins with the allowed headers', async () => {
    const { app } = appWith({ token: TOKEN });
    const res = await app.request('/v1/echo', {
      method: 'OPTIONS',
      headers: {
        origin: `chrome-extension://${EXT}`,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(`chrome-extension://${EXT}`);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
  });

  it('refuses writes from foreign origins even without a token (CSRF on loopback)', async () => {
    const { app, setIp } = appWith();
    setIp('127.0.0.1');
    const res = await app.request('/v1/echo', {
      method: 'POST',
      body: '{}',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(403);
    expect((await problem(res)).detail).toContain('https://evil.example');
    // Same-origin pages (the status page) may write.
    const self = await app.request('http://localhost/v1/echo', {
      method: 'POST',
      body: '{}',
      headers: { origin: 'http://localhost' },
    });
    expect(self.status).toBe(200);
  });
});

describe('per-IP rate limit', () => {
  it('allows a burst, then answers 429 with Retry-After, per IP, and refills over time', async () => {
    let now = 0;
    const { app, limited, setIp } = appWith({
      config: { rateLimit: { requestsPerMinute: 60, burst: 3 } },
      now: () => now,
    });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.request('/v1/chains')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await app.request('/v1/chains');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await problem(res)).toMatchObject({
      type: 'https://perpscope.dev/problems/too-many-requests',
      title: 'Too Many Requests',
      status: 429,
      instance: '/v1/chains',
    });
    expect(limited).toEqual(['10.0.0.1', '10.0.0.1']);
    // Health checks, loopback clients and socket-less in-process calls are exempt.
    expect((await app.request('/healthz')).status).toBe(200);
    setIp('127.0.0.1');
    expect((await app.request('/v1/chains')).status).toBe(200);
    setIp('::ffff:127.0.0.1');
    expect((await app.request('/v1/chains')).status).toBe(200);
    // Other clients have their own bucket.
    setIp('10.0.0.2');
    expect((await app.request('/v1/chains')).status).toBe(200);
    setIp('10.0.0.1');
    now += 1_000; // 60/min → one token per second
    expect((await app.request('/v1/chains')).status).toBe(200);
    expect((await app.request('/v1/chains')).status).toBe(429);
  });

  it('lets the extension read a 429: CORS headers on the refusal the middleware threw', async () => {
    const { app } = appWith({ config: { extensionIds: [EXT], rateLimit: { burst: 1 } } });
    const headers = { origin: `chrome-extension://${EXT}` };
    expect((await app.request('/v1/chains', { headers })).status).toBe(200);
    const res = await app.request('/v1/chains', { headers });
    expect(res.status).toBe(429);
    expect(res.headers.get('access-control-allow-origin')).toBe(`chrome-extension://${EXT}`);
    expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect(res.headers.get('retry-after')).not.toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
  });
});

describe('request size', () => {
  it('rejects an oversized body with 413 problem+json, announced or streamed', async () => {
    const { app, setIp } = appWith({ config: { maxBodyBytes: 1024 } });
    setIp('127.0.0.1');
    const big = JSON.stringify({ x: 'y'.repeat(2048) });
    const res = await app.request('/v1/echo', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
    });
    expect(res.status).toBe(413);
    expect((await problem(res)).detail).toBe(
      'request body exceeds 1024 bytes (security.maxBodyBytes)',
    );
    const stream = new ReadableStream({
      start(ctl) {
        for (let i = 0; i < 4; i++) ctl.enqueue(new TextEncoder().encode('y'.repeat(512)));
        ctl.close();
      },
    });
    const chunked = await app.request('/v1/echo', {
      method: 'POST',
      body: stream,
      duplex: 'half', // Node's fetch needs it for streamed bodies
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("never reads a GET's body (on @hono/node-server that builds a full Request per request)", async () => {
    const { app, setIp } = appWith({ config: { maxBodyBytes: 1024 } });
    setIp('127.0.0.1');
    const get = new Request('http://127.0.0.1/v1/chains');
    Object.defineProperty(get, 'body', {
      get() {
        throw new Error('the body of a GET was read');
      },
    });
    const res = await app.fetch(get);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it('sets hardening headers', async () => {
    const { app } = appWith();
    const res = await app.request('/v1/chains');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
