import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../test/support/startPostgres.js';
import { type Duty, pgDuty } from '../cluster/duty.js';
import { createPgStore, type PgWatcherStore } from '../db/store/createPgStore.js';
import { createLogger } from '../logger.js';
import type { AlertMessage } from './AlertMessage.js';
import { AlertOutbox } from './AlertOutbox.js';
import { AlertsConfig } from './alertsConfig.js';
import { resolveSinks } from './formatAlert.js';
import { startTestSinkServer, type TestSinkServer } from './testSinkServer.js';

// Two watchers' outbox loops on one real PostgreSQL database, each keeping the `alerts` duty
// through its own pool: one alert, once — and after the holder dies, the other carries on.

let server: PostgresServer;
let sink: TestSinkServer;
const cleanups: (() => Promise<unknown>)[] = [];
const silent = createLogger({ level: 'silent' });

const config = AlertsConfig.parse({
  sinks: [{ name: 'hook', kind: 'webhook', urlEnv: 'HOOK_URL', minSeverity: 'info' }],
  rateLimit: { windowSeconds: 3600, maxPerWindow: 100 },
  retry: {
    initialDelayMs: 200,
    maxDelayMs: 1000,
    maxAttempts: 5,
    timeoutMs: 1000,
    pollIntervalMs: 50,
  },
});

function msg(subject: string, incidentId: string): AlertMessage {
  return {
    subject,
    subjectName: subject,
    transition: 'open',
    severity: 'critical',
    status: 'halted',
    previousStatus: 'up',
    reasons: ['no new head'],
    guidance: 'Move execution elsewhere.',
    incidentId,
    atMs: 1_700_000_000_000,
  };
}

type Watcher = {
  store: PgWatcherStore;
  duty: Duty;
  outbox: AlertOutbox;
  sent: string[];
  warnings: string[];
  /** Called with the number of requests this watcher sent, after each one reached the sink. */
  afterSend?: (n: number) => void;
};

async function watcher(url: string, name: string): Promise<Watcher> {
  const store = await createPgStore({ url, maxConnections: 4 });
  store.pg.pool.on('error', () => {});
  const duty = pgDuty({
    pool: store.pg.pool,
    name: 'alerts',
    holder: `${name}/test`,
    ttlMs: 2_000,
    intervalMs: 100,
    logger: silent,
  });
  const w: Watcher = { store, duty, sent: [], warnings: [] } as unknown as Watcher;
  w.outbox = new AlertOutbox({
    store,
    sinks: resolveSinks(config.sinks, { HOOK_URL: `${sink.url}/hook` }),
    config,
    now: Date.now,
    logger: {
      info: () => {},
      error: () => {},
      warn: (_o: unknown, m?: string) => void w.warnings.push(String(m)),
    } as never,
    duty,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      const key = new Headers(init?.headers).get('idempotency-key') ?? '(none)';
      w.sent.push(key);
      w.afterSend?.(w.sent.length);
      return res;
    },
  });
  cleanups.push(
    () => w.outbox.stop(),
    () => duty.stop().catch(() => {}),
    () => store.close().catch(() => {}),
  );
  return w;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what: string, f: () => boolean | Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const keysOf = () => sink.hits.map((h) => String(h.headers['idempotency-key']));

beforeAll(async () => {
  server = await startPostgres();
  sink = await startTestSinkServer();
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await sink?.close();
  await server?.stop();
});

describe('AlertOutbox with the alerts duty on PostgreSQL', () => {
  it('two loops on one database: only the duty holder delivers, each alert once, with its dedupe key as Idempotency-Key', async () => {
    sink.hits.length = 0;
    const url = await server.createDatabase('outbox_once');
    const a = await watcher(url, 'a');
    await waitFor('a holds alerts', () => a.duty.held() !== null);
    const b = await watcher(url, 'b');
    a.outbox.start();
    b.outbox.start();
    const expected: string[] = [];
    for (const subject of ['chain:1', 'chain:2', 'chain:3', 'chain:4'])
      for (const incident of ['i1', 'i2', 'i3']) {
        await b.outbox.enqueue(msg(subject, `${subject}-${incident}`));
        expected.push(`hook|${subject}-${incident}|open|halted`);
      }
    await waitFor('12 deliveries', async () => (await a.outbox.pendingCount()) === 0);
    expect(keysOf().sort()).toEqual([...expected].sort());
    expect(a.sent.length).toBe(12);
    expect(b.sent).toEqual([]);
    expect(b.duty.held()).toBeNull();
  }, 30_000);

  it('the holder dies after a send, before recording it: the other takes over, re-sends only that row (same key, warned) and delivers the rest in order', async () => {
    sink.hits.length = 0;
    const url = await server.createDatabase('outbox_failover');
    const a = await watcher(url, 'a');
    await waitFor('a holds alerts', () => a.duty.held() !== null);
    const b = await watcher(url, 'b');
    const expected: string[] = [];
    for (const incident of ['i1', 'i2', 'i3', 'i4', 'i5', 'i6']) {
      await a.outbox.enqueue(msg('chain:9', incident));
      expected.push(`hook|${incident}|open|halted`);
    }
    // a "dies" right after its third request reached the sink: its pool goes away, so neither the
    // outcome nor a lease renewal commits (the lease is not released: b waits for it to expire).
    let killedAt = 0;
    a.afterSend = (n) => {
      if (n !== 3) return;
      killedAt = Date.now();
      void a.store.pg.pool.end().catch(() => {});
    };
    let resentAt = 0;
    b.afterSend = () => {
      resentAt ||= Date.now();
    };
    a.outbox.start();
    b.outbox.start();
    await waitFor('b delivers the rest', () => keysOf().length >= 7);
    // b re-sent it once it held the duty (a's lease: 2 s), not after a's whole claim (send timeout
    // 1 s + the 5 s margin meant for a live holder): a can never record it.
    expect(resentAt - killedAt).toBeLessThan(2_000 + 1_500);
    await sleep(300);
    expect(a.sent).toEqual(expected.slice(0, 3));
    expect(b.sent).toEqual(expected.slice(2));
    // one duplicate: the row in flight when a died, with the same Idempotency-Key both times
    expect(keysOf()).toEqual([...expected.slice(0, 3), ...expected.slice(2)]);
    expect(b.warnings.some((w) => w.includes('was being sent by a watcher that stopped'))).toBe(
      true,
    );
    expect(await b.outbox.pendingCount()).toBe(0);
    const rows = await b.store.queries.alerts.recentAlertOutboxRows(10);
    expect(rows.map((r) => r.state)).toEqual(Array(6).fill('delivered'));
  }, 40_000);
});
