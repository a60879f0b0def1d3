import { Health } from '@perpscope/schemas';
import { describe, expect, it } from 'vitest';
import { createApp } from './createApp.js';

describe('GET /healthz', () => {
  it('reports ok with the uptime measured on the injected clock', async () => {
    let now = 1_000_000;
    const app = createApp({ version: '9.9.9', now: () => now, startedAt: 1_000_000 });
    now += 4_500;
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    const body = Health.parse(await res.json());
    expect(body).toEqual({ status: 'ok', version: '9.9.9', uptimeSeconds: 4.5 });
  });

  it('answers 404 on unknown routes', async () => {
    const app = createApp({ version: '0', now: () => 0, startedAt: 0 });
    expect((await app.request('/nope')).status).toBe(404);
  });
});
