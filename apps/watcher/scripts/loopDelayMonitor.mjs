// Benchmark helper (benchHip3Scale.ts), loaded with `node --import`: samples this process's
// event-loop delay; on SIGUSR2 prints `LOOP_DELAY {"p99":…,"p999":…,"max":…}` (ms) to stdout and resets.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

// Preloads run in worker threads too: only the main thread (the one serving HTTP) is measured.
const histogram = isMainThread ? monitorEventLoopDelay({ resolution: 1 }) : null;
histogram?.enable();
if (histogram)
  process.on('SIGUSR2', () => {
    const p99 = histogram.percentile(99) / 1e6;
    const p999 = histogram.percentile(99.9) / 1e6;
    const max = histogram.max / 1e6;
    histogram.reset();
    process.stdout.write(`LOOP_DELAY ${JSON.stringify({ p99, p999, max })}\n`);
  });
