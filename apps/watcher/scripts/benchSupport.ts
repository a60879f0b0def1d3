/**
 * What the watcher's process benchmarks share (not a test): child processes whose stdout is read
 * line by line until they print their URL, the open-loop load client (`loadClient.ts`) in its own
 * process, `/proc` readings of a child's CPU and RSS, and the small statistics the reports print.
 * Linux only (`/proc`); 127.0.0.1 only.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What a watcher prints once it serves HTTP; group 1 is its base URL (`http://127.0.0.1:1234`). */
export const WATCHER_LISTENING = /listening on (http:\/\/[^/\s]+)\//;

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The `q` quantile of `xs` (nearest rank, from below): `quantile(xs, 0.5)` is the upper median of
 * an even count. Throws on an empty list rather than print `undefined`.
 *
 * @example quantile([3, 1, 2], 0.5) // 2
 */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new Error('quantile of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
}

/** The median of `xs` ({@link quantile} at 0.5). */
export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** CPU time of a process so far, user + system, in clock ticks (100 per second on Linux). */
export function cpuTicks(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Resident set size of a process now, in MB (`VmRSS` of `/proc/<pid>/status`; 0 if absent). */
export function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

/** Sends SIGTERM to a child (unless it already exited) and resolves when it has exited. */
export function stopProcess(p: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });
}

/** Options of {@link spawnWith}. */
export type SpawnWithOptions = {
  /** Sees every complete stdout line (e.g. the loop-delay monitor's `LOOP_DELAY {…}` lines). */
  lines?: (line: string) => void;
  /** Variables added to this process's environment for the child. */
  env?: Record<string, string>;
};

/**
 * Spawns `node …args` (stderr inherited) and reads its stdout line by line: `url` resolves with
 * group 1 of the first line matching `pattern`, and rejects if the child exits before one does.
 *
 * @example const w = spawnWith([bundle, 'run', '--config', path], WATCHER_LISTENING); await w.url
 */
export function spawnWith(
  args: readonly string[],
  pattern: RegExp,
  options: SpawnWithOptions = {},
): { proc: ChildProcess; url: Promise<string> } {
  const proc = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...options.env },
  });
  const url = new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const line of parts) {
        options.lines?.(line);
        const m = pattern.exec(line);
        if (m?.[1]) resolve(m[1]);
      }
    });
    proc.once('exit', (code) => reject(new Error(`${args.at(-1)} exited ${code}`)));
  });
  return { proc, url };
}

/** What one run of `loadClient.ts` reports (latencies in ms, from each request's scheduled start). */
export type LoadResult = Record<
  | 'ok'
  | 'errors'
  | 'achievedRps'
  | 'p50'
  | 'p90'
  | 'p99'
  | 'max'
  | 'clientCpuPercent'
  | 'clientLoopDelayP99'
  | 'clientLoopDelayMax',
  number
>;

const LOAD_CLIENT = fileURLToPath(new URL('./loadClient.ts', import.meta.url));

/**
 * One run of the open-loop keep-alive load client (`loadClient.ts`) against `target`, in its own
 * process: `rate` requests per second for `seconds`. Throws when the client prints no result.
 */
export async function runLoad(target: string, rate: number, seconds: number): Promise<LoadResult> {
  const client = spawn(
    process.execPath,
    ['--import', 'tsx', LOAD_CLIENT, target, String(rate), String(seconds)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  client.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise((r) => client.once('exit', r));
  const last = out.trim().split('\n').at(-1);
  if (!last) throw new Error(`load client against ${target} printed no result (exit ${code})`);
  return JSON.parse(last) as LoadResult;
}
