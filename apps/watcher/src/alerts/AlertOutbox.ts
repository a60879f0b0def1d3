import { severityRank } from '@perpscope/schemas';
import type { Logger } from 'pino';
import { type Duty, localDuty } from '../cluster/duty.js';
import {
  CLAIM_MARGIN_MS,
  IN_FLIGHT_PREFIX,
  type PgAlertDelivery,
  pgAlertDelivery,
} from '../db/pg/alertDelivery.js';
import type { AlertOutboxRow } from '../db/schema/alerts.js';
import type { PgStoreAccess } from '../db/store/createPgStore.js';
import type { StoreQueries, WatcherStore } from '../db/store/watcherStore.js';
import type { AlertMessage } from './AlertMessage.js';
import type { AlertsConfig } from './alertsConfig.js';
import { formatForSink, type ResolvedSink, redactUrl } from './formatAlert.js';

/** Outcome counters hook (prom-client in production). */
export type AlertOutcome =
  | 'queued'
  | 'suppressed'
  | 'delivered'
  | 'retry'
  | 'failed'
  | 'enqueue_error';

/** Dependencies of {@link AlertOutbox}. */
export type AlertOutboxDeps = {
  store: WatcherStore;
  sinks: readonly ResolvedSink[];
  config: Pick<AlertsConfig, 'rateLimit' | 'retry'>;
  /** Ms since the epoch. */
  now: () => number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Defaults to the global `fetch`; tests may pass their own. */
  fetch?: typeof fetch;
  /** Uniform [0, 1); injected so backoff jitter is testable. */
  random?: () => number;
  onOutcome?: (sink: string, outcome: AlertOutcome) => void;
  /** Told whether each delivery pass could record its results: `null`, or the error. */
  onWriteOutcome?: (error: unknown) => void;
  /**
   * The `alerts` duty (`cluster.duty('alerts')`): the loop delivers only while it is held, and on
   * PostgreSQL every claim and record transaction is fenced by it. Default: always held
   * (`localDuty`, a single watcher).
   */
  duty?: Duty;
  /**
   * PostgreSQL access of the store (`createPgStore(...).pg`; taken from `store.pg` when the store
   * has it): claims go through `claimDueAlertRows` in a fenced transaction instead of the
   * read-then-lease of SQLite.
   */
  pg?: PgStoreAccess;
};

/** What `enqueue` did for one sink. */
export type EnqueueResult = {
  sink: string;
  outcome: 'queued' | 'suppressed' | 'duplicate' | 'filtered';
};

/** Summary of one delivery pass. */
export type DeliveryReport = { delivered: number; retried: number; failed: number };

/**
 * Backoff before retry number `attempt` (1-based): exponential, capped, with "equal jitter" (half
 * fixed, half random) so a fleet of watchers does not retry in lockstep.
 *
 * @example backoffMs({ attempt: 3, initialDelayMs: 1000, maxDelayMs: 60_000, random: () => 0 }) // 2000
 */
export function backoffMs(p: {
  attempt: number;
  initialDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}): number {
  const cap = Math.min(p.maxDelayMs, p.initialDelayMs * 2 ** Math.max(0, p.attempt - 1));
  return Math.round(cap / 2 + (p.random() * cap) / 2);
}

/** `Retry-After` in ms (delta-seconds or HTTP date), or undefined when absent/unparseable. */
function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/**
 * The request headers an outbox row is sent with besides the sink format's: webhook sinks get the
 * row's dedupe key as `Idempotency-Key` (the same on every attempt and from every watcher), so a
 * receiver can drop the one duplicate a failover can cause (ARCHITECTURE.md "One alert, once").
 * Slack, Discord and Telegram ignore such a header, so it is not sent to them.
 */
export function deliveryHeaders(
  sink: Pick<ResolvedSink, 'kind'>,
  row: Pick<AlertOutboxRow, 'dedupeKey'>,
): Record<string, string> {
  return sink.kind === 'webhook' ? { 'idempotency-key': row.dedupeKey } : {};
}

