import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Duty } from '../cluster/duty.js';
import { openDb } from '../db/openDb.js';
import { alertOutbox } from '../db/schema/alerts.js';
import { createSqliteStore } from '../db/store/createSqliteStore.js';
import { EventLog } from '../events/eventLog.js';
import { chainStatusPayload } from '../events/testEvents.js';
import { createLogger } from '../logger.js';
import { AlertOutbox } from './AlertOutbox.js';
import { AlertsConfig } from './alertsConfig.js';
import { resolveSinks } from './formatAlert.js';
import { alertFromEvent, type DescribeSubject, IncidentAlerter } from './IncidentAlerter.js';
import { startTestSinkServer, type TestSinkServer } from './testSinkServer.js';

const logger = createLogger({ level: 'silent' });
const base = { type: 'chain', id: '8453' };
const describeBase: DescribeSubject = async (subject) =>
  subject.id === '8453'
    ? {
        name: 'Base',
        status: 'halted',
        reasons: ['no new head for 64 s'],
        guidance: 'Move execution to a CEX.',
      }
    : null;

describe('IncidentAlerter', () => {
  let dir: string;
  let sink: TestSinkServer;
  let now: number;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-alerter-'));
    sink = await startTestSinkServer();
    now = 1_700_000_000_000;
  });
  afterEach(async () => {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function boot() {
    const database = openDb({ path: join(dir, 'w.db') });
    const clock = { now: () => now };
    const eventLog = new EventLog({ store: createSqliteStore(database), clock, logger });
    const config = AlertsConfig.parse({
      sinks: [{ name: 'hook', kind: 'webhook', urlEnv: 'HOOK', minSeverity: 'warning' }],
    });
    const outbox = new AlertOutbox({
      store: createSqliteStore(database),
      sinks: resolveSinks(config.sinks, { HOOK: sink.url }),
      config,
      now: clock.now,
      logger,
      random: () => 0,
    });
    const alerter = new IncidentAlerter({
      store: createSqliteStore(database),
      eventLog,
      outbox,
      describe: describeBase,
      logger,
      publicUrl: 'http://127.0.0.1:8787/',
    });
    return { database, eventLog, outbox, alerter };
  }

  async function drain(outbox: AlertOutbox) {
    await new Promise((r) => setImmediate(r)); // the alerter reacts on the next turn
    for (let i = 0; i < 10 && (await outbox.pendingCount()) > 0; i++) await outbox.deliverDue();
  }

  it('sends open, escalate and resolve of an incident with its guidance, once each', async () => {
    const { database, eventLog, outbox, alerter } = boot();
    await alerter.start();
    const opened = await eventLog.write((w) =>
      w.openIncident({ subject: base, kind: 'halt', severity: 'warning', title: 'Base degraded' }),
    );
    now += 30_000;
    await eventLog.write((w) => w.escalateIncident(opened, 'critical', 'Base halted'));
    // A non-incident event changes nothing.
    await eventLog.write((w) =>
      w.emit('chain.status', base, chainStatusPayload({ from: 'degraded', to: 'halted' })),
    );
    now += 300_000;
    await eventLog.write(async (w) => {
      const current = await w.findOpenIncident(base, 'halt');
      if (current) await w.closeIncident(current);
    });
    await drain(outbox);
    const bodies = sink.hits.map((h) => h.body as Record<string, unknown>);
    expect(bodies.map((b) => [b.transition, b.severity, b.title])).toEqual([
      ['open', 'warning', '[OPEN] Base: halted'],
      ['escalate', 'critical', '[ESCALATED] Base: halted'],
      ['resolve', 'info', '[RESOLVED] Base: resolved, now halted'],
    ]);
    expect(bodies[0]?.guidance).toBe('Move execution to a CEX.');
    expect(bodies[0]?.reasons).toEqual(['Base degraded', 'no new head for 64 s']);
    expect(bodies[0]?.url).toBe('http://127.0.0.1:8787/');
    // Catching up again (e.g. the next wake-up) queues nothing new.
    expect(await alerter.catchUp()).toBe(0);
    await alerter.stop();
    database.close();
  });

  it('runs only while holding the incidents duty and resumes from the cursor when it acquires it', async () => {
    // A duty switched by hand (what pgDuty does on PostgreSQL, tested in src/cluster/duty.test.ts).
    let held = false;
    const listeners = new Set<(h: boolean) => void>();
    const duty: Duty = {
      name: 'incidents',
      held: () => (held ? { name: 'incidents', holder: 'me/1', epoch: 1 } : null),
      fence: async () => held,
      onChange: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      stop: async () => {},
    };
    const { database, eventLog, outbox } = boot();
    const alerter = new IncidentAlerter({
      store: createSqliteStore(database),
      eventLog,
      outbox,
      describe: describeBase,
      logger,
      duty,
      pollMs: 60_000,
    });
    await alerter.start();
    await eventLog.write((w) =>
      w.openIncident({ subject: base, kind: 'halt', severity: 'critical', title: 'Base halted' }),
    );
    await new Promise((r) => setImmediate(r));
    expect(await alerter.catchUp()).toBe(0);
    expect(database.db.select().from(alertOutbox).all()).toHaveLength(0);
    held = true;
    for (const l of listeners) l(true);
    await drain(outbox);
    expect(sink.hits.map((h) => (h.body as { transition: string }).transition)).toEqual(['open']);
    await alerter.stop();
    expect(listeners.size).toBe(0);
    database.close();
  });

  it('alerts on incidents written while it was down (crash between commit and enqueue)', async () => {
    const first = boot();
    await first.alerter.start();
    await first.alerter.stop(); // the process "dies" right after the cursor was initialised
    await first.eventLog.write((w) =>
      w.openIncident({ subject: base, kind: 'halt', severity: 'critical', title: 'Base halted' }),
    );
    first.database.close();

    const second = boot();
    await second.alerter.start();
    await drain(second.outbox);
    expect(sink.hits.map((h) => (h.body as { transition: string }).transition)).toEqual(['open']);
    // A third start does not send it again.
    await second.alerter.stop();
    second.database.close();
    const third = boot();
    await third.alerter.start();
    expect(third.database.db.select().from(alertOutbox).all()).toHaveLength(1);
    await third.alerter.stop();
    third.database.close();
  });

  it('does not alert on history when first started', async () => {
    const { database, eventLog, alerter } = boot();
    await eventLog.write((w) =>
      w.openIncident({ subject: base, kind: 'halt', severity: 'critical', title: 'old' }),
    );
    await alerter.start();
    expect(database.db.select().from(alertOutbox).all()).toEqual([]);
    await alerter.stop();
    database.close();
  });
});

describe('alertFromEvent', () => {
  it('falls back to the subject id and incident title for unknown subjects', async () => {
    const msg = await alertFromEvent(
      {
        id: 7,
        at: 1000,
        kind: 'incident.opened',
        subject: { type: 'market', id: 'xyz:TSLA' },
        payload: {
          incidentId: 3,
          kind: 'oracle-stale',
          severity: 'critical',
          state: 'open',
          title: 'xyz:TSLA oracle dead',
          startedAt: 1000,
          endedAt: null,
          peak: {},
        },
      },
      async () => null,
    );
    expect(msg).toMatchObject({
      subject: 'market:xyz:TSLA',
      subjectName: 'market xyz:TSLA',
      transition: 'open',
      severity: 'critical',
      status: 'oracle-stale',
      reasons: ['xyz:TSLA oracle dead'],
      incidentId: '3',
      atMs: 1000,
    });
    expect(
      await alertFromEvent(
        { id: 8, at: 1, kind: 'chain.status', subject: base, payload: chainStatusPayload() },
        async () => null,
      ),
    ).toBeNull();
  });
});
