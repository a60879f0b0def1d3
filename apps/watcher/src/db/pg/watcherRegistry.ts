import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { ClusterMode } from '../../config/clusterConfig.js';
import { WatcherError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { pgDbOf, withPgTransaction } from './openPgDb.js';
import {
  heartbeatWatcher,
  liveWatchers,
  lockWatchers,
  readWatchers,
  removeWatcher,
  serverNowMs,
  upsertWatcher,
  type WatcherRow,
} from './queries/watchers.js';

export { liveWatchers, type WatcherRow };

/** A heartbeat is live for this many heartbeat intervals (two missed beats are tolerated). */
export const FRESH_HEARTBEATS = 3;

/**
 * The watcher cannot join the database's cluster: its id is in use by another live process, or
 * live watchers run the other mode. `message` says which and what to change; the CLI prints it
 * and exits.
 */
export class WatcherRegistryConflictError extends WatcherError {
  override name = 'Watcher.WatcherRegistryConflictError';
  constructor(
    message: string,
    readonly conflict: 'id-in-use' | 'mode-mismatch',
    readonly others: readonly WatcherRow[],
  ) {
    super(message);
  }
}

export type WatcherRegistryParameters = {
  readonly pool: pg.Pool;
  /** `cluster.id`. */
  readonly id: string;
  /** `cluster.mode`. */
  readonly mode: ClusterMode;
  /** The watcher's version (shown to operators). */
  readonly version: string;
  /** Heartbeat interval, ms (integer ≥ 100); a row is live for {@link FRESH_HEARTBEATS} × this. */
  readonly heartbeatMs: number;
  readonly logger: Logger;
  /** Default `os.hostname()`. */
  readonly host?: string;
  /** Default `process.pid`. */
  readonly pid?: number;
  /** Random per process start (default a UUID); tests pass their own. */
  readonly instance?: string;
  /**
   * Another instance replaced this watcher's row (this process was considered dead — paused or cut
   * off for longer than the freshness window — and a process with the same id started). The
   * heartbeat stops; the caller should shut down, since two processes now act as one id.
   */
  readonly onDisplaced?: (by: WatcherRow | null) => void;
};

/** A running registration: heartbeats until {@link WatcherRegistry.stop}. */
export type WatcherRegistry = {
  readonly id: string;
  readonly instance: string;
  readonly mode: ClusterMode;
  /** {@link FRESH_HEARTBEATS} × `heartbeatMs`: how fresh a heartbeat must be to count as live. */
  readonly freshMs: number;
  /** The live watchers on the database (this one included while it heartbeats). */
  live(): Promise<WatcherRow[]>;
  /** Stops heartbeating and removes this process's row (its id is free at once). */
  stop(): Promise<void>;
};

const ago = (now: number, at: number) => `${((now - at) / 1000).toFixed(1)} s ago`;
const describe = (r: WatcherRow, now: number) =>
  `"${r.id}" (${r.mode}, host ${r.host} pid ${r.pid}, version ${r.version}, heartbeat ${ago(now, r.heartbeatAt)})`;

/**
 * Why `me` may not join a database whose registered watchers are `rows` (read at server time
 * `now`), or `null` when it may. Only live rows (heartbeat within `freshMs`) count. Pure; exported
 * for the registry and its tests.
 */
export function registrationConflict(
  me: { id: string; instance: string; mode: ClusterMode },
  rows: readonly WatcherRow[],
  now: number,
  freshMs: number,
): WatcherRegistryConflictError | null {
  const live = rows.filter((r) => r.heartbeatAt > now - freshMs);
  const sameId = live.find((r) => r.id === me.id && r.instance !== me.instance);
  if (sameId) {
    const freeIn = Math.max(0, sameId.heartbeatAt + freshMs - now);
    return new WatcherRegistryConflictError(
      `watcher id "${me.id}" is already in use by a live watcher on this database: ${describe(sameId, now)}, instance ${sameId.instance}. ` +
        `Each watcher sharing a database needs its own cluster.id (or PERPSCOPE_WATCHER_ID); ` +
        `if that process is gone, its heartbeat expires in ${(freeIn / 1000).toFixed(1)} s.`,
      'id-in-use',
      [sameId],
    );
  }
  const otherMode = live.filter((r) => r.id !== me.id && r.mode !== me.mode);
  if (otherMode.length > 0) {
    const theirs = otherMode[0]!.mode;
    return new WatcherRegistryConflictError(
      `watcher "${me.id}" cannot start in ${me.mode} mode: live watcher(s) on this database run ${theirs} mode: ` +
        `${otherMode.map((r) => describe(r, now)).join(', ')}. Sharded and redundant watchers must not mix: ` +
        `a sharded watcher owns its subjects alone and prunes its own rows, while redundant watchers observe the same ` +
        `subjects and serve the quorum of their observations — mixed, a sharded watcher's subjects would be judged by ` +
        `one observer with no second opinion, and redundant watchers' shared subjects would be pruned by whichever owns them. ` +
        `Set the same cluster.mode on every watcher (to change it, stop them all first).`,
      'mode-mismatch',
      otherMode,
    );
  }
  return null;
}

/**
 * Whether a process with `pid` runs on this host. This process counts as alive: a row with its own
 * pid is another registry in it (tests) or a previous container incarnation with pid 1, and both are
 * better waited out.
 */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Registers this watcher in the `watchers` table of a PostgreSQL database and keeps its heartbeat
 * (every `heartbeatMs`, server clock). The check and the upsert run in one transaction under an
 * advisory lock, so of two processes starting at once with the same id exactly one gets in.
 *
 * A fresh row of the same id whose heartbeat does not move (this watcher's previous instance, killed
 * less than {@link FRESH_HEARTBEATS} × `heartbeatMs` ago) is replaced at once when it names this host
 * and a pid that no longer runs here, otherwise waited out, then replaced.
 *
 * @throws WatcherRegistryConflictError naming the id when another live instance (heartbeat fresher
 *   than {@link FRESH_HEARTBEATS} × `heartbeatMs`, and still beating) holds the same id, or when live watchers on the
 *   database run the other mode; RangeError for a bad `heartbeatMs`; the driver's error when the
 *   database cannot be reached.
 * @example const registry = await startWatcherRegistry({ pool, id: cluster.id, mode: cluster.mode, version, heartbeatMs: 5_000, logger });
 */
export async function startWatcherRegistry(
  params: WatcherRegistryParameters,
): Promise<WatcherRegistry> {
  const { pool, id, mode, logger, heartbeatMs } = params;
  if (!Number.isInteger(heartbeatMs) || heartbeatMs < 100)
    throw new RangeError(
      `watcher registry heartbeatMs must be an integer ≥ 100, got ${heartbeatMs}`,
    );
  const freshMs = FRESH_HEARTBEATS * heartbeatMs;
  const instance = params.instance ?? randomUUID();
  const me = {
    id,
    instance,
    mode,
    host: params.host ?? hostname(),
    pid: params.pid ?? process.pid,
    version: params.version,
  };
  const register = () =>
    withPgTransaction(pool, async (q) => {
      await lockWatchers(q);
      const now = await serverNowMs(q);
      const conflict = registrationConflict(me, await readWatchers(q), now, freshMs);
      if (conflict) return { conflict, now };
      await upsertWatcher(q, me);
      return null;
    });
  // A restart after a crash finds its previous instance's row still fresh. Wait for that row to
  // expire instead of refusing (a supervisor restarting at once would otherwise give up), but only
  // while its heartbeat stands still: a heartbeat that moves is a live process with this id.
  let seen: number | null = null;
  for (;;) {
    const refused = await register();
    if (refused === null) break;
    const previous = refused.conflict.others[0];
    const beat = previous?.heartbeatAt ?? null;
    if (
      refused.conflict.conflict !== 'id-in-use' ||
      beat === null ||
      (seen !== null && beat !== seen)
    )
      throw refused.conflict;
    seen = beat;
    // Same host, and no process with that pid: the row is this watcher's previous incarnation
    // (killed, OOM) — replace it at once instead of waiting for its heartbeat to expire.
    if (previous && previous.host === me.host && !processAlive(previous.pid)) {
      logger.warn(
        { watcher: id, previousInstance: previous.instance, previousPid: previous.pid },
        `watcher "${id}": replacing the registration of its previous instance (pid ${previous.pid} on this host is gone)`,
      );
      await removeWatcher(pgDbOf(pool), { id, instance: previous.instance });
      continue;
    }
    const waitMs = Math.max(50, beat + freshMs - refused.now + 50);
    logger.warn(
      { watcher: id, previousInstance: previous?.instance, waitMs },
      `watcher "${id}": a previous instance's registration is still fresh (a restart after a crash?); waiting ${(waitMs / 1000).toFixed(1)} s for it to expire — if it heartbeats meanwhile, that process is alive and this one refuses to start`,
    );
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  logger.info({ watcher: id, instance, mode, heartbeatMs }, `watcher "${id}" registered (${mode})`);

  const db = pgDbOf(pool);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let lastError: string | null = null;

  const beat = async () => {
    try {
      const mine = await heartbeatWatcher(db, { id, instance });
      lastError = null;
      if (mine) return;
      stopped = true;
      const by = (await readWatchers(db)).find((r) => r.id === id) ?? null;
      logger.error(
        { watcher: id, instance, by: by?.instance ?? null, byHost: by?.host ?? null },
        `watcher "${id}" was replaced in the registry by another instance${by ? ` (host ${by.host} pid ${by.pid})` : ''}: this process was considered dead; heartbeat stopped`,
      );
      params.onDisplaced?.(by);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message === lastError) return;
      lastError = message;
      logger.warn({ watcher: id, err: error }, `watcher "${id}": heartbeat failed`);
    }
  };
  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = beat().finally(loop);
    }, heartbeatMs);
  };
  loop();

  return {
    id,
    instance,
    mode,
    freshMs,
    live: () => liveWatchers(db, { freshMs }),
    stop: async () => {
      const wasRunning = !stopped;
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      if (!wasRunning) return;
      await removeWatcher(db, { id, instance }).catch((error) =>
        logger.warn({ watcher: id, err: error }, `watcher "${id}": could not unregister`),
      );
    },
  };
}
