import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createWeightAccountant } from '@perpscope/hyperliquid';
import { EventStreamHub } from '../api/EventStreamHub.js';
import type { Clock } from '../clock.js';
import type { WatcherConfig } from '../config/configSchema.js';
import { createApp } from '../createApp.js';
import { openDb } from '../db/openDb.js';
import { startWalCheckpointer, type WalCheckpointer } from '../db/walCheckpointer.js';
import { EventLog } from '../events/eventLog.js';
import type { Logger } from '../logger.js';
import { clientResolver } from '../security/requestClient.js';
import { createPositionAlerter } from '../subjects/positions/createPositionAlerter.js';
import { createOperations, type Operations } from './createOperations.js';
import { type ConnectionLimiterStats, limitConnections } from './limitConnections.js';
import { createMarkBoard } from './markBoard.js';
import type { Subject, SubjectFactory } from './subject.js';
import { subjectFactories } from './subjects.js';

/** A running watcher: its HTTP URL and a graceful `stop()`. */
export type RunningWatcher = {
  url: string;
  port: number;
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
};

/**
 * Opens the database (running migrations), starts every subject and the HTTP server.
 *
 * @throws when the database is unusable or the HTTP port cannot be bound (everything started is
 *   stopped again first).
 */
export async function startWatcher(params: StartWatcherParameters): Promise<RunningWatcher> {
  const { config, clock, logger } = params;
  const database = openDb({ path: config.database.path });
  // Checkpoints off the event loop (src/db/walCheckpointer.ts): the API shares this thread.
  const checkpointer: WalCheckpointer | null =
    config.database.path === ':memory:'
      ? null
      : startWalCheckpointer({
          sqlite: database.sqlite,
          path: config.database.path,
          intervalMs: 1_000,
          logger,
        });
  const eventLog = new EventLog({ db: database.db, clock, logger });
  // One HL weight budget for the HIP-3 watch and the position guard: HL limits per IP, on real time.
  const hlWeight = createWeightAccountant({
    budget: config.hip3.weightBudgetPerMinute,
    now: Date.now,
  });
  const ctx = {
    config,
    db: database.db,
    sqlite: database.sqlite,
    eventLog,
    clock,
    logger,
    hlWeight,
    // The HIP-3 watch offers its ctx marks here; the position guard reads them (no subject imports
    // another's internals).
    marks: createMarkBoard(),
  };
  const subjects = (params.factories ?? subjectFactories)
    .map((f) => f(ctx))
    .filter((s): s is Subject => s !== null);
  const ops = createOperations({
    config,
    database,
    eventLog,
    clock,
    logger,
    secrets: params.secrets ?? {},
  });
  const eventStreams = new EventStreamHub({
    limits: {
      maxStreams: config.server.maxEventStreams,
      maxStreamsPerClient: config.server.maxEventStreamsPerClient,
      bufferBytes: config.server.eventStreamBufferBytes,
    },
    client: clientResolver({ trustProxy: config.security.trustProxy }),
  });
  const app = createApp({
    eventStreams,
    ops: ops.http,
    db: database.db,
    eventLog,
    clock,
    logger,
    version: params.version,
    startedAt: clock.now(),
    readiness: () => ({
      ...Object.fromEntries(subjects.map((s) => [s.name, s.ready()])),
      ...ops.readiness(),
    }),
  });
  const positionAlerter = createPositionAlerter({ config, db: database.db, eventLog, ops, logger });
  for (const s of subjects) await s.start();
  ops.start();
  positionAlerter?.start();

  let port = 0;
  let server: ReturnType<typeof serve> | null = null;
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
      await Promise.all(subjects.map((s) => s.stop()));
      positionAlerter?.stop();
      await ops.stop();
      await checkpointer?.stop();
      database.close();
      throw error;
    }
  }
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  let stopping: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    subjects,
    eventLog,
    ops,
    eventStreams,
    connections,
    stop: () => {
      stopping ??= (async () => {
        await Promise.all(subjects.map((s) => s.stop()));
        positionAlerter?.stop();
        await ops.stop();
        if (server) {
          const srv = server;
          // SSE streams keep connections open; closeAllConnections lets close() resolve.
          await new Promise<void>((resolve) => {
            srv.close(() => resolve());
            if ('closeAllConnections' in srv) srv.closeAllConnections();
          });
        }
        await checkpointer?.stop();
        database.close();
      })();
      return stopping;
    },
  };
}
