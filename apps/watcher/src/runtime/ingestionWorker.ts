/**
 * The ingestion worker's entry point (a `worker_threads` Worker started by
 * `startIngestionWorker.ts`): polls, WebSocket parsing, evaluation and every ingestion write run
 * here, on this thread's own store (its own better-sqlite3 connection, or its own small PostgreSQL
 * pool), so none of it delays an HTTP request on the main thread. It runs the subjects
 * (`subjects.ts`), the position guard's and the incidents' alert feeds (enqueueing into the outbox)
 * and retention — `createIngestionOperations`, without metrics or HTTP — and, on SQLite, the WAL
 * checkpoints (`walCheckpointSchedule.ts`); the main thread delivers alerts and serves HTTP from
 * its read connection. Everything it learns the main thread needs is posted as a message
 * (`ingestionMessages.ts`): committed events (SQLite only: on PostgreSQL the main thread's event
 * follower reads every process's events from the table), write outcomes, alert outcomes, readiness.
 *
 * Loaded only as a worker's main module, never imported.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { createWeightAccountant } from '@perpscope/hyperliquid';
import { type Clock, createSteadyClock, systemClock } from '../clock.js';
import { openWriterConnection } from '../db/openWriterConnection.js';
import type { StoredEvent } from '../db/queries/events.js';
import { openStore } from '../db/store/openStore.js';
import { scheduleWalCheckpoints } from '../db/walCheckpointSchedule.js';
import { EventLog } from '../events/eventLog.js';
import { createLogger } from '../logger.js';
import { createPositionAlerter } from '../subjects/positions/createPositionAlerter.js';
import { clusterFor } from './clusterFor.js';
import { createIngestionOperations } from './createIngestionOperations.js';
import type {
  IngestionControlMessage,
  IngestionWorkerData,
  IngestionWorkerMessage,
} from './ingestionMessages.js';
import { createMarkBoard } from './markBoard.js';
import type { Subject } from './subject.js';
import { subjectFactories } from './subjects.js';

const port = parentPort;
if (!port) throw new Error('ingestionWorker.ts runs only as a worker thread');
const data = workerData as IngestionWorkerData;
const post = (message: IngestionWorkerMessage) => port.postMessage(message);
/** Pool size of this thread's store on PostgreSQL: one write at a time per subject, a few reads. */
const WORKER_PG_CONNECTIONS = 4;

const logger = createLogger({
  level: data.logLevel,
  // Lines go to the main thread, which writes them where its own go (stdout, the demo's file).
  destination: { write: (line: string) => post({ type: 'log', line }) },
}).child({ thread: 'ingestion' });
// The main thread logs clock steps; this clock only has to agree with it.
const clock: Clock = data.clock === 'steady' ? createSteadyClock() : systemClock;
const { config } = data;
const {
  store,
  pg,
  sqlite: database,
} = await openStore(config.database, {
  openSqlite: openWriterConnection,
  logger,
  maxConnections: WORKER_PG_CONNECTIONS,
  ...(data.changeCounter && { changeCounter: data.changeCounter }),
});
// SQLite: this thread serves no HTTP, so its connection checkpoints the WAL (the main connection's
// automatic checkpoint is off) instead of a third thread with its own connection. PostgreSQL: none.
const checkpoints =
  database === null
    ? null
    : scheduleWalCheckpoints({ sqlite: database.sqlite, intervalMs: 1_000, logger });
// This thread's subscribers (the alert feeds) get its own writes at once, on both dialects.
const eventLog = new EventLog({ store, clock, logger });
const cluster = await clusterFor({ config, pg, thread: 'ingestion', logger });

// Persist, then publish: the events of one transaction are published synchronously after its
// commit; they cross to the main thread as one message. Not on PostgreSQL: there the main
// thread's follower reads them from the table (with every other process's), and posting them
// too would publish them twice.
let pending: StoredEvent[] = [];
const flushEvents = () => {
  if (pending.length === 0) return;
  post({ type: 'events', events: pending });
  pending = [];
};
if (pg === null)
  eventLog.subscribe((ev) => {
    if (pending.length === 0) queueMicrotask(flushEvents);
    pending.push(ev);
  });

// Write outcomes: every failure (the main thread counts them), and the recovery of a failing writer.
const failing = new Set<string>();
// Storage health, the outbox, the incident feed and retention: no metrics or HTTP (prom-client,
// Hono, the admin routes and yaml stay out of this thread's modules and heap; the main thread has
// them).
const ops = createIngestionOperations({
  config,
  database,
  store,
  cluster,
  eventLog,
  clock,
  logger,
  secrets: data.secrets,
  jobs: 'ingestion',
  observe: {
    write(writer, error) {
      if (error === null || error === undefined) {
        if (!failing.delete(writer)) return;
        post({ type: 'write', writer, error: null });
        return;
      }
      failing.add(writer);
      const text = error instanceof Error ? error.message : String(error);
      post({ type: 'write', writer, error: text });
    },
    alert: (sink, outcome) => post({ type: 'alert', sink, outcome }),
  },
});
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
  // The HIP-3 watch offers its ctx marks here; the position guard reads them (no subject imports
  // another's internals).
  marks: createMarkBoard(),
};
const subjects = subjectFactories.map((f) => f(ctx)).filter((s): s is Subject => s !== null);
const positionAlerter = createPositionAlerter({
  config,
  store,
  eventLog,
  ops,
  logger,
});

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let lastStatus = '';
let lastStatusAt = 0;
const reportStatus = (force: boolean) => {
  const ready = Object.fromEntries(subjects.map((s) => [s.name, s.ready()]));
  const writable = ops.storage.writable();
  const key = JSON.stringify([ready, writable]);
  // Readiness as soon as it changes; the heap and loop delay every few seconds.
  if (!force && key === lastStatus && Date.now() - lastStatusAt < 5_000) return;
  lastStatus = key;
  lastStatusAt = Date.now();
  post({
    type: 'status',
    ready,
    writable,
    heapUsedBytes: getHeapStatistics().used_heap_size,
    eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  });
  loopDelay.reset();
};

for (const s of subjects) await s.start();
ops.start();
void positionAlerter?.start();
// Collect, once, the garbage that loading the module graph and starting left (as the bin does on
// the main thread): the worker's heap starts small.
setFlagsFromString('--expose-gc');
runInNewContext('gc')();
reportStatus(true);
post({ type: 'started' });
const statusTimer = setInterval(() => reportStatus(false), data.statusIntervalMs);

port.on('message', (message: IngestionControlMessage) => {
  if (message.type !== 'stop') return;
  clearInterval(statusTimer);
  void (async () => {
    // Each subject's stop() awaits its write in flight: nothing is written after this.
    await Promise.all(subjects.map((s) => s.stop()));
    await positionAlerter?.stop();
    await ops.stop();
    await cluster.stop();
    loopDelay.disable();
    flushEvents();
    checkpoints?.stop();
    await store.close();
    post({ type: 'stopped' });
    port.close();
  })();
});
