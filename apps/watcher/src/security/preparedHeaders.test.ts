import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';
import { problemOnError } from '../api/problem.js';
import { createLogger } from '../logger.js';
import { hasPlannedHeaders, respondWithPlannedHeaders, SECURE_HEADERS } from './preparedHeaders.js';
import { SecurityConfig } from './securityConfig.js';
import { securityMiddleware } from './securityMiddleware.js';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';
const BODY = '{"chains":[]}';
/** One object for every answer, as a route serving cached bytes passes it (the merge is reused). */
const JSON_HEADERS = { 'content-type': 'application/json' };

/** The security stack in front of the same body answered the usual way and the prepared way. */
function appWith(burst = 100) {
  return new Hono()
    .use(
      '*',
      ...securityMiddleware({
        config: SecurityConfig.parse({
          extensionIds: [EXT],
          rateLimit: { requestsPerMinute: 1, burst, exemptLoopback: false },
        }),
        apiToken: undefined,
        now: () => 0,
        client: () => ({ ip: '10.0.0.1', direct: false }),
      }),
    )
    .onError(problemOnError(createLogger({ level: 'silent' })))
    .get('/usual', (c) => c.body(BODY, 200, { 'content-type': 'application/json' }))
    .get('/prepared', (c) => respondWithPlannedHeaders(c, BODY, 200, JSON_HEADERS));
}

const headersOf = (res: Response) => [...res.headers.entries()];

describe('respondWithPlannedHeaders', () => {
  it('plans the headers hono secureHeaders sets (no CORP/COOP), in its order', async () => {
    const hono = await new Hono()
      .use('*', secureHeaders({ crossOriginResourcePolicy: false, crossOriginOpenerPolicy: false }))
      .get('/', (c) => c.body(null, 204))
      .request('/');
    expect(headersOf(hono)).toEqual(Object.entries(SECURE_HEADERS));
  });

  it('gives the same headers as the usual path, in the same order, whatever the Origin before', async () => {
    const app = appWith();
    const cases: [string, Record<string, string>][] = [
      ['no Origin', {}],
      ['an allowed extension', { origin: `chrome-extension://${EXT}` }],
      ['a foreign page', { origin: 'https://evil.example' }],
    ];
    // Twice, in turns: a reused merge must never carry another request's CORS headers.
    for (const [name, headers] of [...cases, ...cases]) {
      const usual = await app.request('/usual', { headers });
      const prepared = await app.request('/prepared', { headers });
      expect(prepared.status, name).toBe(200);
      expect(await prepared.text()).toBe(await usual.text());
      expect(headersOf(prepared), name).toEqual(headersOf(usual));
      expect(prepared.headers.get('vary')).toBe('Origin');
      expect(prepared.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
  });

  it('leaves a refusal to the middleware: a 429 still gets CORS and security headers', async () => {
    const app = appWith(1);
    const origin = `chrome-extension://${EXT}`;
    expect((await app.request('/prepared', { headers: { origin } })).status).toBe(200);
    const refused = await app.request('/prepared', { headers: { origin } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
    expect(refused.headers.get('vary')).toBe('Origin');
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('is recognised only for the response it built', async () => {
    let seen: boolean[] = [];
    await new Hono()
      .use('*', async (c, next) => {
        await next();
        seen.push(hasPlannedHeaders(c));
      })
      .get('/a', (c) => respondWithPlannedHeaders(c, null, 204, {}))
      .get('/b', (c) => c.body(null, 204))
      .request('/a');
    expect(seen).toEqual([true]);
    seen = [];
    await new Hono()
      .use('*', async (c, next) => {
        await next();
        seen.push(hasPlannedHeaders(c));
      })
      .get('/b', (c) => c.body(null, 204))
      .request('/b');
    expect(seen).toEqual([false]);
  });
});
