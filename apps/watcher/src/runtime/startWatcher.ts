import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Gauge } from 'prom-client';
import { EventStreamHub } from '../api/EventStreamHub.js';
import { type Clock, systemClock } from '../clock.js';
import type { WatcherConfig } from '../config/configSchema.js';
import { createApp } from '../createApp.js';
import type { OpenDb } from '../db/openDb.js';
import type { EventFollower } from '../db/pg/followEvents.js';
import { createChangeCounter } from '../db/store/createSqliteStore.js';
import { openStore } from '../db/store/openStore.js';
import { startWalCheckpointer, type WalCheckpointer } from '../db/walCheckpointer.js';
import { disableAutoCheckpoint } from '../db/walCheckpointSchedule.js';
import { EventLog } from '../events/eventLog.js';
import type { Logger } from '../logger.js';
import { clientResolver } from '../security/requestClient.js';
import type { PositionAlerter } from '../subjects/positions/PositionAlerter.js';
import { clusterFor } from './clusterFor.js';
import { configIngests } from './configIngests.js';
import { createOperations, type Operations } from './createOperations.js';
import { type ConnectionLimiterStats, limitConnections } from './limitConnections.js';
import { createMarkBoard } from './markBoard.js';
import { type IngestionWorker, startIngestionWorker } from './startIngestionWorker.js';
import type { Subject, SubjectFactory } from './subject.js';

/** A running watcher: its HTTP URL and a graceful `stop()`. */
export type RunningWatcher = {
  url: string;
  port: number;
  /** Where ingestion runs (see {@link IngestionOptions}). */
  ingestionThread: IngestionThread;
  /** The subjects running on this thread (empty when ingestion runs in the worker). */
  subjects: readonly Subject[];
  eventLog: EventLog;
  /** Alerts, metrics, retention (see `createOperations.ts`). */
  ops: Operations;
  /** `/v1/events` streams: caps, queued bytes, dropped slow readers. */
  eventStreams: EventStreamHub;
  /** Open and dropped sockets under `server.maxConnections` (`null` without a listener). */
  connections: ConnectionLimiterStats | null;
  /** Stops the subjects (letting the current write finish), the server, then closes the database. */
  stop(): Promise<void>;
};

/** Where polls, WebSocket parsing, evaluation and ingestion writes run. */
export type IngestionThread = 'worker' | 'main';

/**
 * `worker` (default): a `worker_threads` Worker with its own database connection runs every
 * subject, the alert feeds (enqueueing) and retention; this thread serves HTTP, SSE, `/metrics`
 * and delivers alerts (`runtime/ingestionWorker.ts`). `main`: everything on one thread — for tests
 * that hand in subject factories or a clock (functions cannot cross into a worker), drive a subject
 * by hand, or simulate faults on the writing connection (`ops.database.sqlite`).
 */
export type IngestionOptions = { thread: IngestionThread };

/** Exit code after the ingestion worker died (EX_SOFTWARE, as for an uncaught exception). */
export const EXIT_INGESTION_FAILED = 70;

/**
 * Exit code after another process took this watcher's `cluster.id` in the registry (EX_TEMPFAIL):
 * the supervisor restarts it, and the new start either meets a conflict or registers anew.
 */
export const EXIT_DISPLACED = 75;

export type StartWatcherParameters = {
  config: WatcherConfig;
  clock: Clock;
  logger: Logger;
  version: string;
  /** Defaults to the registered subjects (`subjects.ts`). */
  factories?: readonly SubjectFactory[];
  /** For tests: don't bind a port. */
  listen?: boolean;
  /** Secrets named by the config (alert sinks, API token), from `readSecrets` in env.ts. */
  secrets?: Readonly<Record<string, string | undefined>>;
  /**
   * Overrides the config's `ingestion.thread` (default `worker`). Without it, `factories`, a clock
   * other than `systemClock` or a real steady clock, or a `:memory:` database run ingestion on the
   * main thread (they cannot cross into a worker; asking for `worker` with them throws), and so does
   * a config that turns no subject on (API only: nothing to take off the event loop).
   */
  ingestion?: IngestionOptions;
  /**
   * The ingestion worker died (worker mode): default stops what still runs, logs and exits the
   * process with {@link EXIT_INGESTION_FAILED}, so a supervisor restarts it. Tests observe it.
   */
  onIngestionFailure?: (error: Error) => void;
  /**
   * PostgreSQL: another process registered with this watcher's `cluster.id` (this one was thought
   * dead). Default: logs fatal, stops what runs (ingestion first) and exits with
   * {@link EXIT_DISPLACED}. Tests observe it.
   */
  onDisplaced?: () => void;
};

