/**
 * Diagnostics (issue 15, not a test): a heap snapshot of the ingestion worker of a running watcher,
 * and what its live heap is made of. `--heapsnapshot-signal` and `v8.writeHeapSnapshot()` reach
 * only the thread they run on; this asks the worker through the inspector instead (Chrome DevTools
 * Protocol: `NodeWorker.enable`, then `HeapProfiler.takeHeapSnapshot` sent into the worker's
 * session, `workerInspector.ts`), so the watcher needs no code for it.
 *
 * Start the watcher with `--inspect=127.0.0.1:<port>` (e.g. `FLAGS="--inspect=127.0.0.1:9333"
 * tsx scripts/benchUptime.ts 3000 900`), then:
 *
 * Run: pnpm --filter @perpscope/watcher exec tsx scripts/workerHeapSnapshot.ts <port> [out]
 *   (default out: worker-<time>.heapsnapshot in the working directory; open it in Chrome DevTools'
 *   Memory tab). Prints the 30 largest (type, constructor) groups by self size.
 *
 * Taking the snapshot costs the watcher a few seconds of its worker and ~100 MB of RSS until its
 * next full GC: do not measure a run after snapshotting it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { attachToWorker } from './workerInspector.js';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: workerHeapSnapshot.ts <inspector port> [out.heapsnapshot]');
  process.exit(2);
}
const out =
  process.argv[3] ?? `worker-${new Date().toISOString().replaceAll(':', '')}.heapsnapshot`;

const worker = await attachToWorker(port);
const chunks: string[] = [];
worker.onEvent((method, params) => {
  if (method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(params.chunk as string);
});
console.error(`attached to ${worker.title}; taking the snapshot…`);
await worker.call('HeapProfiler.enable');
await worker.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
worker.close();
writeFileSync(out, chunks.join(''));

// Self size by node type and name (strings, code and closures grouped as one line each).
const snapshot = JSON.parse(readFileSync(out, 'utf8')) as {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
};
const { node_fields: fields, node_types: nodeTypes } = snapshot.snapshot.meta;
const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
  number,
  number,
  number,
];
const groups = new Map<string, { bytes: number; count: number }>();
let total = 0;
for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
  const type = nodeTypes[0][snapshot.nodes[i + typeAt] as number] as string;
  const grouped = type.includes('string') || type === 'code' || type === 'closure';
  const name = grouped ? '' : (snapshot.strings[snapshot.nodes[i + nameAt] as number] as string);
  const key = `${type} ${name.slice(0, 60)}`;
  const size = snapshot.nodes[i + sizeAt] as number;
  total += size;
  const g = groups.get(key) ?? { bytes: 0, count: 0 };
  g.bytes += size;
  g.count += 1;
  groups.set(key, g);
}
const mb = (b: number) => (b / 1_048_576).toFixed(2).padStart(7);
console.log(`${out}: ${mb(total)} MB live (after the GC the snapshot runs)`);
for (const [key, g] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 30))
  console.log(`${mb(g.bytes)} MB ${String(g.count).padStart(8)}  ${key}`);
