// Entry of the ingestion worker when the watcher runs from its TypeScript sources (tsx, vitest):
// a worker inherits neither the tsx loader the bin registered (and removed again after start-up)
// nor vitest's module runner, so this plain-JS file registers tsx in the worker and imports the
// real entry, `workerData.entry` (ingestionWorker.ts). The esbuild bundle starts its own
// dist/ingestionWorker.mjs instead. Being a file (not `eval`), it also runs `--import` preloads,
// as the bundled worker does.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
