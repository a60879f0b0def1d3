import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevnetChain } from '@perpscope/devnet';
import type { ChainSummary } from '@perpscope/schemas';
import pg from 'pg';
import { stringify } from 'yaml';
import { bundleWatcher } from '../../scripts/bundleWatcher.js';
import { startTestSinkServer, type TestSinkServer } from '../../src/alerts/testSinkServer.js';
import type { ClusterMode } from '../../src/config/clusterConfig.js';
import { type DevnetTiming, devnetChainEntry } from '../../src/demo/devnetChainEntry.js';
import { type FaultProxy, startFaultProxy } from '../operations/faultProxy.js';
import { runCli } from '../support/spawnWatcher.js';
import { type PostgresServer, startPostgres } from '../support/startPostgres.js';

/*
 * Several real watcher processes on one real PostgreSQL (issue 17): the test files in this folder
 * and `scripts/benchCluster.ts` share this harness. Each watcher reaches every RPC of every chain
 * through its own fault proxy, so one watcher can be blinded while the others see the chain.
 */

/** How fast the watchers react on the 1 s devnet chains (degraded after 3 s, halted after 6 s). */
export const CLUSTER_TIMING: DevnetTiming = { pollIntervalMs: 250, graceSeconds: 3 };

/** The webhook sink's env var (the config names it; the value is the sink URL). */
export const SINK_ENV = 'TEST_SINK_URL';

/** Options of {@link ClusterHarness.startWatcher}. */
export type WatcherOptions = {
  /** `cluster.id`. */
  readonly id: string;
  readonly mode: ClusterMode;
  readonly leaseSeconds: number;
  /** The chains this watcher watches (each through this watcher's own proxies). */
  readonly chains: readonly DevnetChain[];
  /** Log level of the process (default `info`, so lease changes are logged). */
  readonly logLevel?: string;
};

