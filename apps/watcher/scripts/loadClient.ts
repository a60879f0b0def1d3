/**
 * Open-loop HTTP load client for the benchmark: GET `url` at `rate` req/s for `seconds`, on a
 * keep-alive connection pool, then prints one JSON line with the latencies (ms, measured from each
 * request's scheduled start so queueing counts). Run in its own process so it does not share an event
 * loop with the devnet. Usage: tsx scripts/loadClient.ts <url> <rate> <seconds>
 */
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const [url, rateArg, secondsArg] = process.argv.slice(2);
if (!url?.startsWith('http://127.0.0.1:'))
  throw new Error('loopback URLs only (http://127.0.0.1:…)');
const rate = Number(rateArg ?? 1000);
const seconds = Number(secondsArg ?? 10);
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
const total = Math.min(rate * seconds, 100_000); // bounded

const latencies: number[] = [];
let errors = 0;
/** What the errors were: an HTTP status or the socket error's code, with counts. */
const errorKinds: Record<string, number> = {};
const countError = (kind: string) => {
  errors++;
  errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
};
const get = (planned: number) =>
  new Promise<void>((resolve) => {
    // From the scheduled start when sent late (queueing counts), from the send when sent early.
    const from = Math.min(planned, performance.now());
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(performance.now() - from);
        else countError(String(res.statusCode));
        resolve();
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      countError(error.code ?? error.name);
      resolve();
    });
    req.end();
  });

// The client shares the 2 cores with the watcher: report its own CPU and event-loop delay, so a
// stalled client (which would inflate the measured latencies) is visible.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const cpu0 = process.cpuUsage();
const start = performance.now();
const inflight: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const planned = start + (i * 1000) / rate;
  const wait = planned - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  inflight.push(get(planned));
}
await Promise.all(inflight);
const elapsed = (performance.now() - start) / 1000;
loopDelay.disable();
const cpu = process.cpuUsage(cpu0);
latencies.sort((a, b) => a - b);
const q = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
console.log(
  JSON.stringify({
    ok: latencies.length,
    errors,
    errorKinds,
    achievedRps: total / elapsed,
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    max: latencies.at(-1),
    clientCpuPercent: ((cpu.user + cpu.system) / 1e6 / elapsed) * 100,
    clientLoopDelayP99: loopDelay.percentile(99) / 1e6,
    clientLoopDelayMax: loopDelay.max / 1e6,
  }),
);
agent.destroy();
