import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { problemOnError } from '../api/problem.js';
import { parseConfig } from '../config/loadConfig.js';
import { demoSecurity } from '../demo/runDemo.js';
import { createLogger } from '../logger.js';
import { corsPolicy } from './corsPolicy.js';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';
const OTHER_EXT = 'ponmlkjihgfedcbaponmlkjihgfedcba';
const FIREFOX = 'moz-extension://0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

function app(anyExtension?: boolean) {
  return (
    new Hono()
      .use(
        '*',
        corsPolicy({
          extensionIds: [EXT],
          origins: [],
          ...(anyExtension === undefined ? {} : { anyExtension }),
        }),
      )
      .get('/v1/chains', (c) => c.json([]))
      .post('/v1/echo', (c) => c.json({ ok: true }))
      // The refusal is a thrown RequestRefusedError, rendered by the app's one onError.
      .onError(problemOnError(createLogger({ level: 'silent' })))
  );
}

const allowOrigin = async (a: Hono, origin: string) =>
  (await a.request('/v1/chains', { headers: { origin } })).headers.get(
    'access-control-allow-origin',
  );

describe('corsPolicy', () => {
  it('admits only the listed extension by default', async () => {
    expect(await allowOrigin(app(), `chrome-extension://${EXT}`)).toBe(`chrome-extension://${EXT}`);
    expect(await allowOrigin(app(), `chrome-extension://${OTHER_EXT}`)).toBeNull();
    expect(await allowOrigin(app(), FIREFOX)).toBeNull();
  });

  it('with anyExtension admits every Chromium and Firefox extension origin, and no web page', async () => {
    const a = app(true);
    expect(await allowOrigin(a, `chrome-extension://${OTHER_EXT}`)).toBe(
      `chrome-extension://${OTHER_EXT}`,
    );
    expect(await allowOrigin(a, FIREFOX)).toBe(FIREFOX);
    // Preflights too (the extension sends none for a GET, but a POST with JSON would).
    const pre = await a.request('/v1/echo', {
      method: 'OPTIONS',
      headers: { origin: FIREFOX, 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBe(FIREFOX);
    for (const origin of [
      'https://evil.example',
      'chrome-extension://not-an-id',
      'moz-extension://x',
      `chrome-extension://${OTHER_EXT}.evil.example`,
    ])
      expect(await allowOrigin(a, origin)).toBeNull();
    const write = await a.request('/v1/echo', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(write.status).toBe(403);
  });
});

describe('the demo watcher', () => {
  it('keeps the config security section and admits any extension', () => {
    const config = parseConfig({
      raw: { security: { extensionIds: [EXT], rateLimit: { requestsPerMinute: 100 } } },
      source: 'test',
      env: { PERPSCOPE_LOG_LEVEL: 'warn' },
    });
    expect(config.security.allowAnyExtension).toBe(false);
    const demo = parseConfig({
      raw: { security: demoSecurity(config.security) },
      source: 'demo',
      env: { PERPSCOPE_LOG_LEVEL: 'warn' },
    });
    expect(demo.security.allowAnyExtension).toBe(true);
    expect(demo.security.extensionIds).toEqual([EXT]);
    expect(demo.security.rateLimit.requestsPerMinute).toBe(100);
  });
});
