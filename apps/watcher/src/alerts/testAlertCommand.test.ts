import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../db/openDb.js';
import { createSqliteStore } from '../db/store/createSqliteStore.js';
import { AlertsConfig } from './alertsConfig.js';
import { runTestAlert } from './testAlertCommand.js';
import { startTestSinkServer, type TestSinkServer } from './testSinkServer.js';

describe('runTestAlert (the test-alert command)', () => {
  let sink: TestSinkServer;
  beforeEach(async () => {
    sink = await startTestSinkServer();
  });
  afterEach(() => sink.close());

  const config = AlertsConfig.parse({
    sinks: [
      { name: 'hook', kind: 'webhook', urlEnv: 'HOOK' },
      {
        name: 'tg',
        kind: 'telegram',
        botTokenEnv: 'TG',
        chatId: 7,
        apiBaseUrl: 'http://127.0.0.1:1',
      },
    ],
    retry: { initialDelayMs: 50, maxDelayMs: 100, maxAttempts: 2, timeoutMs: 1000 },
  });
  const base = () => ({
    config,
    store: createSqliteStore(openDb({ path: ':memory:' })),
    clock: { now: () => Date.now() },
    logger: pino({ level: 'silent' }),
    secrets: { HOOK: `${sink.url}/h`, TG: '1:x' },
  });

  it('delivers a test message per sink and reports each outcome', async () => {
    const p = base();
    const results = await runTestAlert({ ...p, timeoutMs: 5_000 });
    // The Telegram base URL points at a closed port: it fails after its two attempts.
    expect(results.map((r) => [r.sink, r.state])).toEqual([
      ['hook', 'delivered'],
      ['tg', 'failed'],
    ]);
    expect(results[1]?.lastError).toContain('http://127.0.0.1:1/…');
    expect(sink.hits).toHaveLength(1);
    expect(sink.hits[0]?.body).toMatchObject({ transition: 'test', subject: 'test:perpscope' });
    await p.store.close();
  });

  it('targets one sink by name and names the configured ones when it is unknown', async () => {
    const p = base();
    const only = await runTestAlert({ ...p, sink: 'hook' });
    expect(only.map((r) => r.sink)).toEqual(['hook']);
    await expect(runTestAlert({ ...p, sink: 'nope' })).rejects.toThrow(
      'no alert sink named "nope" (configured: hook, tg)',
    );
    await p.store.close();
  });
});