/** One watcher process of the cluster. */
export type WatcherProcess = {
  readonly id: string;
  /** Its base URL, e.g. `http://127.0.0.1:34567`. */
  readonly url: string;
  readonly child: ChildProcess;
  /** The config file it runs with (also the README's example). */
  readonly configPath: string;
  /** Every RPC proxy of this watcher (all chains). */
  readonly proxies: readonly FaultProxy[];
  /** All its RPC proxies fail (HTTP 500) or pass again. */
  blind(on: boolean): void;
  /** stdout + stderr so far (JSON log lines). */
  output(): string;
  /** `GET /v1/chains` of this process. */
  chains(): Promise<ChainSummary[]>;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** The shared pieces of a cluster test: PostgreSQL, the database, the alert sink, the bundle. */
export type ClusterHarness = {
  readonly pg: PostgresServer;
  /** The migrated database every watcher uses. */
  readonly databaseUrl: string;
  readonly sink: TestSinkServer;
  readonly dir: string;
  /** A pool on the database, for the tests' own reads (leases, incidents, outbox). */
  readonly pool: pg.Pool;
  startWatcher(options: WatcherOptions): Promise<WatcherProcess>;
  /** Writes the config file a watcher would run with (no process, no proxies: the RPC URLs as given). */
  writeConfig(options: WatcherOptions, rpcUrlsOf?: (chain: DevnetChain) => string[]): string;
  /** The current holder's watcher id of a duty's lease (`null` when free or expired). */
  leaseHolder(duty: string): Promise<string | null>;
  /** Kills every watcher still running, closes proxies, sink, pool and stops PostgreSQL. */
  stop(): Promise<void>;
};

/**
 * Starts PostgreSQL (one server per test file), creates and migrates `database` through the real
 * CLI (`perpscope-watcher migrate`), starts the webhook sink and builds the CLI bundle the watcher
 * processes run (`node dist/cli.mjs run -c <file>`, as `scripts/crashSafety.ts` does).
 */
export async function startClusterHarness(database: string): Promise<ClusterHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'perpscope-cluster-'));
  const server = await startPostgres();
  const sink = await startTestSinkServer();
  const running = new Set<WatcherProcess>();
  const allProxies: FaultProxy[] = [];
  let pool: pg.Pool | null = null;
  try {
    const databaseUrl = await server.createDatabase(database);
    const cli = await bundleWatcher();
    const harness: ClusterHarness = {
      pg: server,
      databaseUrl,
      sink,
      dir,
      pool: null as unknown as pg.Pool,
      writeConfig: (o, rpcUrlsOf = (c) => [...c.rpcUrls]) => {
        const path = join(dir, `${o.id}.yaml`);
        writeFileSync(path, stringify(watcherConfig(databaseUrl, o, rpcUrlsOf)));
        return path;
      },
      startWatcher: async (o) => {
        const proxiesOf = new Map<DevnetChain, FaultProxy[]>();
        for (const c of o.chains) {
          const ps = await Promise.all(c.rpcUrls.map((u) => startFaultProxy(u)));
          allProxies.push(...ps);
          proxiesOf.set(c, ps);
        }
        const configPath = harness.writeConfig(o, (c) =>
          (proxiesOf.get(c) ?? []).map((p) => p.url),
        );
        const w = await spawnClusterWatcher(cli, o.id, configPath, {
          [SINK_ENV]: `${sink.url}/alerts`,
        });
        const proxies = [...proxiesOf.values()].flat();
        const proc: WatcherProcess = {
          ...w,
          configPath,
          proxies,
          blind: (on) => {
            for (const p of proxies) p.setFailing(on);
          },
        };
        running.add(proc);
        void proc.exited.then(() => running.delete(proc));
        return proc;
      },
      leaseHolder: async (duty) => {
        const r = await harness.pool.query<{ holder: string }>(
          'select holder from leases where name = $1 and expires_at > now()',
          [duty],
        );
        const holder = r.rows[0]?.holder;
        return holder === undefined ? null : (holder.split('/')[0] ?? null);
      },
      stop: async () => {
        await Promise.all([...running].map((w) => w.kill()));
        await Promise.all(allProxies.map((p) => p.close()));
        await pool?.end();
        await sink.close();
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    const migrateConfig = join(dir, 'migrate.yaml');
    writeFileSync(migrateConfig, stringify({ database: { url: databaseUrl }, chains: [] }));
    const migrate = await runCli(['migrate', '--config', migrateConfig]);
    if (migrate.code !== 0)
      throw new Error(`perpscope-watcher migrate failed (${migrate.code}): ${migrate.stderr}`);
    pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    pool.on('error', () => {}); // the server stops before the pool in a failed test's cleanup
    (harness as { pool: pg.Pool }).pool = pool;
    return harness;
  } catch (error) {
    for (const p of allProxies) await p.close();
    await pool?.end();
    await sink.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The config file of one watcher: `database.url`, `cluster`, its chains (devnet entries with
 * {@link CLUSTER_TIMING}, RPC URLs from `rpcUrlsOf`) and a webhook sink with fast retries and no
 * practical rate limit.
 */
export function watcherConfig(
  databaseUrl: string,
  o: WatcherOptions,
  rpcUrlsOf: (chain: DevnetChain) => string[],
): Record<string, unknown> {
  return {
    server: { port: 0 },
    database: { url: databaseUrl },
    cluster: { id: o.id, mode: o.mode, leaseSeconds: o.leaseSeconds },
    log: { level: o.logLevel ?? 'info' },
    chains: o.chains.map((c) => ({
      ...devnetChainEntry(c, CLUSTER_TIMING),
      rpcUrls: rpcUrlsOf(c),
    })),
    alerts: {
      sinks: [{ name: 'hook', kind: 'webhook', urlEnv: SINK_ENV, minSeverity: 'warning' }],
      retry: { initialDelayMs: 300, maxDelayMs: 1_000, pollIntervalMs: 100, timeoutMs: 2_000 },
      // The failover benchmark halts one chain several times in a row: no rate limit in the way.
      rateLimit: { windowSeconds: 3600, maxPerWindow: 1000 },
    },
  };
}

/** Spawns `node <cli> run -c <config>` and resolves once it listens (30 s: a loaded 2-core box). */
export function spawnClusterWatcher(
  cli: string,
  id: string,
  configPath: string,
  env: Record<string, string>,
): Promise<Omit<WatcherProcess, 'configPath' | 'proxies' | 'blind'>> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('PERPSCOPE_')),
  );
  const child = spawn(process.execPath, [cli, 'run', '-c', configPath], {
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-400_000);
  });
  child.stderr?.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-400_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`watcher ${id} did not start within 30 s:\n${out.slice(-4000)}`));
    }, 30_000);
    const onData = () => {
      const m = /listening on (http:\/\/[^/\s]+)\//.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      const url = m[1];
      resolve({
        id,
        url,
        child,
        exited,
        output: () => out,
        chains: async () => {
          const res = await fetch(`${url}/v1/chains`);
          if (!res.ok)
            throw new Error(`${id}: GET /v1/chains → ${res.status}: ${await res.text()}`);
          return ((await res.json()) as { chains: ChainSummary[] }).chains;
        },
        kill: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return (await exited).code;
        },
      });
    };
    child.stdout?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `watcher ${id} exited (${code ?? signal}) before listening:\n${out.slice(-4000)}`,
        ),
      );
    });
  });
}

/** One event read from `/v1/events`. */
export type SseEvent = { id: number; kind: string; data: Record<string, unknown> };

/** A `/v1/events` reader: collects events until `close()`. */
export type SseClient = { events: SseEvent[]; close(): void };

/**
 * Opens `GET /v1/events` on `baseUrl` and collects every event (id, `event:` kind, parsed data);
 * with `lastEventId`, the stream resumes after that id (the `Last-Event-ID` header).
 */
export async function openEventStream(baseUrl: string, lastEventId?: number): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/v1/events`, {
    signal: abort.signal,
    ...(lastEventId !== undefined && { headers: { 'last-event-id': String(lastEventId) } }),
  });
  if (!res.ok || !res.body) throw new Error(`GET ${baseUrl}/v1/events → ${res.status}`);
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  void (async () => {
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let end = buf.indexOf('\n\n');
        while (end >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          end = buf.indexOf('\n\n');
          let id = Number.NaN;
          let kind = '';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('id:')) id = Number(line.slice(3).trim());
            else if (line.startsWith('event:')) kind = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trim();
          }
          if (data !== '') events.push({ id, kind, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted by close(), or the process went away
    }
  })();
  return { events, close: () => abort.abort() };
}

/** A chain's entry in a `/v1/chains` answer, by chain id. */
export function chainOf(
  chains: readonly ChainSummary[],
  chainId: number,
): ChainSummary | undefined {
  return chains.find((c) => c.chainId === chainId);
}
