import type { Clock } from '../clock.js';
import type { WatcherStore } from '../db/store/watcherStore.js';
import type { Logger } from '../logger.js';
import type { AlertMessage } from './AlertMessage.js';
import { AlertOutbox } from './AlertOutbox.js';
import type { AlertsConfig } from './alertsConfig.js';
import { resolveSinks } from './formatAlert.js';

/** Parameters of {@link runTestAlert}. */
export type RunTestAlertParameters = {
  config: AlertsConfig;
  store: WatcherStore;
  secrets: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  logger: Logger;
  /** Only this sink (by name); all sinks when absent. */
  sink?: string;
  /** Give up waiting for delivery after this long. */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

/** Per sink: delivered, or why not. */
export type TestAlertResult = {
  sink: string;
  state: string;
  attempts: number;
  lastError: string | null;
};

/**
 * `perpscope-watcher test-alert`: queues one test message per sink through the real outbox (so
 * formatting, secrets and retries are exercised) and waits for the outcome.
 *
 * @throws {Error} when `sink` names no configured sink, or no sink is configured.
 */
export async function runTestAlert(p: RunTestAlertParameters): Promise<TestAlertResult[]> {
  const sinks = resolveSinks(p.config.sinks, p.secrets).filter((s) => !p.sink || s.name === p.sink);
  if (sinks.length === 0)
    throw new Error(
      p.sink
        ? `no alert sink named "${p.sink}" (configured: ${p.config.sinks.map((s) => s.name).join(', ') || 'none'})`
        : 'no alert sinks configured (alerts.sinks in the config file)',
    );
  const outbox = new AlertOutbox({
    store: p.store,
    sinks,
    config: p.config,
    now: p.clock.now,
    logger: p.logger,
    ...(p.fetch && { fetch: p.fetch }),
  });
  const at = p.clock.now();
  const message: AlertMessage = {
    subject: 'test:perpscope',
    subjectName: 'perpscope test alert',
    transition: 'test',
    severity: 'info',
    status: 'test',
    reasons: ['Sent by `perpscope-watcher test-alert` to check this sink.'],
    guidance: 'Nothing to do: if you can read this, alerts reach you.',
    incidentId: `test-${at}`,
    atMs: at,
  };
  await outbox.enqueue(message);
  const deadline = Date.now() + (p.timeoutMs ?? 30_000);
  const read = (): Promise<TestAlertResult[]> =>
    p.store.queries.alerts.alertRowsOfIncident(message.incidentId);
  for (;;) {
    await outbox.deliverDue();
    const rows = await read();
    if (rows.every((r) => r.state !== 'pending') || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 250));
  }
}
