import type pg from 'pg';

/**
 * A lease on one duty (`alerts`: incident transitions and alert delivery) that exactly one watcher
 * may perform at a time, kept in the `leases` table on PostgreSQL (the pattern of Chainlink's
 * HA nodes). Every instant is the database server's clock (`now()`), never a watcher's, so hosts
 * with skewed clocks agree on who holds it.
 *
 * Why a row with expiry and not only an advisory lock: a session advisory lock is released when the
 * server sees the holder's connection close, which after a network partition (no FIN) can take the
 * TCP keepalive timeout — hours by default — while the cut-off holder may still be sending. A lease
 * bounds that by its TTL, and its `epoch` fences a holder that lost it without noticing:
 * {@link lockLeaseForShare} inside the duty's own transaction fails once another holder took over.
 */
export type LeaseGrant = {
  readonly name: string;
  readonly holder: string;
  /** 1 for the first holder of the name, +1 at every takeover; kept by renewals. */
  readonly epoch: number;
  /** The server's instant from which another process may take the lease over. */
  readonly expiresAt: Date;
};

/** The lease row as stored (for status pages and tests). */
export type LeaseRow = LeaseGrant & { readonly acquiredAt: Date; readonly renewedAt: Date };

/** What the lease functions need: a `pg.Pool`, a `pg.Client` or a pool client in a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

export type LeaseRequest = {
  readonly name: string;
  /** Unique per process start (`<watcher id>/<random>`), so a restarted process is a new holder. */
  readonly holder: string;
  /** How long a grant or renewal lasts, ms (≥ 100). */
  readonly ttlMs: number;
};

type Row = {
  name: string;
  holder: string;
  epoch: string;
  expires_at: Date;
  acquired_at: Date;
  renewed_at: Date;
};
const toGrant = (r: Row): LeaseGrant => ({
  name: r.name,
  holder: r.holder,
  epoch: Number(r.epoch),
  expiresAt: r.expires_at,
});

function checkTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs < 100)
    throw new RangeError(`lease ttlMs must be an integer ≥ 100, got ${ttlMs}`);
}

/**
 * Takes the lease if nobody holds it or its holder let it expire; one statement, so of several
 * processes racing for a free lease exactly one wins (the row's primary key serialises them).
 *
 * @returns the grant, or `null` while another holder's lease is unexpired (also when `holder`
 *   itself holds it: renew with {@link renewLease}).
 * @throws RangeError for a `ttlMs` below 100; the driver's error when the query fails.
 */
export async function tryAcquireLease(q: Queryable, req: LeaseRequest): Promise<LeaseGrant | null> {
  checkTtl(req.ttlMs);
  const r = await q.query<Row>(
    `insert into leases as l (name, holder, epoch, acquired_at, renewed_at, expires_at)
     values ($1, $2, 1, now(), now(), now() + $3 * interval '1 millisecond')
     on conflict (name) do update
       set holder = excluded.holder, epoch = l.epoch + 1, acquired_at = now(),
           renewed_at = now(), expires_at = excluded.expires_at
       where l.expires_at <= now()
     returning *`,
    [req.name, req.holder, req.ttlMs],
  );
  return r.rows[0] ? toGrant(r.rows[0]) : null;
}

/**
 * How long until `name`'s current grant expires, ms on the server's clock (0 when it already has,
 * `null` when nobody ever took it): when a non-holder should try again.
 */
export async function leaseExpiresInMs(q: Queryable, name: string): Promise<number | null> {
  const r = await q.query<{ ms: string | null }>(
    `select greatest(0, extract(epoch from (expires_at - now())) * 1000)::bigint as ms
     from leases where name = $1`,
    [name],
  );
  const ms = r.rows[0]?.ms;
  return ms == null ? null : Number(ms);
}

/**
 * Extends a held lease by `ttlMs` from now. Only the same holder and epoch, and only while the
 * lease has not expired: a holder that renews too late has lost it even if nobody took it yet
 * (it must acquire again and gets a new epoch, so its old work is fenced).
 *
 * @returns the renewed grant, or `null` when the lease is lost.
 */
export async function renewLease(
  q: Queryable,
  params: { grant: LeaseGrant; ttlMs: number },
): Promise<LeaseGrant | null> {
  checkTtl(params.ttlMs);
  const { grant } = params;
  const r = await q.query<Row>(
    `update leases set renewed_at = now(), expires_at = now() + $4 * interval '1 millisecond'
     where name = $1 and holder = $2 and epoch = $3 and expires_at > now()
     returning *`,
    [grant.name, grant.holder, grant.epoch, params.ttlMs],
  );
  return r.rows[0] ? toGrant(r.rows[0]) : null;
}

/**
 * Gives the lease up at once (clean shutdown), so another process takes over without waiting for
 * the expiry. The row stays (its epoch keeps counting). @returns whether `grant` was still held.
 */
export async function releaseLease(q: Queryable, grant: LeaseGrant): Promise<boolean> {
  const r = await q.query(
    `update leases set expires_at = now() where name = $1 and holder = $2 and epoch = $3
     and expires_at > now()`,
    [grant.name, grant.holder, grant.epoch],
  );
  return (r.rowCount ?? 0) > 0;
}

