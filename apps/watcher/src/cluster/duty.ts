import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../db/openDb.js';
import { type PgDb, withPgTransaction } from '../db/pg/openPgDb.js';
import {
  type LeaseGrant,
  type LeaseKeeper,
  lockLeaseForShare,
  type Queryable,
  startLeaseKeeper,
} from '../db/pg/pgLease.js';
import { WatcherError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * The shared duties of a cluster of watchers (issue 17): work that must happen once per database,
 * not once per watcher. `alerts`: the incident alerter cursor and outbox delivery; `incidents`:
 * opening and closing incidents from the combined status; `retention`: rollups and pruning.
 */
export const dutyNames = ['alerts', 'incidents', 'retention'] as const;
/** One of {@link dutyNames}. */
export type DutyName = (typeof dutyNames)[number];

/**
 * Proof that this process performs a duty right now. On PostgreSQL the lease grant
 * (`src/db/pg/pgLease.ts`): `epoch` grows at every change of holder; locally `epoch` is 0.
 */
export type DutyGrant = {
  readonly name: DutyName;
  readonly holder: string;
  readonly epoch: number;
};

/**
 * What {@link Duty.fence} runs on: the transaction the duty's write happens in — on PostgreSQL a
 * {@link PgDb} bound to a transaction's client (`withPgTransaction`'s `q`) or that client itself;
 * on SQLite the drizzle `Db` (ignored: one process, nothing to fence).
 */
export type DutyTransaction = PgDb | Queryable | Db;

/**
 * A named shared duty that at most one watcher performs at a time.
 *
 * Use: run the duty's loop only while {@link held} is non-null (start/stop it from
 * {@link onChange}), and call {@link fence} first in every transaction that writes on behalf of
 * the duty; roll back when it says `false` ({@link withFencedPgTransaction} does both).
 */
export type Duty = {
  readonly name: DutyName;
  /** The grant while this process may perform the duty, else `null` (checked against the local deadline). */
  held(): DutyGrant | null;
  /**
   * Inside the duty's write transaction, before its writes: `true` if this process still holds the
   * duty — on PostgreSQL the lease row is then share-locked until the transaction ends, so no
   * takeover commits meanwhile; `false` → the caller must roll back (another watcher took over, or
   * the lease ran out locally).
   *
   * @throws DutyFenceError when `q` cannot fence: a pool (not a transaction) or a SQLite handle
   *   given to a PostgreSQL duty.
   */
  fence(q: DutyTransaction): Promise<boolean>;
  /**
   * Calls `listener(true)` when this process acquires the duty and `listener(false)` when it loses
   * it (taken over, expired locally, or released by {@link stop}). Not called for the state at
   * subscription: read {@link held} first. @returns a function that unsubscribes.
   */
  onChange(listener: (held: boolean) => void): () => void;
  /** Stops keeping the duty and releases it at once (another watcher takes over without waiting). */
  stop(): Promise<void>;
};

/** {@link Duty.fence} was given something it cannot fence with (a programming error, not a lost duty). */
export class DutyFenceError extends WatcherError {
  override name = 'Watcher.DutyFenceError';
}

/** {@link withFencedPgTransaction}: the duty was not held at commit time; the transaction was rolled back. */
export class DutyLostError extends WatcherError {
  override name = 'Watcher.DutyLostError';
  constructor(readonly duty: DutyName) {
    super(`duty "${duty}" is no longer held by this watcher: its write was rolled back`);
  }
}

/**
 * The duty of a single watcher (SQLite, or no cluster): always held, `fence` always `true`,
 * `onChange` never fires.
 */
export function localDuty(name: DutyName): Duty {
  const grant: DutyGrant = { name, holder: 'local', epoch: 0 };
  return {
    name,
    held: () => grant,
    fence: async () => true,
    onChange: () => () => {},
    stop: async () => {},
  };
}

export type PgDutyParameters = {
  /** The pool the lease keeper renews through (reconnects after a dropped connection). */
  readonly pool: pg.Pool;
  readonly name: DutyName;
  /**
   * This process's holder name: `cluster.id` + `/` + a random suffix per start
   * ({@link dutyHolder}), so a restarted process is a new holder and its old epoch is fenced.
   */
  readonly holder: string;
  /** Lease TTL, ms: `cluster.leaseSeconds * 1000`. Another watcher takes over within about this long after the holder dies. */
  readonly ttlMs: number;
  readonly logger: Logger;
  /** How often to renew while holding, default `ttlMs / 3`; tries to acquire come every `min(intervalMs, 1 s)`. */
  readonly intervalMs?: number;
  /** Monotonic ms for the local deadline (default `performance.now`); tests pass a fake to simulate a pause. */
  readonly now?: () => number;
};

/** A holder name for {@link pgDuty}: `<watcher id>/<8 random hex>`, new at every process start. */
export function dutyHolder(watcherId: string): string {
  return `${watcherId}/${randomUUID().slice(0, 8)}`;
}

/**
 * A duty shared by the watchers on one PostgreSQL database, kept by a lease
 * (`startLeaseKeeper`: a `leases` row with server-clock expiry and a fencing epoch). Starts trying to
 * acquire at once; logs `duty acquired` (info) and `duty lost` (warn, with the reason:
 * `taken-over` = a renewal was refused, `expired` = no renewal succeeded before the local deadline,
 * e.g. the process was paused or the database unreachable), and failed lease queries (warn; a repeated message at most once per TTL).
 *
 * The local deadline (start of the last successful renewal + `ttlMs`, monotonic clock) is never
 * later than the server's expiry, so a paused holder stops acting before another can take over;
 * {@link Duty.fence} covers the remaining window (a pause between the check and the commit).
 */
export function pgDuty(params: PgDutyParameters): Duty {
  const { name, holder, logger } = params;
  const listeners = new Set<(held: boolean) => void>();
  const notify = (held: boolean) => {
    for (const l of [...listeners]) {
      try {
        l(held);
      } catch (error) {
        logger.error({ err: error, duty: name }, 'duty listener threw');
      }
    }
  };
  let lastError: string | null = null;
  let lastErrorAt = 0;
  const keeper: LeaseKeeper = startLeaseKeeper({
    db: params.pool,
    name,
    holder,
    ttlMs: params.ttlMs,
    ...(params.intervalMs !== undefined ? { intervalMs: params.intervalMs } : {}),
    ...(params.now !== undefined ? { now: params.now } : {}),
    onAcquired: (grant) => {
      lastError = null;
      logger.info(
        { duty: name, holder, epoch: grant.epoch, ttlMs: params.ttlMs },
        `duty "${name}" acquired (epoch ${grant.epoch})`,
      );
      notify(true);
    },
    onLost: (grant, reason) => {
      const why =
        reason === 'taken-over'
          ? 'its renewal was refused: the lease expired on the server and another watcher may hold it'
          : 'no renewal succeeded before the local deadline (process paused or database unreachable)';
      logger.warn(
        { duty: name, holder, epoch: grant.epoch, reason },
        `duty "${name}" lost (${reason}): ${why}`,
      );
      notify(false);
    },
    onError: (error) => {
      const message = error instanceof Error ? error.message : String(error);
      const at = performance.now();
      if (message === lastError && at - lastErrorAt < params.ttlMs) return;
      lastError = message;
      lastErrorAt = at;
      logger.warn({ duty: name, holder, err: error }, `duty "${name}": lease query failed`);
    },
  });
  let stopped = false;
  const asDuty = (g: LeaseGrant | null): DutyGrant | null =>
    g ? { name, holder: g.holder, epoch: g.epoch } : null;
  return {
    name,
    held: () => asDuty(keeper.current()),
    fence: async (q) => {
      const client = transactionClient(q, name);
      const grant = keeper.current();
      if (!grant) return false;
      return lockLeaseForShare(client, grant);
    },
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const wasHeld = keeper.current() !== null;
      await keeper.stop();
      if (wasHeld) {
        logger.info({ duty: name, holder }, `duty "${name}" released (stopping)`);
        notify(false);
      }
      listeners.clear();
    },
  };
}

