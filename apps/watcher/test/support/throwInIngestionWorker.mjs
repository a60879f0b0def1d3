// Preloaded into a watcher process (NODE_OPTIONS=--import) by test/operations/uncaughtException.test.ts.
// Preloads run in every thread; in the ingestion worker (the thread whose workerData carries the
// config) a timer throws once the file `<database path>.crash` exists: an uncaught exception in
// the worker at a moment the test chooses.
import { existsSync } from 'node:fs';
import { isMainThread, workerData } from 'node:worker_threads';

const trigger = isMainThread ? null : workerData?.config?.database?.path;
if (typeof trigger === 'string') {
  const timer = setInterval(() => {
    if (!existsSync(`${trigger}.crash`)) return;
    clearInterval(timer);
    throw new Error('test: uncaught exception in the ingestion worker');
  }, 100);
  timer.unref();
}
