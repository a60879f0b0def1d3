import { rmSync } from 'node:fs';
import { chainScenarios, playScenario, startDevnet } from '@perpscope/devnet';
import { systemClock } from '../clock.js';
import type { WatcherConfig } from '../config/configSchema.js';
import { parseConfig } from '../config/loadConfig.js';
import type { Env } from '../env.js';
import { isIncidentEvent } from '../events/eventLog.js';
import type { Logger } from '../logger.js';
import { type RunningWatcher, startWatcher } from '../runtime/startWatcher.js';
import { type Hip3Demo, startHip3Demo } from '../subjects/hip3/startHip3Demo.js';
import {
  type PositionsDemo,
  startPositionsDemo,
} from '../subjects/positions/startPositionsDemo.js';
import { devnetChainEntry } from './devnetChainEntry.js';

/** Parameters of {@link runDemo}. */
export type RunDemoParameters = {
  config: WatcherConfig;
  env: Env;
  configPath: string | null;
  logger: Logger;
  /** Where `logger` writes its JSON lines when not to stdout (named in the banner), else null. */
  logFile?: string | null;
  version: string;
  /** Where progress lines go (stdout by default). */
  print?: (line: string) => void;
};

const DEMO_DB = './data/demo.db';

/**
 * The demo's `security` section: the config's own (extension ids, origins, rate limit, token
 * variable) with every browser extension admitted by CORS, so the README's demo feeds a freshly
 * loaded extension — whose Chromium id or Firefox UUID nobody knows in advance — with no config.
 */
export function demoSecurity(security: WatcherConfig['security']): WatcherConfig['security'] {
  return { ...security, allowAnyExtension: true };
}

/**
 * `perpscope-watcher demo`: starts the three devnet chains of the `demo` scenario (OP-stack-like 2 s,
 * Arbitrum-like tx-driven, 1 s), watches them with compressed thresholds and plays the timeline in a
 * loop (degradation → halt → recovery, a 2-block reorg, a safe-head stall), printing the API URL,
 * each step and each status change. CORS admits any browser extension ({@link demoSecurity}). The database is a fresh `./data/demo.db` unless `PERPSCOPE_DB`
 * or the config names one.
 */
export async function runDemo(params: RunDemoParameters): Promise<{ stop(): Promise<void> }> {
  const print = params.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const scenario = chainScenarios.demo;
  print(`perpscope demo: starting ${scenario.chains.length} local devnet chains (anvil)…`);
  const devnet = await startDevnet(scenario.chains);
  let hip3: Hip3Demo | null = null;
  let guard: PositionsDemo | null = null;
  let watcher: RunningWatcher | null = null;
  const abort = new AbortController();
  try {
    hip3 = await startHip3Demo();
    guard = startPositionsDemo(hip3.replay);
    const dbPath =
      params.env.PERPSCOPE_DB ?? (params.configPath ? params.config.database.path : DEMO_DB);
    if (dbPath === DEMO_DB) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${DEMO_DB}${suffix}`, { force: true });
    }
    const config = parseConfig({
      raw: {
        server: params.config.server,
        database: { path: dbPath },
        security: demoSecurity(params.config.security),
        log: {
          level:
            params.env.PERPSCOPE_LOG_LEVEL === 'info' ? 'warn' : params.env.PERPSCOPE_LOG_LEVEL,
        },
        chains: devnet.chains.map((c) =>
          devnetChainEntry(c, { pollIntervalMs: 250, graceSeconds: 15 }),
        ),
        hip3: hip3.config,
        positions: guard.config,
      },
      source: 'demo',
      env: { ...params.env, PERPSCOPE_DB: dbPath },
    });
    watcher = await startWatcher({
      config,
      clock: systemClock,
      logger: params.logger,
      version: params.version,
    });
    const w = watcher;
    const hip3Demo = hip3;
    const guardDemo = guard;
    w.eventLog.subscribe((ev) => {
      const hip3Line = hip3Demo.describe(ev) ?? guardDemo.describe(ev);
      if (hip3Line !== null) {
        if (hip3Line) print(hip3Line);
      } else if (ev.kind === 'chain.status') {
        const p = ev.payload;
        const reasons = p.reasons.length > 0 ? ` — ${p.reasons.join('; ')}` : '';
        print(`  [status] ${p.name}: ${p.from} → ${p.to}${reasons}`);
      } else if (ev.kind === 'chain.reorg') {
        const p = ev.payload;
        print(`  [reorg]  chain ${p.chainId}: depth ${p.depth} from block ${p.fromNumber}`);
      } else if (ev.kind === 'chain.flags') {
        print(`  [flags]  chain ${ev.payload.chainId}: ${JSON.stringify(ev.payload.flags)}`);
      } else if (isIncidentEvent(ev)) {
        print(`  [${ev.kind}] ${ev.payload.title} (${ev.payload.severity})`);
      }
    });
    print(
      `perpscope demo: status page ${w.url}/ — API ${w.url}/v1/chains — docs ${w.url}/docs — events ${w.url}/v1/events`,
    );
    print(
      `perpscope demo: HIP-3 replay (dexes xyz, flx) on ${hip3Demo.replay.url} — markets ${w.url}/v1/hip3/markets — risk summary ${w.url}/v1/risk-summary?coins=xyz:TSLA,flx:GOLD`,
    );
    print(
      `perpscope demo: guarding one replay account (xyz:AMZN long walks to liquidation every ~90 s) — ${w.url}/v1/positions`,
    );
    print(
      `perpscope demo: chains ${devnet.chains.map((c) => `${c.name} (chainId ${c.chainId})`).join(', ')}`,
    );
    print(
      params.logFile
        ? `perpscope demo: JSON logs go to ${params.logFile} (errors also to stderr); set PERPSCOPE_LOG_LEVEL to log on stdout instead`
        : 'perpscope demo: JSON logs on stdout (a log level or a config file was given)',
    );
    print(
      `perpscope demo: playing "${scenario.name}" (~${Math.round((scenario.durationMs ?? 0) / 1000)} s per round, repeats; Ctrl-C stops)`,
    );
    void (async () => {
      for (let round = 1; !abort.signal.aborted; round++) {
        print(`perpscope demo: round ${round} starts`);
        const started = Date.now();
        try {
          await playScenario(devnet, scenario, {
            signal: abort.signal,
            onStep: (step) =>
              print(
                `t+${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s ${step.chain}: ${step.note}`,
              ),
          });
        } catch (error) {
          if (!abort.signal.aborted) params.logger.error({ err: error }, 'demo timeline failed');
          return;
        }
      }
    })();
  } catch (error) {
    guard?.stop();
    await devnet.stop();
    await hip3?.stop();
    throw error;
  }
  return {
    stop: async () => {
      abort.abort(new Error('demo stopped'));
      guard?.stop();
      await watcher?.stop();
      await devnet.stop();
      await hip3?.stop();
    },
  };
}
