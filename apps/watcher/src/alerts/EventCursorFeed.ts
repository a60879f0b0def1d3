import type { Logger } from 'pino';
import { type Duty, DutyLostError } from '../cluster/duty.js';
import { fencedStoreTransaction } from '../cluster/fencedTransaction.js';
import type { StoredEvent } from '../db/queries/events.js';
import type { StoreQueries, WatcherStore } from '../db/store/watcherStore.js';
import type { EventLog } from '../events/eventLog.js';

/** Runs `body` in one transaction — fenced by the duty when there is one. */
export type FeedTransaction = <T>(body: (q: StoreQueries) => Promise<T>) => Promise<T>;

/** What a feed's owner passes through: where it reads and writes, and how it follows. */
export type FollowDeps = {
  store: WatcherStore;
  eventLog: EventLog;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Retry period while the database refuses writes (ms, default 5000). */
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
  /** Told whether each catch-up pass (its outbox and cursor writes) committed: `null`, or the error. */
  onWriteOutcome?: (error: unknown) => void;
};

/** Dependencies of {@link EventCursorFeed}. */
export type EventCursorFeedDeps = FollowDeps & {
  /** The feed's row in `alert_cursor` (each feed has its own). */
  cursor: string;
  /** Which live events wake the feed up (it reads the persisted log either way). */
  wakesOn: (ev: StoredEvent) => boolean;
  /**
   * Handles one batch of events after `cursor` and advances the cursor in the transaction(s) that
   * write what the batch produced; tells `queued` how many outbox rows each commit queued.
   */
  handleBatch: (batch: {
    events: readonly StoredEvent[];
    cursor: number;
    tx: FeedTransaction;
    queued: (rows: number) => void;
  }) => Promise<void>;
  /** Words for the logs: what this feed is (`alert feed`, `position alerts`). */
  name: string;
};

const BATCH = 500;

/**
 * Follows the persisted event log from a named cursor (`alert_cursor`), at least once: each pass
 * reads the events after the cursor in batches and hands them to `handleBatch`, which commits what
 * they produce together with the cursor advance. Live events only wake it up (deferred and
 * coalesced, so the write that published the event returns first), so an event published while the
 * database refused writes, or during a crash, is picked up from the log later; a failed pass is
 * retried every `retryMs`. Passes run one at a time. With a duty, only its holder runs passes and
 * every write is fenced by it: a holder paused through a takeover cannot commit after the new
 * holder moved on. The first start begins at the end of the log (no alerts for history).
 *
 * @example
 * const feed = new EventCursorFeed({ store, eventLog, logger, cursor: 'incidents', name: 'alert feed',
 *   wakesOn: isIncidentEvent, handleBatch: async ({ events, tx, queued }) => {} });
 * await feed.start();
 */
export class EventCursorFeed {
  readonly #deps: EventCursorFeedDeps;
  #unsubscribe: (() => void) | undefined;
  #retry: NodeJS.Timeout | undefined;
  #scheduled: NodeJS.Immediate | undefined;
  #poll: NodeJS.Timeout | undefined;
  #unsubscribeDuty: (() => void) | undefined;
  /** The pass in flight: passes run one at a time (each reads the cursor the previous one left). */
  #pass: Promise<number> = Promise.resolve(0);

  constructor(deps: EventCursorFeedDeps) {
    this.#deps = deps;
  }

  /** Catches up with the log, then follows it. */
  async start(): Promise<void> {
    const { store, logger, cursor, name, duty } = this.#deps;
    try {
      await store.queries.alerts.initAlertCursor(cursor);
    } catch (error) {
      logger.error({ err: error, cursor }, `${name}: cannot initialise its cursor; will retry`);
    }
    this.#unsubscribe = this.#deps.eventLog.subscribe((ev) => {
      if (!this.#deps.wakesOn(ev) || this.#scheduled) return;
      this.#scheduled = setImmediate(() => {
        this.#scheduled = undefined;
        void this.catchUp();
      });
    });
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

  /** Stops following; the pass in flight finishes its write (nothing is written after the database closes). */
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
    await this.#pass;
  }

  /** Processes every event after the cursor. Returns how many outbox rows were queued. */
  catchUp(): Promise<number> {
    this.#pass = this.#pass.then(() => this.#catchUp());
    return this.#pass;
  }

  async #catchUp(): Promise<number> {
    const { store, logger, duty, cursor: name } = this.#deps;
    if (duty && !duty.held()) return 0; // another watcher feeds the outbox from the shared cursor
    const tx: FeedTransaction = (body) =>
      duty ? fencedStoreTransaction(store, duty, body) : store.transaction(body);
    let queued = 0;
    try {
      for (;;) {
        const cursor = await store.queries.alerts.readAlertCursor(name);
        if (cursor === null) throw new Error(`alert cursor '${name}' missing`);
        const batch = await store.queries.events.eventsAfter({ afterId: cursor, limit: BATCH });
        if (batch.length === 0) break;
        await this.#deps.handleBatch({
          events: batch,
          cursor,
          tx,
          queued: (rows) => {
            queued += rows;
          },
        });
        if (batch.length < BATCH) break;
      }
      this.#deps.onWriteOutcome?.(null);
    } catch (error) {
      if (error instanceof DutyLostError) {
        // Not a database failure: another watcher holds the duty now and resumes from the cursor.
        logger.info(
          { duty: error.duty },
          `${this.#deps.name}: pass stopped, the ${error.duty} duty was lost`,
        );
        return queued;
      }
      this.#deps.onWriteOutcome?.(error);
      logger.warn(
        { err: error },
        `${this.#deps.name} behind the event log (database write failed); retrying`,
      );
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
