import { Health } from '@perpscope/schemas';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './createApp.js';
import { type OpenDb, openDb } from './db/openDb.js';
import { EventLog } from './events/eventLog.js';

const logger = pino({ level: 'silent' });
let open: OpenDb | null = null;
afterEach(() => open?.close());

function build(now: { t: number }, startedAt: number) {
  open = openDb({ path: ':memory:' });
  const clock = { now: () => now.t };
  const eventLog = new EventLog({ db: open.db, clock, logger });
  return createApp({ db: open.db, eventLog, clock, logger, version: '9.9.9', startedAt });
}

describe('GET /healthz', () => {
  it('reports ok with the uptime measured on the injected clock', async () => {
    const now = { t: 1_000_000 };
    const app = build(now, 1_000_000);
    now.t += 4_500;
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    const body = Health.parse(await res.json());
    expect(body).toEqual({ status: 'ok', version: '9.9.9', uptimeSeconds: 4.5 });
  });

  it('answers unknown routes with a problem+json 404', async () => {
    const app = build({ t: 0 }, 0);
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