/**
 * The fence: call inside the transaction that performs the duty (claims an outbox row, records a
 * transition). It share-locks the lease row, so no takeover can commit while that transaction
 * runs, and says whether `grant` is still the current, unexpired lease — when `false`, roll back.
 */
export async function lockLeaseForShare(tx: Queryable, grant: LeaseGrant): Promise<boolean> {
  const r = await tx.query(
    `select 1 from leases where name = $1 and holder = $2 and epoch = $3 and expires_at > now()
     for share`,
    [grant.name, grant.holder, grant.epoch],
  );
  return (r.rowCount ?? 0) > 0;
}

/** The stored row of `name`, `null` before anyone took it. */
export async function readLease(q: Queryable, name: string): Promise<LeaseRow | null> {
  const r = await q.query<Row>('select * from leases where name = $1', [name]);
  const row = r.rows[0];
  return row ? { ...toGrant(row), acquiredAt: row.acquired_at, renewedAt: row.renewed_at } : null;
}

export type LeaseKeeperParameters = LeaseRequest & {
  /** A pool (reconnects after a dropped connection) or a single client. */
  readonly db: Queryable;
  /** How often to renew while holding; default `ttlMs / 3`. */
  readonly intervalMs?: number;
  /**
   * The longest wait between tries to acquire while not holding; default `min(intervalMs, 1000)`.
   * After a refused try the keeper reads when the holder's grant runs out and tries again 20 ms
   * after that if it comes sooner, so a dead holder's lease is taken over right at its expiry (a
   * live holder renews before it; the next read says so). Each try is one `UPDATE` plus one read.
   */
  readonly acquireIntervalMs?: number;
  /** Monotonic ms (default `performance.now`); the local deadline is measured with it. */
  readonly now?: () => number;
  readonly onAcquired?: (grant: LeaseGrant) => void;
  /** The lease is gone: renewal refused, or no renewal succeeded before the local deadline. */
  readonly onLost?: (grant: LeaseGrant, reason: 'taken-over' | 'expired') => void;
  /** A failed query (the keeper goes on trying; the lease is lost only as `onLost` says). */
  readonly onError?: (error: unknown) => void;
};

export type LeaseKeeper = {
  /**
   * The grant while this process may act on it, else `null`. Locally the lease ends at the start
   * of the last successful acquire/renew call + `ttlMs` (monotonic clock): never later than the
   * server's expiry, whatever the latency of the call.
   */
  current(): LeaseGrant | null;
  /** Stops the loop and releases a held lease (awaits the step in flight first). */
  stop(): Promise<void>;
};

/**
 * Acquires and keeps renewing the lease `name` in the background: while another process holds it,
 * tries right after the holder's grant expires, at least every `acquireIntervalMs` (default
 * `min(intervalMs, 1 s)`); renews every `intervalMs`
 * (default `ttlMs / 3`) while holding it.
 *
 * @example
 * const keeper = startLeaseKeeper({ db: pool, name: 'alerts', holder: `${id}/${randomUUID()}`, ttlMs: 15_000 });
 * // in the delivery loop: const grant = keeper.current(); if (grant) deliver(grant);
 */
export function startLeaseKeeper(params: LeaseKeeperParameters): LeaseKeeper {
  checkTtl(params.ttlMs);
  const now = params.now ?? (() => performance.now());
  const interval = params.intervalMs ?? Math.floor(params.ttlMs / 3);
  const acquireInterval = params.acquireIntervalMs ?? Math.min(interval, 1_000);
  let grant: LeaseGrant | null = null;
  let deadline = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  /** Delay before the next acquire try (set after a refused try). */
  let nextTry = acquireInterval;

  const lose = (reason: 'taken-over' | 'expired') => {
    const lost = grant;
    grant = null;
    if (lost) params.onLost?.(lost, reason);
  };

  const step = async () => {
    const startedAt = now();
    nextTry = acquireInterval;
    if (grant && startedAt >= deadline) lose('expired');
    try {
      if (grant) {
        const renewed = await renewLease(params.db, { grant, ttlMs: params.ttlMs });
        if (renewed) {
          grant = renewed;
          deadline = startedAt + params.ttlMs;
        } else lose('taken-over');
      } else {
        const acquired = await tryAcquireLease(params.db, params);
        if (acquired) {
          grant = acquired;
          deadline = startedAt + params.ttlMs;
          params.onAcquired?.(acquired);
        } else {
          // Try again right after the holder's grant runs out (it renews before that while alive,
          // and the next read says so), but never later than the try interval.
          const left = await leaseExpiresInMs(params.db, params.name);
          nextTry = left === null ? acquireInterval : Math.min(acquireInterval, left + 20);
        }
      }
    } catch (error) {
      params.onError?.(error);
      if (grant && now() >= deadline) lose('expired');
    }
  };

  const loop = () => {
    if (stopped) return;
    inFlight = step().finally(() => {
      if (!stopped)
        timer = setTimeout(loop, grant ? Math.min(interval, deadline - now()) : nextTry);
    });
  };
  loop();

  return {
    current: () => {
      if (grant && now() >= deadline) lose('expired');
      return grant;
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      const held = grant;
      grant = null;
      if (held) await releaseLease(params.db, held).catch((error) => params.onError?.(error));
    },
  };
}
