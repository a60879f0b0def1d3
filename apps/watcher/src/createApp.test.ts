import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Health } from '@perpscope/schemas';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from './config/loadConfig.js';
import { createApp } from './createApp.js';
import { type OpenDb, openDb } from './db/openDb.js';
import { createSqliteStore } from './db/store/createSqliteStore.js';
import { Env } from './env.js';
import { EventLog } from './events/eventLog.js';
import {
  AdminAlertsSchema,
  DbSizeReportSchema,
  TestAlertResultSchema,
  VacuumResultSchema,
} from './runtime/adminRoutes.js';
import { createOperations } from './runtime/createOperations.js';

const logger = pino({ level: 'silent' });
let open: OpenDb | null = null;
afterEach(() => open?.close());

function build(now: { t: number }, startedAt: number) {
  open = openDb({ path: ':memory:' });
  const clock = { now: () => now.t };
  const eventLog = new EventLog({ store: createSqliteStore(open), clock, logger });
  return createApp({
    store: createSqliteStore(open),
    eventLog,
    clock,
    logger,
    version: '9.9.9',
    startedAt,
  });
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

describe('GET /v1/openapi.json', () => {
  type Operation = { responses: Record<string, unknown>; security?: unknown[] };
  type Doc = {
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes?: Record<string, unknown> };
  };
  /** Not API routes: the status page, its assets, the docs page and the document itself. */
  const NOT_API = new Set(['GET /', 'GET /assets/:name', 'GET /docs', 'GET /v1/openapi.json']);

  function buildWithOps() {
    const dir = mkdtempSync(join(tmpdir(), 'perpscope-openapi-'));
    const config = parseConfig({
      raw: { chains: [], database: { path: join(dir, 'w.db') } },
      source: 'test',
      env: Env.parse({}),
    });
    open = openDb({ path: config.database.path });
    const clock = { now: () => 1_000_000 };
    const eventLog = new EventLog({ store: createSqliteStore(open), clock, logger });
    const ops = createOperations({
      config,
      database: open,
      store: createSqliteStore(open),
      eventLog,
      clock,
      logger,
      secrets: {},
    });
    const app = createApp({
      ops: ops.http,
      store: createSqliteStore(open),
      eventLog,
      clock,
      logger,
      version: '9.9.9',
      startedAt: 0,
    });
    return { app, dir };
  }

  it('documents exactly the routes the app serves, /metrics and /v1/admin/* included', async () => {
    const { app, dir } = buildWithOps();
    try {
      const doc = (await (await app.request('/v1/openapi.json')).json()) as Doc;
      const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      );
      const served = app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path}`)
        .filter((r) => !NOT_API.has(r));
      expect(new Set(documented)).toEqual(new Set(served));
      expect(documented).toEqual(
        expect.arrayContaining([
          'GET /metrics',
          'GET /v1/admin/storage',
          'POST /v1/admin/vacuum',
          'GET /v1/admin/alerts',
          'POST /v1/admin/test-alert',
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the responses of the hardening middleware on every operation they apply to', async () => {
    const { app, dir } = buildWithOps();
    try {
      const doc = (await (await app.request('/v1/openapi.json')).json()) as Doc;
      expect(doc.components.securitySchemes?.bearerAuth).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const codes = Object.keys(op.responses);
          const what = `${method} ${path}`;
          expect(codes, what).toContain('421');
          // /healthz and /readyz are exempt from the rate limit (security/rateLimit.ts).
          if (path === '/healthz' || path === '/readyz') expect(codes, what).not.toContain('429');
          else expect(codes, what).toContain('429');
          if (method === 'post')
            expect(codes, what).toEqual(expect.arrayContaining(['401', '403', '413']));
          else expect(codes, what).not.toContain('413');
          if (path.startsWith('/v1/admin/')) {
            // 401 with a token set; 403 for forwarded requests when none is set.
            expect(codes, what).toEqual(expect.arrayContaining(['401', '403']));
            expect(op.security, what).toEqual([{ bearerAuth: [] }]);
          }
        }
      }
      // /v1/events: the total stream cap answers 503 with Retry-After (per client: 429).
      expect(doc.paths['/v1/events']?.get?.responses['503']).toMatchObject({
        headers: { 'Retry-After': expect.anything() },
      });
      expect(doc.paths['/v1/events']?.get?.responses['429']).toBeDefined();
      expect(doc.paths['/v1/chains']?.get?.responses['429']).toMatchObject({
        headers: { 'Retry-After': expect.anything() },
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        },
      });
      expect(Object.keys(doc.paths['/metrics']?.get?.responses['200'] as object)).toContain(
        'content',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the admin and metrics answers match their documented schemas', async () => {
    const { app, dir } = buildWithOps();
    try {
      DbSizeReportSchema.parse(await (await app.request('/v1/admin/storage')).json());
      AdminAlertsSchema.parse(await (await app.request('/v1/admin/alerts')).json());
      const queued = await app.request('/v1/admin/test-alert', { method: 'POST' });
      expect(queued.status).toBe(202);
      TestAlertResultSchema.parse(await queued.json());
      VacuumResultSchema.parse(
        await (await app.request('/v1/admin/vacuum', { method: 'POST' })).json(),
      );
      const metrics = await app.request('/metrics');
      expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const doc = (await (await app.request('/v1/openapi.json')).json()) as {
        paths: Record<
          string,
          { get: { responses: { 200: { content: Record<string, unknown> } } } }
        >;
      };
      expect(Object.keys(doc.paths['/metrics']!.get.responses[200].content)).toEqual([
        metrics.headers.get('content-type'),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
