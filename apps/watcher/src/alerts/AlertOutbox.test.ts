import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../db/openDb.js';
import { alertOutbox } from '../db/schema/alerts.js';
import { createSqliteStore } from '../db/store/createSqliteStore.js';
import type { AlertMessage } from './AlertMessage.js';
import { AlertOutbox, type AlertOutboxDeps, backoffMs } from './AlertOutbox.js';
import { AlertsConfig } from './alertsConfig.js';
import { resolveSinks } from './formatAlert.js';
import { startTestSinkServer, type TestSinkServer } from './testSinkServer.js';

const logger = pino({ level: 'silent' });

function msg(over: Partial<AlertMessage> = {}): AlertMessage {
  return {
    subject: 'chain:42161',
    subjectName: 'Arbitrum One',
    transition: 'open',
    severity: 'critical',
    status: 'halted',
    previousStatus: 'degraded',
    reasons: ['no new head for 125 s (threshold 120 s)'],
    guidance: 'Move execution to a CEX; keep liquidation distance at least 2× normal.',
    incidentId: 'inc-1',
    atMs: 1_700_000_000_000,
    ...over,
  };
}

describe('backoffMs', () => {
  it('doubles per attempt, caps at maxDelayMs and jitters within [cap/2, cap]', () => {
    const base = { initialDelayMs: 1000, maxDelayMs: 8000 };
    expect(backoffMs({ ...base, attempt: 1, random: () => 0 })).toBe(500);
    expect(backoffMs({ ...base, attempt: 1, random: () => 0.999999 })).toBe(1000);
    expect(backoffMs({ ...base, attempt: 3, random: () => 0 })).toBe(2000);
    expect(backoffMs({ ...base, attempt: 10, random: () => 0.5 })).toBe(6000);
  });
});