/** The clock the worker can rebuild on its side, or null when this one cannot cross. */
function workerClockOf(clock: Clock): 'steady' | 'system' | null {
  if (clock === systemClock) return 'system';
  return 'real' in clock && clock.real === true ? 'steady' : null;
}

/**
 * Where `startWatcher` runs ingestion for these parameters (see {@link IngestionOptions}).
 *
 * @throws when `ingestion.thread: 'worker'` is asked for with something that cannot cross threads.
 */
export function ingestionThreadFor(params: StartWatcherParameters): IngestionThread {
  const canCross =
    params.factories === undefined &&
    params.config.database.path !== ':memory:' &&
    workerClockOf(params.clock) !== null;
  if (params.ingestion === undefined)
    return canCross && params.config.ingestion.thread === 'worker' && configIngests(params.config)
      ? 'worker'
      : 'main';
  if (params.ingestion.thread === 'worker' && !canCross)
    throw new Error(
      "ingestion.thread 'worker' needs the registered subjects, a file database and the system or a steady clock (factories and other clocks are functions and cannot cross into a worker thread); use ingestion.thread 'main'",
    );
  return params.ingestion.thread;
}

/** Pool size of the main thread's store on PostgreSQL (HTTP reads, alert delivery, the follower's reads). */
const MAIN_PG_CONNECTIONS = 8;

/**
 * Opens the database (running migrations), starts every subject — in the ingestion worker thread
 * by default (see {@link IngestionOptions}) — and the HTTP server.
 *
 * The database is `config.database` through `openStore`: the SQLite file (with its WAL
 * checkpointer and file health) or PostgreSQL (`database.url`; the worker opens its own small
 * pool). On PostgreSQL every committed event — this process's and every other process's sharing
 * the database — reaches the event log's subscribers and SSE clients through one `followEvents`
 * (LISTEN/NOTIFY + reads by id), in id order and once; the log does not publish its own writes.
 *
 * @throws when the database is unusable, a subject cannot start or the HTTP port cannot be bound
 *   (everything started is stopped again first).
 */
