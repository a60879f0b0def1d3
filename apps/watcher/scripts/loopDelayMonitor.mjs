// Benchmark helper (benchHip3Scale.ts), loaded with `node --import`: samples this process's
// event-loop delay; on SIGUSR2 prints `LOOP_DELAY {"p99":…,"p999":…,"max":…}` (ms) to stdout and resets.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
process.on('SIGUSR2', () => {
  const p99 = histogram.percentile(99) / 1e6;
  const p999 = histogram.percentile(99.9) / 1e6;
  const max = histogram.max / 1e6;
  histogram.reset();
  process.stdout.write(`LOOP_DELAY ${JSON.stringify({ p99, p999, max })}\n`);
});
