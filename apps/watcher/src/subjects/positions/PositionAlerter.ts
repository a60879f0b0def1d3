import type { AlertOutbox, EnqueueResult } from '../../alerts/AlertOutbox.js';
import { type Duty, DutyLostError } from '../../cluster/duty.js';
import { fencedStoreTransaction } from '../../cluster/fencedTransaction.js';
import type { StoreQueries, WatcherStore } from '../../db/store/watcherStore.js';
import type { EventLog } from '../../events/eventLog.js';
import type { Logger } from '../../logger.js';
import { describePositionAlert } from './describePositionAlert.js';

/** Dependencies of {@link PositionAlerter}. */
export type PositionAlerterDeps = {
  store: WatcherStore;
  eventLog: EventLog;
  outbox: AlertOutbox;
  /** Address hash → the sinks named by that account (`undefined` = every sink). */
  sinksOf: (addressHash: string) => readonly string[] | undefined;
  logger: Pick<Logger, 'warn' | 'error'>;
  publicUrl?: string;
  retryMs?: number;
  /**
   * The `incidents` duty (`cluster.duty('incidents')`): passes run only while it is held, and a
   * pass starts when it is acquired (the new holder resumes from the shared cursor). Default: none
   * (always runs, a single watcher).
   */
  duty?: Duty;
  /**
   * With a {@link duty}: catch up this often (ms, default 1000) while holding it — other watchers'
   * events do not reach this process's event log subscription.
   */
  pollMs?: number;
  /**
   * Told whether each catch-up pass (its outbox and cursor writes) committed: `null`, or the error —
   * storage health counts it under the `alerts` writer like the incident alerter's.
   */
  onWriteOutcome?: (error: unknown) => void;
};

const CURSOR = 'positions';
const BATCH = 500;

/**
 * Feeds position-guard events into the alert outbox (dedupe, retries, rate limits), at least once:
 * like `IncidentAlerter`, it reads the persisted event log from its own cursor (`alert_cursor`
 * `positions`) and advances it in the same transaction as the outbox rows, so a crash or restart
 * neither loses nor repeats an alert (the outbox dedupe key catches a replayed event). Each account's
 * alerts go to its own sinks. The first start begins at the end of the log.
 */
export class PositionAlerter {
  readonly #deps: PositionAlerterDeps;
  #unsubscribe: (() => void) | undefined;
  #retry: NodeJS.Timeout | undefined;
  #scheduled: NodeJS.Immediate | undefined;
  #poll: NodeJS.Timeout | undefined;
  #unsubscribeDuty: (() => void) | undefined;
  /** The pass in flight: passes run one at a time (each reads the cursor the previous one left). */
  #pass: Promise<number> = Promise.resolve(0);

  constructor(deps: PositionAlerterDeps) {
    this.#deps = deps;
  }

  /** Catches up with the log, then follows it. */
  async start(): Promise<void> {
    try {
      await this.#deps.store.queries.alerts.initAlertCursor(CURSOR);
    } catch (error) {
      this.#deps.logger.error({ err: error }, 'cannot initialise the position alert cursor');
    }
    this.#unsubscribe = this.#deps.eventLog.subscribe((ev) => {
      if (!ev.kind.startsWith('position.') || this.#scheduled) return;
      this.#scheduled = setImmediate(() => {
        this.#scheduled = undefined;
        void this.catchUp();
      });
    });
    const { duty } = this.#deps;
    if (duty) {
      this.#unsubscribeDuty = duty.onChange((held) => {
        if (held) void this.catchUp();
      });
      this.#poll = setInterval(() => {
        if (duty.held()) void this.catchUp();
      }, this.#deps.pollMs ?? 1_000);
      this.#poll.unref();
    }
    await this.catchUp();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#unsubscribeDuty?.();
    this.#unsubscribeDuty = undefined;
    clearInterval(this.#poll);
    this.#poll = undefined;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    // The pass in flight finishes its write (nothing is written after the database closes).
    await this.#pass;
  }

  /** Processes every event after the cursor; returns how many outbox rows were queued. */
  catchUp(): Promise<number> {
    this.#pass = this.#pass.then(() => this.#catchUp());
    return this.#pass;
  }

  async #catchUp(): Promise<number> {
    const { store, outbox, logger } = this.#deps;
    let queued = 0;
    // Not the duty holder: another watcher feeds the outbox from the shared cursor. With a duty,
    // each batch's rows and cursor advance are fenced by it in their transaction: a holder paused
    // through a takeover cannot commit them after the new holder moved on.
    const { duty } = this.#deps;
    if (duty && !duty.held()) return 0;
    const inTransaction = <T>(body: (q: StoreQueries) => Promise<T>): Promise<T> =>
      duty ? fencedStoreTransaction(store, duty, body) : store.transaction(body);
    try {
      for (;;) {
        const cursor = await store.queries.alerts.readAlertCursor(CURSOR);
        if (cursor === null) throw new Error('position alert cursor missing');
        const batch = await store.queries.events.eventsAfter({ afterId: cursor, limit: BATCH });
        if (batch.length === 0) break;
        const committed: EnqueueResult[] = [];
        await inTransaction(async (q) => {
          for (const ev of batch) {
            const message = ev.kind.startsWith('position.')
              ? describePositionAlert(ev, this.#deps.publicUrl)
              : null;
            if (!message) continue;
            const hash = 'addressHash' in ev.payload ? ev.payload.addressHash : '';
            const sinks = this.#deps.sinksOf(hash) ?? outbox.sinkNames;
            for (const sink of sinks) {
              // In this transaction: an error here rolls the whole batch back.
              const results = await outbox.enqueueIn(q, message, { onlySink: sink });
              if (results.length === 0) throw new Error(`enqueue to ${sink} failed`);
              committed.push(...results);
              queued += results.filter((r) => r.outcome === 'queued').length;
            }
          }
          await q.alerts.advanceAlertCursor(CURSOR, (batch.at(-1) as { id: number }).id);
        });
        outbox.settle(committed);
        if (batch.length < BATCH) break;
      }
      this.#deps.onWriteOutcome?.(null);
    } catch (error) {
      if (error instanceof DutyLostError) {
        // Not a database failure: another watcher holds the duty now and resumes from the cursor.
        logger.warn(
          { duty: error.duty },
          'position alert pass stopped: the incidents duty was lost',
        );
        return queued;
      }
      this.#deps.onWriteOutcome?.(error);
      logger.warn({ err: error }, 'position alerts behind the event log; retrying');
      if (this.#unsubscribe && !this.#retry) {
        this.#retry = setTimeout(() => {
          this.#retry = undefined;
          void this.catchUp();
        }, this.#deps.retryMs ?? 5_000);
        this.#retry.unref();
      }
    }
    return queued;
  }
}
