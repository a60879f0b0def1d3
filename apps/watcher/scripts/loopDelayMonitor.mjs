// Benchmark helper (benchHip3Scale.ts, benchIngestionThread.ts), loaded with `node --import`:
// samples the main thread's event-loop delay; on SIGUSR2 prints one line to stdout and resets
// (SIGWINCH pauses the sampling until the next SIGUSR2):
//   LOOP_DELAY {"p99":…,"p999":…,"max":…, "threads": {…}}   (ms)
// `threads` holds, per thread since the previous sample, load-independent measures: CPU time of
// the thread per wall second (`cpuMsPerS`), event-loop utilisation (`elu`, 0–1), GC pauses (count,
// total and max ms, minor/major split) and the used heap; for the main thread also the messages it
// received from worker threads per second, by `type`. Preloads run in worker threads too: each
// worker answers the main thread's request on a BroadcastChannel (no change to the watcher).

import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { BroadcastChannel, isMainThread, threadId, Worker } from 'node:worker_threads';

const channel = new BroadcastChannel('perpscope-bench-monitor');
channel.unref();

/** GC pauses, CPU and ELU of this thread since the previous `take()`. */
function threadStats() {
  let gc = { count: 0, totalMs: 0, maxMs: 0, minor: 0, major: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
      // kind: 1 minor (scavenge), 2 major (mark-compact), 4 incremental, 8 weak callbacks
      if (e.detail?.kind === 1) gc.minor++;
      else if (e.detail?.kind === 2) gc.major++;
    }
  }).observe({ entryTypes: ['gc'] });
  let cpu = process.threadCpuUsage();
  let elu = performance.eventLoopUtilization();
  let at = performance.now();
  return () => {
    const now = performance.now();
    const seconds = (now - at) / 1000;
    const dCpu = process.threadCpuUsage(cpu);
    const dElu = performance.eventLoopUtilization(elu);
    const heap = getHeapStatistics();
    const out = {
      seconds,
      cpuMsPerS: (dCpu.user + dCpu.system) / 1000 / seconds,
      elu: dElu.utilization,
      gc: { ...gc, totalMsPerS: gc.totalMs / seconds },
      heapUsedMb: heap.used_heap_size / 2 ** 20,
      /** What the isolate's heap holds in RAM (young and old generations, code, large objects). */
      heapPhysicalMb: heap.total_physical_size / 2 ** 20,
      /** Outside the heap: V8's malloc (compiler zones…) and ArrayBuffers (sockets, SQLite rows). */
      mallocedMb: heap.malloced_memory / 2 ** 20,
      externalMb: heap.external_memory / 2 ** 20,
    };
    gc = { count: 0, totalMs: 0, maxMs: 0, minor: 0, major: 0 };
    cpu = process.threadCpuUsage();
    elu = performance.eventLoopUtilization();
    at = now;
    return out;
  };
}

const take = threadStats();
if (!isMainThread) {
  channel.onmessage = (e) => {
    if (e.data?.ask) channel.postMessage({ threadId, stats: take() });
  };
  channel.unref();
} else {
  // Messages from workers, by type, counted where they arrive (the Worker's 'message' event).
  let messages = {};
  const emit = Worker.prototype.emit;
  Worker.prototype.emit = function (name, message, ...rest) {
    if (name === 'message') {
      const type = typeof message?.type === 'string' ? message.type : '?';
      messages[type] ??= { count: 0, items: 0 };
      const m = messages[type];
      m.count++;
      if (Array.isArray(message?.events)) m.items += message.events.length;
    }
    return emit.call(this, name, message, ...rest);
  };
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // The 1 ms histogram wakes this thread 1,000 times a second (~25 ms of CPU per second on the
  // shared machine): SIGWINCH pauses it until the next SIGUSR2, so the process's own CPU can be
  // measured without the instrument's.
  process.on('SIGWINCH', () => histogram.disable());
  process.on('SIGUSR2', () => {
    histogram.enable();
    const p99 = histogram.percentile(99) / 1e6;
    const p999 = histogram.percentile(99.9) / 1e6;
    const max = histogram.max / 1e6;
    histogram.reset();
    const main = take();
    const perS = Object.fromEntries(
      Object.entries(messages).map(([k, v]) => [
        k,
        { perS: v.count / main.seconds, itemsPerS: v.items / main.seconds },
      ]),
    );
    messages = {};
    const threads = { main: { ...main, messagesFromWorkers: perS } };
    channel.onmessage = (e) => {
      if (e.data?.stats) threads[`worker${e.data.threadId}`] = e.data.stats;
    };
    channel.unref();
    channel.postMessage({ ask: true });
    // Workers answer within their next loop turn; a busy one may miss this sample.
    setTimeout(() => {
      channel.onmessage = null;
      process.stdout.write(`LOOP_DELAY ${JSON.stringify({ p99, p999, max, threads })}\n`);
    }, 200);
  });
}