export async function startWatcher(params: StartWatcherParameters): Promise<RunningWatcher> {
  const { config, clock, logger } = params;
  const thread = ingestionThreadFor(params);
  // SQLite with ingestion in the worker: both threads' stores count their writes in one shared
  // counter, so a polled cached answer asks the database for its version only after a write
  // (`SqliteStoreOptions.changeCounter`). On one thread the version is read per call, as before.
  const changeCounter = thread === 'worker' ? createChangeCounter() : undefined;
  const opened = await openStore(config.database, {
    logger,
    maxConnections: MAIN_PG_CONNECTIONS,
    ...(changeCounter && { changeCounter }),
  });
  const { store, pg, sqlite: database } = opened;
  // SQLite checkpoints off the event loop (PostgreSQL has no WAL of ours). With ingestion in the
  // worker, the worker's own connection runs them (db/walCheckpointSchedule.ts: that thread serves
  // no HTTP, and a third isolate with its own connection costs RSS); on one thread a checkpoint
  // worker does (db/walCheckpointer.ts).
  const checkpointer: WalCheckpointer | null =
    database === null || config.database.path === ':memory:'
      ? null
      : thread === 'worker'
        ? checkpointsInWorker(database.sqlite)
        : startWalCheckpointer({
            sqlite: database.sqlite,
            path: config.database.path,
            intervalMs: 1_000,
            logger,
          });
  // On PostgreSQL the follower below publishes every committed event, this process's included.
  const eventLog = new EventLog({ store, clock, logger, publishWrites: pg === null });
  const secrets = params.secrets ?? {};
  let worker: IngestionWorker | null = null;
  let follower: EventFollower | null = null;
  // Set once stopAll exists (below); the registry calls it from its heartbeat.
  let displaced: () => void = () => {};
  const cluster = await clusterFor({
    config,
    pg,
    thread: thread === 'main' ? 'ingestion' : 'main',
    logger,
    version: params.version,
    onDisplaced: () => displaced(),
  });
  const ops = createOperations({
    config,
    database,
    store,
    cluster,
    eventLog,
    clock,
    logger,
    secrets,
    jobs: thread === 'worker' ? 'delivery' : 'all',
    ...(thread === 'worker' && { remoteWritable: () => worker?.writable() ?? true }),
  });
  let subjects: Subject[] = [];
  let positionAlerter: PositionAlerter | null = null;
  if (thread === 'main') {
    // Loaded only here: with ingestion in the worker this thread never evaluates the subjects'
    // modules (viem, the HL SDK, their schemas), which keeps its heap to what HTTP needs.
    const [{ subjectFactories }, { createWeightAccountant }, { createPositionAlerter }] =
      await Promise.all([
        import('./subjects.js'),
        import('@perpscope/hyperliquid'),
        import('../subjects/positions/createPositionAlerter.js'),
      ]);
    // One HL weight budget for the HIP-3 watch and the position guard: HL limits per IP, on real time.
    const hlWeight = createWeightAccountant({
      budget: config.hip3.weightBudgetPerMinute,
      now: Date.now,
    });
    const ctx = {
      config,
      store,
      cluster,
      eventLog,
      clock,
      logger,
      hlWeight,
      // The HIP-3 watch offers its ctx marks here; the position guard reads them (no subject
      // imports another's internals).
      marks: createMarkBoard(),
    };
    subjects = (params.factories ?? subjectFactories)
      .map((f) => f(ctx))
      .filter((s): s is Subject => s !== null);
    positionAlerter = createPositionAlerter({ config, store, eventLog, ops, logger });
  } else {
    registerWorkerMetrics(ops, () => worker);
  }
  const eventStreams = new EventStreamHub({
    limits: {
      maxStreams: config.server.maxEventStreams,
      maxStreamsPerClient: config.server.maxEventStreamsPerClient,
      bufferBytes: config.server.eventStreamBufferBytes,
    },
    client: clientResolver({ trustProxy: config.security.trustProxy }),
  });
  const app = createApp({
    cluster,
    eventStreams,
    ops: ops.http,
    store,
    eventLog,
    clock,
    logger,
    version: params.version,
    startedAt: clock.now(),
    readiness: () => ({
      ...(worker
        ? worker.readiness()
        : Object.fromEntries(subjects.map((s) => [s.name, s.ready()]))),
      ...ops.readiness(),
    }),
  });

  let stopping: Promise<void> | null = null;
  let server: ReturnType<typeof serve> | null = null;
  const stopAll = () => {
    stopping ??= (async () => {
      await Promise.all([...subjects.map((s) => s.stop()), worker?.stop()]);
      await positionAlerter?.stop();
      await ops.stop();
      await cluster.stop();
      if (server) {
        const srv = server;
        // SSE streams keep connections open; closeAllConnections lets close() resolve.
        await new Promise<void>((resolve) => {
          srv.close(() => resolve());
          if ('closeAllConnections' in srv) srv.closeAllConnections();
        });
      }
      // The follower reads through the store: stopped (its read in flight finished) before it closes.
      await follower?.stop();
      await checkpointer?.stop();
      await store.close();
    })();
    return stopping;
  };
  displaced =
    params.onDisplaced ??
    (() => {
      logger.fatal(
        { watcher: cluster.id },
        `watcher "${cluster.id}" was displaced: another process registered with this cluster.id while this one was thought dead; stopping ingestion and exiting so the supervisor restarts it`,
      );
      setTimeout(() => process.exit(EXIT_DISPLACED), 5_000).unref();
      void stopAll()
        .catch((e: unknown) => logger.error({ err: e }, 'shutdown failed'))
        .finally(() => {
          logger.flush();
          process.exit(EXIT_DISPLACED);
        });
    });

  if (pg !== null) {
    // From the newest committed event on; SSE clients resume older ones from the table itself.
    const afterId = (await store.queries.events.latestEvents({ limit: 1 }))[0]?.id ?? 0;
    const { followEvents } = await import('../db/pg/followEvents.js');
    const followLogger = logger.child({ component: 'events' });
    follower = followEvents({
      url: pg.url,
      db: pg.db,
      afterId,
      onEvents: (events) => eventLog.publishStored(events),
      onError: (error) =>
        followLogger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'reading new events from PostgreSQL failed; retrying',
        ),
    });
  }

  if (thread === 'worker') {
    const workerClock = workerClockOf(clock) ?? 'system';
    try {
      worker = await startIngestionWorker({
        config,
        secrets,
        clock: workerClock,
        logger,
        eventLog,
        ...(changeCounter && pg === null && { changeCounter }),
        onWrite: (writer, error) => ops.storage.recordWrite(writer, error),
        onAlert: (sink, outcome) => {
          ops.metrics.alertOutcomes.inc({ sink, outcome });
          if (outcome === 'queued') ops.outbox.wake();
        },
        onFailure:
          params.onIngestionFailure ??
          ((error) => {
            logger.fatal(
              { err: error },
              'the ingestion worker failed: stopping and exiting so the supervisor restarts',
            );
            setTimeout(() => process.exit(EXIT_INGESTION_FAILED), 5_000).unref();
            void stopAll()
              .catch((e: unknown) => logger.error({ err: e }, 'shutdown failed'))
              .finally(() => {
                logger.flush();
                process.exit(EXIT_INGESTION_FAILED);
              });
          }),
      });
    } catch (error) {
      await ops.stop();
      await cluster.stop();
      await follower?.stop();
      await checkpointer?.stop();
      await store.close();
      throw error;
    }
  } else {
    for (const s of subjects) await s.start();
  }
  ops.start();
  void positionAlerter?.start();

  let port = 0;
  let connections: ConnectionLimiterStats | null = null;
  const limits = config.server;
  if (params.listen !== false) {
    try {
      server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
        const srv = serve(
          {
            fetch: app.fetch,
            port: config.server.port,
            hostname: config.server.host,
            // Node's defaults (60 s for headers, checked every 30 s) let slow-header clients hold
            // sockets for up to 90 s each: a flood reached the fd limit (README, "Server limits").
            serverOptions: {
              headersTimeout: limits.headersTimeoutMs,
              requestTimeout: limits.requestTimeoutMs,
              connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
            },
          },
          (info) => {
            port = info.port;
            resolve(srv);
          },
        );
        connections = limitConnections(srv as Server, { maxConnections: limits.maxConnections });
        srv.once('error', reject);
      });
    } catch (error) {
      // The port is taken (or not ours to bind): stop what already runs, or it keeps the process alive.
      server = null;
      await stopAll();
      throw error;
    }
  }
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  return {
    url: `http://${host}:${port}`,
    port,
    ingestionThread: thread,
    subjects,
    eventLog,
    ops,
    eventStreams,
    connections,
    stop: stopAll,
  };
}

