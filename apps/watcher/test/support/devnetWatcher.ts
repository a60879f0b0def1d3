import { type DevnetChain, type DevnetChainSpec, startDevnet } from '@perpscope/devnet';
import { type Logger, pino } from 'pino';
import { type Clock, systemClock } from '../../src/clock.js';
import type { ChainEntryInput } from '../../src/config/chainsConfig.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import type { StoredEvent } from '../../src/db/queries/events.js';
import { type DevnetTiming, devnetChainEntry } from '../../src/demo/devnetChainEntry.js';
import { Env } from '../../src/env.js';
import { isEventOfKind } from '../../src/events/eventLog.js';
import {
  type IngestionOptions,
  type RunningWatcher,
  startWatcher,
} from '../../src/runtime/startWatcher.js';

/**
 * A devnet plus an in-process watcher (real SQLite file, or a real PostgreSQL database with
 * `databaseUrl`; real HTTP server on a free port).
 */
export type DevnetWatcher = {
  chains: readonly DevnetChain[];
  chain(name: string): DevnetChain;
  watcher: RunningWatcher;
  events: StoredEvent[];
  /** GET a JSON path on the watcher's HTTP API. */
  get<T = unknown>(path: string): Promise<T>;
  stop(): Promise<void>;
};

export async function startDevnetWatcher(params: {
  specs: readonly DevnetChainSpec[];
  timing: DevnetTiming;
  /** The SQLite file (ignored when `databaseUrl` is given). */
  dbPath?: string;
  /** A PostgreSQL database (`database.url`) instead of the SQLite file. */
  databaseUrl?: string;
  /**
   * Per chain name (or computed from the started chain): config overrides merged over the devnet
   * entry (thresholds merged too).
   */
  overrides?:
    | Record<string, Partial<ChainEntryInput>>
    | ((chain: DevnetChain) => Partial<ChainEntryInput>);
  /** The watcher's logger (default: silent unless `PERPSCOPE_TEST_LOG` names a level). */
  logger?: Logger;
  /** The watcher's clock (default: the system wall clock). */
  clock?: Clock;
  /** Default: `startWatcher`'s (the worker thread, unless the clock cannot cross into it). */
  ingestion?: IngestionOptions;
}): Promise<DevnetWatcher> {
  const devnet = await startDevnet(params.specs);
  try {
    const entries = devnet.chains.map((c) => {
      const base = devnetChainEntry(c, params.timing);
      const o =
        (typeof params.overrides === 'function'
          ? params.overrides(c)
          : params.overrides?.[c.name]) ?? {};
      return { ...base, ...o, thresholds: { ...base.thresholds, ...o.thresholds } };
    });
    const config = parseConfig({
      raw: {
        server: { port: 0 },
        database:
          params.databaseUrl !== undefined ? { url: params.databaseUrl } : { path: params.dbPath },
        chains: entries,
      },
      source: 'test',
      env: Env.parse({}),
    });
    const watcher = await startWatcher({
      config,
      clock: params.clock ?? systemClock,
      logger: params.logger ?? pino({ level: process.env.PERPSCOPE_TEST_LOG ?? 'silent' }),
      version: 'test',
      ...(params.ingestion && { ingestion: params.ingestion }),
    });
    const events: StoredEvent[] = [];
    watcher.eventLog.subscribe((e) => events.push(e));
    return {
      chains: devnet.chains,
      chain: (name) => {
        const c = devnet.chains.find((x) => x.name === name);
        if (!c) throw new Error(`no devnet chain ${name}`);
        return c;
      },
      watcher,
      events,
      get: async <T>(path: string) => {
        const res = await fetch(`${watcher.url}${path}`);
        if (!res.ok) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`);
        return (await res.json()) as T;
      },
      stop: async () => {
        await watcher.stop();
        await devnet.stop();
      },
    };
  } catch (error) {
    await devnet.stop();
    throw error;
  }
}

/** Polls `probe` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Status-change events of one chain, in order. */
export function statusEvents(events: readonly StoredEvent[], chainId: number) {
  return events
    .filter(isEventOfKind('chain.status'))
    .filter((e) => e.subject.id === String(chainId))
    .map((e) => ({ at: e.at, from: e.payload.from, to: e.payload.to }));
}

/** The distinct consecutive statuses a chain went through (flapping collapsed to one entry). */
export function statusSequence(events: readonly StoredEvent[], chainId: number): string[] {
  const out: string[] = [];
  for (const e of statusEvents(events, chainId)) {
    if (out.length === 0) out.push(e.from);
    if (out.at(-1) !== e.to) out.push(e.to);
  }
  return out;
}

/** True when `sub` appears in `seq` in order (not necessarily adjacent). */
export function isSubsequence(sub: readonly string[], seq: readonly string[]): boolean {
  let i = 0;
  for (const s of seq) if (s === sub[i]) i++;
  return i === sub.length;
}
