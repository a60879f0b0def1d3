/**
 * Crash-safety check: runs the real `perpscope-watcher` CLI against devnet chains and the HL replay
 * server, SIGKILLs it at random points during ingestion `kills` times, and checks the database —
 * the SQLite file, or a PostgreSQL database (`database.url`, issue 17): no committed row lost, none
 * duplicated, open incidents continued across restarts (one halt = one incident, however many
 * restarts it spans).
 *
 *   pnpm --filter @perpscope/watcher crash-safety [-- --kills 20 --seed 7] [--postgres]
 *
 * The test suite runs it through `test/operations/crashSafety.test.ts` (SQLite) and
 * `test/operations/crashSafetyPostgres.test.ts` (PostgreSQL).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startDevnet, startHyperliquidReplay } from '@perpscope/devnet';
import Database from 'better-sqlite3';
import pg from 'pg';
import { stringify } from 'yaml';
import { devnetChainEntry } from '../src/demo/devnetChainEntry.js';
import { bundleWatcher } from './bundleWatcher.js';

/** The published entry point (tsx); `runCrashSafety` uses a bundle of the same CLI unless `viaTsx`. */
const BIN = fileURLToPath(new URL('../bin/perpscope-watcher.mjs', import.meta.url));
const STEADY = 1401;
const HALTING = 1402;

/** Parameters of {@link runCrashSafety}. */
export type CrashSafetyParameters = {
  kills: number;
  /** Seed of the kill-point PRNG (reproducible runs). */
  seed: number;
  /** Each run lives a random time in [minRunMs, maxRunMs] after it starts listening. */
  minRunMs: number;
  maxRunMs: number;
  /** Start `bin/perpscope-watcher.mjs` (tsx) instead of the esbuild bundle of the same CLI (slower). */
  viaTsx?: boolean;
  /**
   * A PostgreSQL database URL (empty, or migrated): the watcher runs with `database.url` and
   * `cluster: { id: crash-safety }` and the checks read its tables. Default: a SQLite file.
   */
  postgresUrl?: string;
  log?: (line: string) => void;
};

/** What the check found. `violations` is empty when the database is consistent. */
export type CrashSafetyReport = {
  kills: number;
  blocksChecked: number;
  samplesChecked: number;
  eventsChecked: number;
  incidentsOfHaltingChain: number;
  /** Starts refused because the killed run's registry row still looked live (PostgreSQL), retried. */
  refusedStarts: number;
  violations: string[];
};

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * What a watcher on PostgreSQL said when the killed run's registry row was still fresh, before it
 * learned to wait that row out: counted (`refusedStarts`, expected 0) and retried, so a regression
 * shows as a count instead of a failed run.
 */
const ID_STILL_LIVE = /already in use by a live watcher/;

/**
 * {@link spawnWatcher}, started again (every 200 ms, up to 60 s) while the CLI refuses with
 * {@link ID_STILL_LIVE}; `onRefused` counts those refusals.
 */
async function startWatcherRetrying(
  cli: string,
  configPath: string,
  onRefused: () => void,
): Promise<{ child: ChildProcess; url: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await spawnWatcher(cli, configPath);
    } catch (error) {
      if (!ID_STILL_LIVE.test((error as Error).message) || Date.now() > deadline) throw error;
      onRefused();
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Spawns the CLI and resolves once it prints its URL. */
function spawnWatcher(
  cli: string,
  configPath: string,
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'run', '-c', configPath], {
      env: { ...process.env, PERPSCOPE_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`watcher did not start within 30 s:\n${out}\n${err}`));
    }, 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^/\s]+)\//.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`watcher exited with ${code} before listening:\n${out}\n${err}`));
    });
  });
}

/** `perpscope-watcher migrate -c <config>` to completion. @throws with its stderr unless it exits 0. */
function migrate(cli: string, configPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'migrate', '-c', configPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`migrate exited ${code}: ${err}`)),
    );
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

type Snapshot = {
  blocks: Set<string>;
  samples: Set<string>;
  events: Set<number>;
  incidents: Set<number>;
};

/**
 * Read-only access to the database under test, SQLite or PostgreSQL: `all` runs one statement
 * (`$1`-style parameters on both; SQLite gets `?`) on a separate connection, which sees only
 * committed transactions.
 */
type CheckedDb = {
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

function sqliteChecked(dbPath: string): CheckedDb {
  return {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: readonly unknown[] = []) => {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      try {
        return db.prepare(sql.replace(/\$\d+/g, '?')).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    close: async () => {},
  };
}

function postgresChecked(url: string): CheckedDb {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await pool.query(sql, [...params])).rows as T[],
    close: () => pool.end(),
  };
}