describe('AlertOutbox against a local HTTP sink and a real SQLite file', () => {
  let dir: string;
  let sink: TestSinkServer;
  let now: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-alerts-'));
    sink = await startTestSinkServer();
    now = 1_700_000_000_000;
  });
  afterEach(async () => {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function outbox(dbPath: string, over: Partial<AlertOutboxDeps> = {}) {
    const config = AlertsConfig.parse({
      sinks: [{ name: 'hook', kind: 'webhook', urlEnv: 'HOOK_URL', minSeverity: 'info' }],
      rateLimit: { windowSeconds: 3600, maxPerWindow: 3 },
      retry: { initialDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 5, timeoutMs: 2000 },
    });
    const handle = openDb({ path: dbPath });
    const box = new AlertOutbox({
      store: createSqliteStore(handle),
      sinks: resolveSinks(config.sinks, { HOOK_URL: `${sink.url}/hook?secret=s3cr3t` }),
      config,
      now: () => now,
      logger,
      random: () => 0,
      ...over,
    });
    return { box, handle };
  }

  it('delivers open, escalate and resolve, each once, in order, with the guidance text', async () => {
    const { box, handle } = outbox(join(dir, 'w.db'));
    await box.enqueue(msg({ transition: 'open', status: 'degraded', severity: 'warning' }));
    await box.enqueue(msg({ transition: 'escalate', status: 'halted', severity: 'critical' }));
    await box.enqueue(msg({ transition: 'resolve', status: 'recovering', severity: 'info' }));
    // Replays of the same transitions (restart, event replay) are deduplicated.
    expect(
      await box.enqueue(msg({ transition: 'escalate', status: 'halted', severity: 'critical' })),
    ).toEqual([{ sink: 'hook', outcome: 'duplicate' }]);
    let report = await box.deliverDue();
    // In-order per subject: only the oldest pending row of a subject goes out per pass.
    expect(report.delivered).toBe(1);
    report = await box.deliverDue();
    report = await box.deliverDue();
    expect(await box.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    const bodies = sink.hits.map((h) => h.body as Record<string, unknown>);
    expect(bodies.map((b) => [b.transition, b.status])).toEqual([
      ['open', 'degraded'],
      ['escalate', 'halted'],
      ['resolve', 'recovering'],
    ]);
    expect(bodies[1]?.guidance).toContain('2× normal');
    expect(sink.hits[0]?.path).toBe('/hook?secret=s3cr3t');
    expect(await box.pendingCount()).toBe(0);
    handle.close();
  });

  it('retries after the sink answers 500, with backoff, and records the attempts', async () => {
    const { box, handle } = outbox(join(dir, 'w.db'));
    sink.script.push(500, 503);
    await box.enqueue(msg());
    expect(await box.deliverDue()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    // Not due yet: backoff after attempt 1 is 500..1000 ms (random() = 0 → 500 ms).
    expect(await box.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    now += 500;
    expect(await box.deliverDue()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    now += 999; // attempt 2 → 1000 ms
    expect(await box.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    now += 1;
    expect(await box.deliverDue()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(sink.hits.map((h) => h.status)).toEqual([500, 503, 200]);
    const row = handle.db.select().from(alertOutbox).get();
    expect(row).toMatchObject({ state: 'delivered', attempts: 3, lastHttpStatus: 200 });
    handle.close();
  });

  it('fails permanently on a 4xx other than 408/429 without leaking the URL secret', async () => {
    const { box, handle } = outbox(join(dir, 'w.db'));
    sink.script.push(404);
    await box.enqueue(msg());
    expect(await box.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    const row = handle.db.select().from(alertOutbox).get();
    expect(row?.state).toBe('failed');
    expect(row?.lastError).toContain('HTTP 404');
    expect(row?.lastError).not.toContain('s3cr3t');
    expect(row?.lastError).not.toContain('/hook');
    handle.close();
  });

  it('still delivers after a restart in the middle of retrying', async () => {
    const path = join(dir, 'w.db');
    const first = outbox(path);
    sink.defaultStatus = 500;
    await first.box.enqueue(msg());
    await first.box.deliverDue();
    await first.box.deliverDue();
    first.handle.close(); // the watcher goes away with the row still pending

    sink.defaultStatus = 200;
    now += 60_000;
    const second = outbox(path);
    expect(await second.box.pendingCount()).toBe(1);
    expect(await second.box.deliverDue()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(sink.hits.map((h) => h.status)).toEqual([500, 200]);
    // Re-enqueueing the same transition after the restart is a duplicate, not a second message.
    expect((await second.box.enqueue(msg()))[0]?.outcome).toBe('duplicate');
    second.handle.close();
  });

  it('rate-limits open/escalate per subject and only resolves incidents it announced', async () => {
    const { box, handle } = outbox(join(dir, 'w.db'));
    const outcomes: (string | undefined)[] = [];
    for (const i of [1, 2, 3, 4])
      outcomes.push((await box.enqueue(msg({ incidentId: `inc-${i}` })))[0]?.outcome);
    expect(outcomes).toEqual(['queued', 'queued', 'queued', 'suppressed']);
    // Other subjects have their own budget.
    expect((await box.enqueue(msg({ subject: 'chain:10', incidentId: 'op-1' })))[0]?.outcome).toBe(
      'queued',
    );
    // Resolve of a suppressed open is not sent; resolve of a sent one is.
    expect(
      (await box.enqueue(msg({ incidentId: 'inc-4', transition: 'resolve', status: 'up' })))[0]
        ?.outcome,
    ).toBe('filtered');
    expect(
      (await box.enqueue(msg({ incidentId: 'inc-1', transition: 'resolve', status: 'up' })))[0]
        ?.outcome,
    ).toBe('queued');
    // After the window the subject may alert again.
    now += 3_600_001;
    expect((await box.enqueue(msg({ incidentId: 'inc-5' })))[0]?.outcome).toBe('queued');
    const states = handle.db.select({ s: alertOutbox.state }).from(alertOutbox).all();
    expect(states.filter((r) => r.s === 'suppressed')).toHaveLength(1);
    handle.close();
  });

  it('rate-limits test alerts per sink like open/escalate (POST /v1/admin/test-alert floods)', async () => {
    const { box, handle } = outbox(join(dir, 'w.db'));
    const test = async (i: number) =>
      (
        await box.enqueue(
          msg({
            subject: 'test:perpscope',
            transition: 'test',
            severity: 'info',
            status: 'test',
            incidentId: `test-${i}`,
          }),
        )
      )[0]?.outcome;
    const outcomes: (string | undefined)[] = [];
    for (const i of [1, 2, 3, 4, 5]) outcomes.push(await test(i));
    expect(outcomes).toEqual(['queued', 'queued', 'queued', 'suppressed', 'suppressed']);
    now += 3_600_001;
    expect(await test(6)).toBe('queued');
    handle.close();
  });

  it('never throws from enqueue when the database cannot be written (disk full)', async () => {
    const path = join(dir, 'w.db');
    const { box, handle } = outbox(path);
    const outcomes: string[] = [];
    handle.sqlite.pragma(
      `max_page_count = ${handle.sqlite.pragma('page_count', { simple: true })}`,
    );
    const big = 'x'.repeat(200_000);
    const boxFull = new AlertOutbox({
      store: createSqliteStore(handle),
      sinks: resolveSinks([{ name: 'hook', kind: 'webhook', urlEnv: 'U', minSeverity: 'info' }], {
        U: sink.url,
      }),
      config: AlertsConfig.parse({}),
      now: () => now,
      logger,
      onOutcome: (_s, o) => outcomes.push(o),
    });
    await expect(boxFull.enqueue(msg({ guidance: big }))).resolves.toEqual([]);
    expect(await boxFull.enqueue(msg({ guidance: big }))).toEqual([]);
    expect(outcomes).toContain('enqueue_error');
    expect(await box.pendingCount()).toBe(0);
    handle.close();
  });

  it('leases rows so two watchers on one database send an alert once', async () => {
    const path = join(dir, 'w.db');
    const a = outbox(path);
    const b = outbox(path);
    await a.box.enqueue(msg());
    const [ra, rb] = await Promise.all([a.box.deliverDue(), b.box.deliverDue()]);
    expect(ra.delivered + rb.delivered).toBe(1);
    expect(sink.hits).toHaveLength(1);
    a.handle.close();
    b.handle.close();
  });
});
