/**
 * Diagnostics (issue 15, not a test): what the ingestion worker of a running watcher allocates,
 * per function, over a window — garbage included, which is what the GC's CPU pays for (a heap
 * snapshot or `--heap-prof` shows only what survives). V8's sampling heap profiler is started in
 * the worker through the inspector (`workerInspector.ts`) with `includeObjectsCollectedByMajorGC`
 * and `…MinorGC`, stopped after the window, and the profile is written as `.heapprofile` (Chrome
 * DevTools' Memory tab opens it). Bundle frames are named by the source module esbuild marks in
 * the bundle (`// src/…`).
 *
 * Start the watcher with `--inspect=127.0.0.1:<port>` (e.g. `FLAGS="--inspect=127.0.0.1:9333"
 * tsx scripts/benchUptime.ts 3000 600`), then:
 *
 * Run: pnpm --filter @perpscope/watcher exec tsx scripts/workerAllocations.ts <port> [seconds=60]
 *   [out] (default out: worker-<time>.heapprofile). Prints the allocation rate and the 25 largest
 *   allocating functions and stacks. Sampling every 8 KiB costs the worker a few % of CPU.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { attachToWorker } from './workerInspector.js';

type Frame = { functionName: string; url: string; lineNumber: number };
type Node = { callFrame: Frame; selfSize: number; children: Node[] };

const port = Number(process.argv[2]);
const seconds = Number(process.argv[3] ?? 60);
if (!Number.isInteger(port) || port <= 0 || !(seconds > 0)) {
  console.error('usage: workerAllocations.ts <inspector port> [seconds] [out.heapprofile]');
  process.exit(2);
}
const out = process.argv[4] ?? `worker-${new Date().toISOString().replaceAll(':', '')}.heapprofile`;

const worker = await attachToWorker(port);
console.error(`attached to ${worker.title}; sampling allocations for ${seconds} s…`);
await worker.call('HeapProfiler.enable');
await worker.call('HeapProfiler.startSampling', {
  samplingInterval: 8192,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
await new Promise((r) => setTimeout(r, seconds * 1000));
const { profile } = (await worker.call('HeapProfiler.stopSampling')) as { profile: { head: Node } };
worker.close();
writeFileSync(out, JSON.stringify(profile));

/** Module boundaries of each bundle (`// path` lines esbuild writes before a module's code). */
const marksByUrl = new Map<string, [number, string][]>();
function moduleOf(f: Frame): string {
  if (!f.url) return `(${f.functionName || 'native'})`;
  if (!f.url.endsWith('.mjs')) return f.url.replace(/^.*node_modules\//, '');
  let marks = marksByUrl.get(f.url);
  if (marks === undefined) {
    marks = [];
    const lines = readFileSync(new URL(f.url), 'utf8').split('\n');
    for (const [i, line] of lines.entries()) {
      const m = /^\/\/ (\S+\.(?:ts|js|mjs|cjs))$/.exec(line);
      if (m?.[1] !== undefined) marks.push([i, m[1]]);
    }
    marksByUrl.set(f.url, marks);
  }
  let name = '?';
  for (const [line, path] of marks) {
    if (line > f.lineNumber) break;
    name = path;
  }
  return name.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '');
}

const byFunction = new Map<string, number>();
const byStack = new Map<string, number>();
let total = 0;
const walk = (n: Node, stack: string[]) => {
  const f = n.callFrame;
  const here = [`${f.functionName || '(anonymous)'} ${moduleOf(f)}`, ...stack].slice(0, 4);
  if (n.selfSize > 0) {
    total += n.selfSize;
    byFunction.set(here[0] as string, (byFunction.get(here[0] as string) ?? 0) + n.selfSize);
    const key = here.join(' < ');
    byStack.set(key, (byStack.get(key) ?? 0) + n.selfSize);
  }
  for (const c of n.children) walk(c, here);
};
walk(profile.head, []);
const rate = (bytes: number) => `${(bytes / 1_048_576 / seconds).toFixed(3).padStart(7)} MB/s`;
console.log(`${out}: ${rate(total)} allocated (sampled, garbage included) over ${seconds} s`);
for (const [key, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${rate(bytes)}  ${key}`);
console.log('--- stacks (innermost first)');
for (const [key, bytes] of [...byStack].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${rate(bytes)}  ${key}`);