/**
 * The ingestion worker checkpoints the WAL (`ingestionWorker.ts`): this thread's commits must not
 * (SQLite's automatic checkpoint would copy the WAL into the database inside one of them); `stop()`
 * restores the setting.
 */
function checkpointsInWorker(sqlite: OpenDb['sqlite']): WalCheckpointer {
  const restore = disableAutoCheckpoint(sqlite);
  return { stop: async () => restore() };
}

/** The worker's heap and event-loop delay as gauges beside the main thread's own metrics. */
function registerWorkerMetrics(ops: Operations, worker: () => IngestionWorker | null): void {
  new Gauge({
    name: 'perpscope_ingestion_heap_used_bytes',
    help: "Used JS heap of the ingestion worker thread (the process's own heap metrics cover the main thread).",
    registers: [ops.metrics.registry],
    collect() {
      const w = worker();
      if (w) this.set(w.stats().heapUsedBytes);
    },
  });
  new Gauge({
    name: 'perpscope_ingestion_event_loop_delay_p99_seconds',
    help: "p99 event-loop delay of the ingestion worker thread since its previous status report (polls, parsing, evaluation, writes run there; HTTP doesn't).",
    registers: [ops.metrics.registry],
    collect() {
      const w = worker();
      if (w) this.set(w.stats().eventLoopDelayP99Ms / 1_000);
    },
  });
}