/** Reads what is committed right now (a second connection sees only committed transactions). */
async function snapshot(db: CheckedDb): Promise<Snapshot> {
  const hasSamples =
    db.dialect === 'postgres' ||
    (await db.all("SELECT 1 FROM sqlite_master WHERE name = 'hip3_samples'")).length > 0;
  return {
    blocks: new Set(
      (await db.all('SELECT chain_id, number, hash FROM blocks')).map(
        (r) => `${r.chain_id}:${r.number}:${r.hash}`,
      ),
    ),
    samples: hasSamples
      ? new Set(
          (await db.all('SELECT coin, received_at FROM hip3_samples')).map(
            (r) => `${r.coin}:${r.received_at}`,
          ),
        )
      : new Set(),
    events: new Set(
      (await db.all<{ id: unknown }>('SELECT id FROM events')).map((r) => Number(r.id)),
    ),
    incidents: new Set(
      (await db.all<{ id: unknown }>('SELECT id FROM incidents')).map((r) => Number(r.id)),
    ),
  };
}

/**
 * Runs the kill loop and the consistency checks.
 *
 * @example const report = await runCrashSafety({ kills: 20, seed: 1, minRunMs: 200, maxRunMs: 1500 });
 */
export async function runCrashSafety(p: CrashSafetyParameters): Promise<CrashSafetyReport> {
  const log = p.log ?? (() => {});
  const random = mulberry32(p.seed);
  const dir = mkdtempSync(join(tmpdir(), 'perpscope-crash-'));
  const dbPath = join(dir, 'watcher.db');
  const db = p.postgresUrl ? postgresChecked(p.postgresUrl) : sqliteChecked(dbPath);
  let refusedStarts = 0;
  const start = (cli: string, configPath: string) =>
    startWatcherRetrying(cli, configPath, () => {
      refusedStarts++;
    });
  const cli = p.viaTsx ? BIN : await bundleWatcher();
  const devnet = await startDevnet([
    { name: 'steady', chainId: STEADY, blockTime: 1, rpcCount: 2, uptimeFeed: false },
    { name: 'halting', chainId: HALTING, blockTime: 1, rpcCount: 2, uptimeFeed: false },
  ]);
  const hl = await startHyperliquidReplay({ dexes: ['xyz'] });
  const violations: string[] = [];
  const seen: Snapshot = {
    blocks: new Set(),
    samples: new Set(),
    events: new Set(),
    incidents: new Set(),
  };
  let child: ChildProcess | null = null;
  try {
    const configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      stringify({
        server: { port: 0 },
        ...(p.postgresUrl
          ? {
              database: { url: p.postgresUrl },
              cluster: { id: 'crash-safety', mode: 'sharded', leaseSeconds: 3 },
            }
          : { database: { path: dbPath } }),
        log: { level: 'error' },
        chains: devnet.chains.map((c) =>
          devnetChainEntry(c, { pollIntervalMs: 250, graceSeconds: 3 }),
        ),
        hip3: {
          enabled: true,
          apiUrl: hl.url,
          wsUrl: hl.wsUrl,
          explorerUrl: hl.url,
          explorer: { enabled: false },
          dexes: ['xyz'],
        },
      }),
    );
    if (p.postgresUrl) await migrate(cli, configPath);
    const halting = devnet.chains.find((c) => c.chainId === HALTING)!;
    const haltAt = Math.min(3, p.kills - 1);
    const resumeAt = Math.max(haltAt + 1, p.kills - 4);
    for (let i = 0; i < p.kills; i++) {
      const started = await start(cli, configPath);
      child = started.child;
      if (i === haltAt) await halting.halt();
      if (i === resumeAt) await halting.resume();
      const runMs = p.minRunMs + random() * (p.maxRunMs - p.minRunMs);
      await new Promise((r) => setTimeout(r, runMs));
      const snap = await snapshot(db);
      await killHard(child);
      child = null;
      for (const k of snap.blocks) seen.blocks.add(k);
      for (const k of snap.samples) seen.samples.add(k);
      for (const k of snap.events) seen.events.add(k);
      for (const k of snap.incidents) seen.incidents.add(k);
      log(
        `kill ${i + 1}/${p.kills} after ${Math.round(runMs)} ms: ${snap.blocks.size} blocks, ${snap.samples.size} samples, ${snap.events.size} events committed`,
      );
    }
    // One last clean run: the halt is over, let the incident close, then stop gracefully.
    const last = await start(cli, configPath);
    child = last.child;
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [open] = await db.all<{ n: unknown }>(
        "SELECT count(*) AS n FROM incidents WHERE subject_id = $1 AND kind = 'sequencer' AND state = 'open'",
        [String(HALTING)],
      );
      if (Number(open?.n) === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise<void>((resolve) => {
      child!.once('exit', () => resolve());
      child!.kill('SIGTERM');
    });
    child = null;

    const final = await snapshot(db);
    const lost = (name: string, before: Set<string | number>, after: Set<string | number>) => {
      const missing = [...before].filter((k) => !after.has(k));
      if (missing.length > 0)
        violations.push(
          `${missing.length} committed ${name} lost, e.g. ${String(missing.slice(0, 3))}`,
        );
    };
    lost('blocks', seen.blocks, final.blocks);
    lost('hip3 samples', seen.samples, final.samples);
    lost('events', seen.events, final.events);
    lost('incidents', seen.incidents, final.incidents);

    const dupBlocks = await db.all(
      'SELECT chain_id, number, count(*) AS n FROM blocks WHERE canonical = TRUE GROUP BY chain_id, number HAVING count(*) > 1',
    );
    if (dupBlocks.length > 0)
      violations.push(`${dupBlocks.length} block heights stored twice as canonical`);
    const incidentIdOfPayload =
      db.dialect === 'postgres'
        ? "(payload_json::json ->> 'incidentId')"
        : "json_extract(payload_json, '$.incidentId')";
    const dupIncidentEvents = await db.all(
      `SELECT kind, ${incidentIdOfPayload} AS incident, count(*) AS n FROM events
       WHERE kind IN ('incident.opened', 'incident.closed') GROUP BY kind, incident HAVING count(*) > 1`,
    );
    if (dupIncidentEvents.length > 0)
      violations.push(
        `incident events duplicated: ${JSON.stringify(dupIncidentEvents.slice(0, 3))}`,
      );
    const twoOpen = await db.all(
      "SELECT subject_type, subject_id, kind, count(*) AS n FROM incidents WHERE state = 'open' GROUP BY 1, 2, 3 HAVING count(*) > 1",
    );
    if (twoOpen.length > 0)
      violations.push(`two open incidents of one subject+kind: ${JSON.stringify(twoOpen)}`);
    const seqIncidents = (chainId: number) =>
      db.all<{ id: unknown; state: string }>(
        "SELECT id, state FROM incidents WHERE subject_id = $1 AND kind = 'sequencer'",
        [String(chainId)],
      );
    const steadyIncidents = await seqIncidents(STEADY);
    if (steadyIncidents.length > 0)
      violations.push(
        `the steady chain got ${steadyIncidents.length} sequencer incident(s) from restarts alone`,
      );
    const haltIncidents = await seqIncidents(HALTING);
    if (haltIncidents.length !== 1)
      violations.push(
        `one halt spanning ${resumeAt - haltAt} restarts gave ${haltIncidents.length} sequencer incidents (want 1)`,
      );
    else if (haltIncidents[0]!.state !== 'closed')
      violations.push('the halt incident was not closed after recovery');
    const gaps = await db.all(
      `SELECT chain_id, number FROM (
         SELECT chain_id, number, LAG(number) OVER (PARTITION BY chain_id ORDER BY number) AS prev
         FROM blocks WHERE canonical = TRUE) AS t WHERE prev IS NOT NULL AND number != prev + 1`,
    );
    if (gaps.length > 0)
      violations.push(
        `canonical block numbers with holes after restarts: ${JSON.stringify(gaps.slice(0, 3))}`,
      );
    return {
      kills: p.kills,
      blocksChecked: seen.blocks.size,
      samplesChecked: seen.samples.size,
      eventsChecked: seen.events.size,
      incidentsOfHaltingChain: haltIncidents.length,
      refusedStarts,
      violations,
    };
  } finally {
    if (child) await killHard(child);
    await db.close();
    await hl.stop();
    await devnet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The command line of `crash-safety`. */
export type CrashSafetyArgs = { kills: number; seed: number; tsx: boolean; postgres: boolean };

/**
 * Parses `[--] [--kills N] [--seed N] [--tsx] [--postgres]`. pnpm passes the `--` of
 * `pnpm --filter @perpscope/watcher crash-safety -- --kills 50` on to the script, so a leading
 * `--` is dropped; anything else unexpected is an error naming it.
 *
 * @throws {Error} naming the option whose value is not a positive integer, or the unknown argument.
 */
export function parseCrashSafetyArgs(
  argv: readonly string[],
  defaultSeed: number = Date.now() % 100_000,
): CrashSafetyArgs {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const { values } = parseArgs({
    args,
    options: {
      kills: { type: 'string', default: '20' },
      seed: { type: 'string', default: String(defaultSeed) },
      tsx: { type: 'boolean', default: false },
      postgres: { type: 'boolean', default: false },
    },
  });
  const int = (name: string, text: string, min: number) => {
    if (!/^\d{1,9}$/.test(text) || Number(text) < min)
      throw new Error(
        `--${name}: must be a ${min > 0 ? 'positive' : 'non-negative'} integer (got "${text}")`,
      );
    return Number(text);
  };
  return {
    kills: int('kills', values.kills, 1),
    seed: int('seed', values.seed, 0),
    tsx: values.tsx,
    postgres: values.postgres,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let args: CrashSafetyArgs;
  try {
    args = parseCrashSafetyArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`crash-safety: ${(error as Error).message}`);
    process.exit(2);
  }
  const { seed } = args;
  console.log(
    `crash-safety: ${args.kills} SIGKILLs, seed ${seed}, ${args.postgres ? 'PostgreSQL' : 'SQLite'}`,
  );
  // --postgres: a throw-away server like the tests' (test/support/startPostgres.ts).
  const server = args.postgres
    ? await (await import('../test/support/startPostgres.js')).startPostgres()
    : null;
  const report = await runCrashSafety({
    ...(server && { postgresUrl: await server.createDatabase('crash_safety') }),
    kills: args.kills,
    seed,
    minRunMs: 200,
    maxRunMs: 2_000,
    viaTsx: args.tsx,
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify(report, null, 2));
  await server?.stop();
  process.exit(report.violations.length === 0 ? 0 : 1);
}