/**
 * The persistent alert outbox (SQLite table `alert_outbox`) and its delivery loop.
 *
 * - `enqueue` is cheap (one small transaction); it never rejects, so a full disk or
 *   a broken sink cannot take ingestion down with it.
 * - Deduplicated by `sink|incident|transition|severity` (unique index).
 * - Rate-limited per sink + subject: at most `maxPerWindow` open/escalate messages per window; the
 *   rest are recorded as `suppressed`. A resolve is sent iff an alert of that incident was sent,
 *   so every delivered alarm is also cleared.
 * - Delivered at least once: a row turns `delivered` only after a 2xx; transient failures (network,
 *   timeouts, 408/429/5xx) are retried with {@link backoffMs}; other 4xx fail permanently.
 * - Per sink + subject, rows are delivered in order (a resolve never overtakes its open).
 * - Several watchers (PostgreSQL): only the holder of the `alerts` duty delivers; it claims rows and
 *   records outcomes in transactions fenced by the duty, and marks claimed rows "in flight" before
 *   sending. One duplicate stays possible: the holder dies after the sink accepted a row and before
 *   its outcome commits; the next holder re-sends that row (at claim + timeout once it holds the duty),
 *   logs that it was in flight, and sends the same `Idempotency-Key` (webhooks).
 */
export class AlertOutbox {
  readonly #deps: AlertOutboxDeps;
  readonly #fetch: typeof fetch;
  readonly #random: () => number;
  readonly #duty: Duty;
  readonly #pg: PgAlertDelivery | null;
  #unsubscribe: (() => void) | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  #wake: (() => void) | undefined;

  constructor(deps: AlertOutboxDeps) {
    this.#deps = deps;
    this.#fetch = deps.fetch ?? fetch;
    this.#random = deps.random ?? Math.random;
    this.#duty = deps.duty ?? localDuty('alerts');
    const access = deps.pg ?? (deps.store as WatcherStore & { pg?: PgStoreAccess }).pg ?? undefined;
    if (!access && deps.store.dialect === 'postgres')
      // Without it the outbox would deliver unfenced, as if it were the only watcher.
      throw new Error(
        'AlertOutbox: a PostgreSQL store without its `pg` access (open it with openStore/createPgStore, or pass deps.pg)',
      );
    this.#pg = access ? pgAlertDelivery(access, (tx) => this.#duty.fence(tx)) : null;
  }

  /** Configured sink names, in config order. */
  get sinkNames(): string[] {
    return this.#deps.sinks.map((s) => s.name);
  }

  /**
   * Queues `message` for every sink (or only `onlySink`), running `alsoInTransaction` in the same
   * transaction (the dispatcher advances its event cursor there). Never rejects: database errors
   * are logged and reported as `enqueue_error` outcomes, and an empty array is returned.
   */
  async enqueue(
    message: AlertMessage,
    options: { onlySink?: string; alsoInTransaction?: (q: StoreQueries) => Promise<unknown> } = {},
  ): Promise<EnqueueResult[]> {
    const { store } = this.#deps;
    const { onlySink } = options;
    try {
      const results = await store.transaction(async (q) => {
        await options.alsoInTransaction?.(q);
        return this.#enqueueAll(q, message, onlySink);
      });
      this.settle(results);
      return results;
    } catch (error) {
      this.#reportEnqueueError(error, message);
      return [];
    }
  }

  /**
   * {@link enqueue} inside the caller's transaction `q` (several messages and a cursor committed
   * together): rejects on a database error (after logging it and reporting `enqueue_error`), so the
   * caller's transaction rolls back. Pass the results to {@link settle} once it has committed.
   */
  async enqueueIn(
    q: StoreQueries,
    message: AlertMessage,
    options: { onlySink?: string } = {},
  ): Promise<EnqueueResult[]> {
    try {
      return await this.#enqueueAll(q, message, options.onlySink);
    } catch (error) {
      this.#reportEnqueueError(error, message);
      throw error;
    }
  }

  /** Reports committed {@link enqueueIn} results (outcome counters) and wakes the delivery loop. */
  settle(results: readonly EnqueueResult[]): void {
    for (const r of results)
      if (r.outcome === 'queued' || r.outcome === 'suppressed')
        this.#deps.onOutcome?.(r.sink, r.outcome);
    if (results.some((r) => r.outcome === 'queued')) this.#wake?.();
  }