/** The transaction's connection behind `q`, or a {@link DutyFenceError} saying why `q` cannot fence. */
function transactionClient(q: DutyTransaction, name: DutyName): Queryable {
  const client: unknown = '$client' in q ? q.$client : q;
  if (client instanceof pg.Pool)
    throw new DutyFenceError(
      `duty "${name}": fence needs the duty's transaction (withPgTransaction's q or its client), got a pool: a share lock taken outside a transaction ends with its statement and fences nothing`,
    );
  if (typeof (client as { query?: unknown }).query !== 'function')
    throw new DutyFenceError(
      `duty "${name}" is kept on PostgreSQL: fence needs a PostgreSQL transaction, got a handle without query() (a SQLite Db?)`,
    );
  return client as Queryable;
}

/**
 * Runs `body` in one PostgreSQL transaction guarded by `duty`: fences first, and when the duty is
 * no longer held rolls back and throws {@link DutyLostError} without running `body`.
 *
 * @example await withFencedPgTransaction(pool, alertsDuty, (q) => markDelivered(q, id));
 */
export async function withFencedPgTransaction<T>(
  pool: pg.Pool,
  duty: Duty,
  body: (q: PgDb) => Promise<T>,
): Promise<T> {
  return withPgTransaction(pool, async (q) => {
    if (!(await duty.fence(q))) throw new DutyLostError(duty.name);
    return body(q);
  });
}
