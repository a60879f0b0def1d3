import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import type { WatcherConfig } from '../config/configSchema.js';
import type { EventLog } from '../events/eventLog.js';
import type { Logger } from '../logger.js';
import type {
  IngestionControlMessage,
  IngestionWorkerData,
  IngestionWorkerMessage,
} from './ingestionMessages.js';

/**
 * Set by the esbuild bundle's banner (`scripts/bundleWatcher.ts`) to the bundle's own URL; absent
 * when the sources run through tsx or vitest. Source files see their original `import.meta.url`
 * even inside the bundle, so this is how the code knows where the bundled worker entry is.
 */
declare const __perpscopeBundleUrl: string | undefined;

/** Parameters of {@link startIngestionWorker}. */
export type StartIngestionWorkerParameters = {
  config: WatcherConfig;
  secrets: Readonly<Record<string, string | undefined>>;
  clock: IngestionWorkerData['clock'];
  /** The main thread's logger: the worker logs at its level into its destination. */
  logger: Logger;
  /** The main thread's event log: publishes the events the worker committed (SQLite only). */
  eventLog: EventLog;
  /** Told each write outcome the worker reports (storage health on the main thread). */
  onWrite(writer: string, error: string | null): void;
  /** Told each alert outcome of the worker's outbox. */
  onAlert(sink: string, outcome: string): void;
  /**
   * The worker failed (an uncaught error, or it exited while nobody asked it to stop): the process
   * must end, since nothing ingests any more. Not called for a failure during start-up (the start
   * promise rejects instead).
   */
  onFailure(error: Error): void;
  /** Default 250 ms. */
  statusIntervalMs?: number;
  /** SQLite: the change counter of the main thread's store (`IngestionWorkerData.changeCounter`). */
  changeCounter?: Int32Array;
};

/** The main thread's handle on the running ingestion worker. */
export type IngestionWorker = {
  /** Readiness per subject, from the worker's last status message (empty before the first). */
  readiness(): Record<string, boolean>;
  /** Whether the worker's connection can write (page limit, `query_only`, read-only). */
  writable(): boolean;
  /** The worker's last reported heap and event-loop delay. */
  stats(): { heapUsedBytes: number; eventLoopDelayP99Ms: number };
  /** Asks the worker to stop its subjects after their writes in flight and waits until it exited. */
  stop(): Promise<void>;
};

/**
 * How to load the worker entry: the bundled `dist/ingestionWorker.mjs` beside the CLI bundle, or
 * — from sources, under tsx or vitest — the plain-JS `ingestionWorkerLoader.mjs`, which registers
 * tsx's loader in the worker itself (a worker inherits neither the loader the bin registered and
 * removed again, nor vitest's module runner) and imports `ingestionWorker.ts`. Like the WAL
 * checkpointer's worker, the first module the worker runs needs no TypeScript loader.
 */
function workerEntry(): { file: URL; entry: string | null } {
  if (typeof __perpscopeBundleUrl === 'string')
    return { file: new URL('./ingestionWorker.mjs', __perpscopeBundleUrl), entry: null };
  return {
    file: new URL('./ingestionWorkerLoader.mjs', import.meta.url),
    entry: new URL('./ingestionWorker.ts', import.meta.url).href,
  };
}

/**
 * Writes the worker's log lines where `logger` writes its own. A `pino.multistream` (the quiet
 * demo: a file, errors also to stderr) routes by the level of the last line its logger wrote, so
 * each line's own level is set first.
 */
export function logLineWriter(logger: Logger): ((line: string) => void) | null {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    | { write?: (line: string) => unknown; lastLevel?: number }
    | undefined;
  if (!stream || typeof stream.write !== 'function') return null;
  const write = stream.write.bind(stream);
  return (line) => {
    if ('lastLevel' in stream) stream.lastLevel = Number(/"level":(\d+)/.exec(line)?.[1] ?? 30);
    write(line);
  };
}

/**
 * Starts the ingestion worker (`ingestionWorker.ts`) and resolves once every subject in it started.
 * From then on: committed events are published on the main thread's `eventLog` (SQLite; on
 * PostgreSQL the worker posts none and the main thread's event follower publishes them), write and alert
 * outcomes go to `onWrite`/`onAlert`, readiness is kept for `/readyz`, and a crash of the worker
 * is reported to `onFailure` (the watcher then exits non-zero; a supervisor restarts it and every
 * subject resumes from the state it persisted on its last poll).
 *
 * @throws when the worker fails before it started (bad database, a subject's start failing).
 */
export async function startIngestionWorker(
  p: StartIngestionWorkerParameters,
): Promise<IngestionWorker> {
  const { file, entry } = workerEntry();
  const data: IngestionWorkerData = {
    entry,
    config: p.config,
    secrets: p.secrets,
    clock: p.clock,
    logLevel: p.logger.level,
    statusIntervalMs: p.statusIntervalMs ?? 250,
    ...(p.changeCounter && { changeCounter: p.changeCounter }),
  };
  const worker = new Worker(file, { workerData: data });
  const destination = logLineWriter(p.logger);
  let ready: Record<string, boolean> = {};
  let writable = true;
  let stats = { heapUsedBytes: 0, eventLoopDelayP99Ms: 0 };
  let started = false;
  let stopping = false;
  let failed = false;
  let onStarted: (() => void) | null = null;
  let onStartFailed: ((error: Error) => void) | null = null;
  const startedPromise = new Promise<void>((resolve, reject) => {
    onStarted = resolve;
    onStartFailed = reject;
  });
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  const fail = (error: Error) => {
    if (failed || stopping) return;
    failed = true;
    if (!started) onStartFailed?.(error);
    else p.onFailure(error);
  };
  worker.on('message', (m: IngestionWorkerMessage) => {
    switch (m.type) {
      case 'log':
        destination?.(m.line);
        break;
      case 'events':
        p.eventLog.publishStored(m.events);
        break;
      case 'write':
        p.onWrite(m.writer, m.error);
        break;
      case 'alert':
        p.onAlert(m.sink, m.outcome);
        break;
      case 'status':
        ready = m.ready;
        writable = m.writable;
        stats = { heapUsedBytes: m.heapUsedBytes, eventLoopDelayP99Ms: m.eventLoopDelayP99Ms };
        break;
      case 'started':
        started = true;
        onStarted?.();
        break;
      case 'stopped':
        // Everything is flushed and the connection closed: don't wait for stray handles.
        setTimeout(() => void worker.terminate(), 2_000).unref();
        break;
    }
  });
  worker.on('error', (error) => fail(error));
  void exited.then((code) =>
    fail(new Error(`the ingestion worker exited (code ${code}) without being asked to stop`)),
  );
  try {
    await startedPromise;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  let stopped: Promise<void> | null = null;
  return {
    readiness: () => ready,
    writable: () => writable,
    stats: () => stats,
    stop() {
      stopped ??= (async () => {
        if (failed) {
          await worker.terminate();
          return;
        }
        stopping = true;
        worker.postMessage({ type: 'stop' } satisfies IngestionControlMessage);
        // A subject whose stop() never resolves must not keep the process from exiting.
        const hung = setTimeout(() => {
          p.logger.error('the ingestion worker did not stop within 15 s; terminating it');
          void worker.terminate();
        }, 15_000);
        await exited;
        clearTimeout(hung);
      })();
      return stopped;
    },
  };
}