  #reportEnqueueError(error: unknown, message: AlertMessage) {
    this.#deps.logger.error(
      { err: error, subject: message.subject, transition: message.transition },
      'could not queue alert (database write failed); ingestion continues',
    );
    for (const sink of this.#deps.sinks) this.#deps.onOutcome?.(sink.name, 'enqueue_error');
  }

  async #enqueueAll(
    q: StoreQueries,
    message: AlertMessage,
    onlySink: string | undefined,
  ): Promise<EnqueueResult[]> {
    const out: EnqueueResult[] = [];
    for (const sink of this.#deps.sinks)
      if (onlySink === undefined || sink.name === onlySink)
        out.push(await this.#enqueueOne(q, sink, message));
    return out;
  }

  async #enqueueOne(
    q: StoreQueries,
    sink: ResolvedSink,
    message: AlertMessage,
  ): Promise<EnqueueResult> {
    const { now } = this.#deps;
    const outcome = await this.#decide(q, sink, message);
    if (outcome === 'filtered') return { sink: sink.name, outcome };
    const t = now();
    const inserted = await q.alerts.insertAlertOutboxRow({
      dedupeKey: [sink.name, message.incidentId, message.transition, message.status].join('|'),
      sink: sink.name,
      subject: message.subject,
      incidentId: message.incidentId,
      transition: message.transition,
      severity: message.severity,
      payload: JSON.stringify(message),
      state: outcome === 'suppressed' ? 'suppressed' : 'pending',
      nextAttemptAtMs: t,
      createdAtMs: t,
    });
    return { sink: sink.name, outcome: inserted ? outcome : 'duplicate' };
  }

  async #decide(
    q: StoreQueries,
    sink: ResolvedSink,
    message: AlertMessage,
  ): Promise<'queued' | 'suppressed' | 'filtered'> {
    if (message.transition === 'resolve') {
      const sent = await q.alerts.countIncidentAlerts({
        sink: sink.name,
        incidentId: message.incidentId,
      });
      return sent > 0 ? 'queued' : 'filtered';
    }
    if (
      message.transition !== 'test' &&
      severityRank(message.severity) < severityRank(sink.minSeverity)
    )
      return 'filtered';
    const { windowSeconds, maxPerWindow } = this.#deps.config.rateLimit;
    const recent = await q.alerts.countRecentSubjectAlerts({
      sink: sink.name,
      subject: message.subject,
      // Test alerts (`POST /v1/admin/test-alert`, the CLI) share the budget of their subject
      // `test:perpscope`: 50 POSTs must not become 50 pages.
      test: message.transition === 'test',
      afterMs: this.#deps.now() - windowSeconds * 1000,
    });
    return recent >= maxPerWindow ? 'suppressed' : 'queued';
  }

  /** Number of rows still waiting for delivery. */
  pendingCount(): Promise<number> {
    return this.#deps.store.queries.alerts.pendingAlertCount();
  }

  /**
   * One delivery pass over due rows (oldest first, in order per sink + subject), while the `alerts`
   * duty is held (else nothing happens). Each row is leased before its request so a second watcher
   * on the same database does not send it too: on SQLite read then leased per row; on PostgreSQL
   * claimed in one transaction fenced by the duty and marked in flight, outcomes recorded fenced.
   */
  async deliverDue(limit = 50): Promise<DeliveryReport> {
    const { now, config } = this.#deps;
    const alerts = this.#deps.store.queries.alerts;
    const report: DeliveryReport = { delivered: 0, retried: 0, failed: 0 };
    const grant = this.#duty.held();
    if (!grant) return report;
    const pgDelivery = this.#pg;
    const record = async (id: number, set: Parameters<typeof alerts.recordAlertAttempt>[1]) => {
      if (!pgDelivery) return alerts.recordAlertAttempt(id, set);
      if (!(await pgDelivery.record(id, set)))
        this.#deps.logger.warn(
          { outboxId: id, duty: 'alerts' },
          'alert outcome not recorded: this watcher no longer holds the alerts duty (the next holder re-sends the row after its claim lease)',
        );
    };
    const untilMs = now() + config.retry.timeoutMs + CLAIM_MARGIN_MS;
    let due: AlertOutboxRow[];
    if (pgDelivery) {
      // A row of a sink missing from this watcher's config is claimed but not sent: due again after untilMs.
      const claimed = await pgDelivery.claim({
        nowMs: now(),
        limit,
        untilMs,
        inFlightNote: `${grant.holder} epoch ${grant.epoch} since ${new Date(now()).toISOString()}`,
        holder: `${grant.holder} epoch ${grant.epoch}`,
      });
      due = claimed ?? [];
      for (const row of due)
        if (row.lastError?.startsWith(IN_FLIGHT_PREFIX))
          this.#deps.logger.warn(
            { outboxId: row.id, sink: row.sink, previous: row.lastError },
            'alert was being sent by a watcher that stopped before recording the outcome: sending it again (the sink may get it twice; webhooks see the same Idempotency-Key)',
          );
    } else due = await alerts.dueAlertRows({ nowMs: now(), limit });
    await Promise.all(
      due.map(async (row) => {
        const sink = this.#deps.sinks.find((s) => s.name === row.sink);
        if (!sink) return; // sink removed from config: leave the row for when it returns
        if (!pgDelivery) {
          const leased = await alerts.leaseAlertRow({
            id: row.id,
            readNextAttemptAtMs: row.nextAttemptAtMs,
            untilMs,
          });
          if (!leased) return;
        }
        const outcome = await this.#send(sink, row);
        const attempts = row.attempts + 1;
        if (outcome.ok) {
          await record(row.id, {
            state: 'delivered',
            attempts,
            deliveredAtMs: now(),
            lastHttpStatus: outcome.status ?? null,
            lastError: null,
          });
          report.delivered++;
          this.#deps.onOutcome?.(sink.name, 'delivered');
          return;
        }
        const permanent = !outcome.transient || attempts >= config.retry.maxAttempts;
        const delay = Math.max(
          backoffMs({ attempt: attempts, ...config.retry, random: this.#random }),
          outcome.retryAfterMs ?? 0,
        );
        await record(row.id, {
          state: permanent ? 'failed' : 'pending',
          attempts,
          nextAttemptAtMs: now() + delay,
          lastHttpStatus: outcome.status ?? null,
          lastError: outcome.error,
        });
        this.#deps.logger.warn(
          {
            sink: sink.name,
            target: redactUrl(sink.url),
            attempts,
            status: outcome.status,
            error: outcome.error,
          },
          permanent
            ? 'alert delivery failed permanently'
            : `alert delivery failed; retry in ${delay} ms`,
        );
        if (permanent) report.failed++;
        else report.retried++;
        this.#deps.onOutcome?.(sink.name, permanent ? 'failed' : 'retry');
      }),
    );
    return report;
  }

  async #send(
    sink: ResolvedSink,
    row: AlertOutboxRow,
  ): Promise<{
    ok: boolean;
    transient: boolean;
    status?: number;
    error: string;
    retryAfterMs?: number;
  }> {
    const req = formatForSink(sink, JSON.parse(row.payload) as AlertMessage);
    try {
      const res = await this.#fetch(req.url, {
        method: 'POST',
        headers: { ...req.headers, ...deliveryHeaders(sink, row) },
        body: req.body,
        signal: AbortSignal.timeout(this.#deps.config.retry.timeoutMs),
        redirect: 'error',
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return { ok: true, transient: false, status: res.status, error: '' };
      const transient = res.status === 408 || res.status === 429 || res.status >= 500;
      const retryAfter = retryAfterMs(res.headers.get('retry-after'), this.#deps.now());
      return {
        ok: false,
        transient,
        status: res.status,
        error: `HTTP ${res.status} from ${redactUrl(sink.url)}`,
        ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
      };
    } catch (error) {
      // fetch errors can quote the URL (and so the secret): keep only the error's kind.
      const kind =
        error instanceof Error ? (error.name === 'TimeoutError' ? 'timeout' : error.name) : 'error';
      return { ok: false, transient: true, error: `${kind} reaching ${redactUrl(sink.url)}` };
    }
  }

  /** Starts the background delivery loop (idempotent). Its timers do not keep the process alive. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    // Acquiring the duty starts a pass at once; losing it ends the next one early (held() is null).
    this.#unsubscribe = this.#duty.onChange(() => this.#wake?.());
    this.#running = (async () => {
      while (!this.#stopped) {
        try {
          const report = await this.deliverDue();
          this.#deps.onWriteOutcome?.(null);
          if (report.delivered + report.retried + report.failed > 0) continue;
        } catch (error) {
          this.#deps.onWriteOutcome?.(error);
          this.#deps.logger.error({ err: error }, 'alert delivery pass failed; will retry');
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.#deps.config.retry.pollIntervalMs);
          timer.unref();
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
      }
    })();
  }

  /**
   * Starts a delivery pass now instead of at the next poll: rows were queued on another connection
   * (the ingestion worker enqueues, the main thread delivers). No-op while the loop is stopped.
   */
  wake(): void {
    this.#wake?.();
  }

  /**
   * Stops the loop after the pass in flight; pending rows stay in the table for the next start.
   * The duty is not stopped here (its owner, the cluster runtime, releases it).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#wake?.();
    await this.#running;
  }
}
