import { parseArgs } from 'node:util';
import { runTestAlert } from './alerts/testAlertCommand.js';
import { createSteadyClock, systemClock } from './clock.js';
import type { WatcherConfig } from './config/configSchema.js';
import { databaseEngine, databasePathIssues } from './config/databaseConfig.js';
import { loadConfigFile, parseConfig, zodIssues } from './config/loadConfig.js';
import { type OpenDb, openDb } from './db/openDb.js';
import { pgStorageProjectionReport } from './db/pg/pgStorageProjection.js';
import { WatcherRegistryConflictError } from './db/pg/watcherRegistry.js';
import { type OpenedStore, openStore } from './db/store/openStore.js';
import { createDemoLogger, DEMO_LOG_FILE } from './demo/createDemoLogger.js';
import { type Env, readEnv, readSecrets } from './env.js';
import { ConfigError, isConfigError } from './errors.js';
import { createLogger } from './logger.js';
import {
  ASSUMED_HIP3_MARKETS,
  formatSizeReport,
  runBackup,
  runVacuum,
  storageProjectionReport,
} from './retention/storageCommands.js';
import { operationsConfigIssues, operationsSecretNames } from './runtime/createOperations.js';
import { startWatcher } from './runtime/startWatcher.js';
import { redactUrlSecrets } from './security/redactSecrets.js';

const VERSION = '0.1.0';
/** Exit code after an uncaught exception (EX_SOFTWARE): a bug, restart the process. */
const EXIT_UNCAUGHT = 70;

const usage = `perpscope-watcher [command] [options]

Commands:
  run            watch the chains of the config file (default when a config is given;
                 without one: the built-in mainnet registry)
  demo           start local devnet chains, watch them and play the demo timeline (default without a config)
  migrate        apply the database migrations and exit (SQLite, or PostgreSQL with database.url)
  check-config   validate the config (file + env overrides) and exit (2 when invalid)
  test-alert     send a test message to every alert sink (or --sink NAME) and report delivery
  storage        print the database size report (tables, indexes, free pages, WAL) and the
                 projected size at the configured retention (warns when it exceeds the free disk;
                 PostgreSQL: the server's disk cannot be seen, the output says so)
  vacuum         VACUUM the database (SQLite: stop the watcher first, it takes an exclusive lock;
                 PostgreSQL: VACUUM (ANALYZE) per table, while the watchers run)
  backup         copy the database online (consistent, while the watcher runs): --to FILE
                 (SQLite; on PostgreSQL it prints the pg_dump command to use)

Options:
  -c, --config FILE   YAML or JSON config (env PERPSCOPE_CONFIG)
      --db PATH       SQLite file (env PERPSCOPE_DB)
  -p, --port N        HTTP port (env PERPSCOPE_PORT); --host H (env PERPSCOPE_HOST)
      --sink NAME     test-alert: only this sink
      --to FILE       backup: where to write the copy
  -h, --help

Environment: PERPSCOPE_LOG_LEVEL (trace … silent; at the default info the demo without a
config writes its JSON logs to ./data/demo.log), PERPSCOPE_CONFIG, PERPSCOPE_DB, PERPSCOPE_PORT,
PERPSCOPE_HOST, PERPSCOPE_DATABASE_URL (PostgreSQL; replaces database.path), PERPSCOPE_WATCHER_ID
(cluster.id).
`;

const commands = [
  'run',
  'demo',
  'migrate',
  'check-config',
  'test-alert',
  'storage',
  'vacuum',
  'backup',
] as const;
type Command = (typeof commands)[number];

function fail(message: string, code: number): never {
  process.stderr.write(`perpscope-watcher: ${message}\n`);
  process.exit(code);
}

/** Opens the database for a one-shot command; an unusable or corrupted one exits 1 saying why. */
function openDatabase(path: string): OpenDb {
  try {
    return openDb({ path });
  } catch (error) {
    fail(`database ${path} is unusable: ${(error as Error).message}`, 1);
  }
}

/**
 * Opens the store of `config.database` (SQLite file or PostgreSQL) for a one-shot command; an
 * unusable database exits 1 saying why (never with the URL's password: `StoreOpenError`).
 */
async function openCommandStore(config: WatcherConfig): Promise<OpenedStore> {
  try {
    return await openStore(config.database, { maxConnections: 2 });
  } catch (error) {
    fail((error as Error).message, 1);
  }
}

/** The `pg_dump` command for the database at `url`, without its password (`docs/postgres.md`). */
function pgDumpCommand(url: string): string {
  const u = new URL(url);
  const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres';
  return [
    'PGPASSWORD=… pg_dump -Fc',
    `-h ${u.hostname}`,
    ...(u.port !== '' ? [`-p ${u.port}`] : []),
    ...(u.username !== '' ? [`-U ${decodeURIComponent(u.username)}`] : []),
    `-d ${db}`,
    `-f perpscope-$(date -u +%Y%m%d).dump`,
  ].join(' ');
}

async function main(argv: readonly string[]): Promise<void> {
  let args: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  const options = {
    config: { type: 'string', short: 'c' },
    db: { type: 'string' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    sink: { type: 'string' },
    to: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  try {
    args = parseArgs({ args: [...argv], options, allowPositionals: true });
  } catch (error) {
    fail(`${(error as Error).message}\n\n${usage}`, 2);
  }
  if (args.values.help) {
    process.stdout.write(usage);
    return;
  }
  const [first, ...rest] = args.positionals;
  if (rest.length > 0) fail(`unexpected arguments: ${rest.join(' ')}\n\n${usage}`, 2);
  if (first !== undefined && !commands.includes(first as Command)) {
    fail(`unknown command '${first}'\n\n${usage}`, 2);
  }

  let env: Env;
  try {
    env = readEnv({
      overrides: {
        ...(args.values.db !== undefined && { PERPSCOPE_DB: args.values.db }),
        ...(args.values.port !== undefined && { PERPSCOPE_PORT: args.values.port }),
        ...(args.values.host !== undefined && { PERPSCOPE_HOST: args.values.host }),
      },
    });
  } catch (error) {
    const issues = zodIssues(error as never);
    fail(new ConfigError(issues, 'environment / command line').message, 2);
  }
  const configPath = args.values.config ?? env.PERPSCOPE_CONFIG;
  const command: Command = (first as Command | undefined) ?? (configPath ? 'run' : 'demo');

  let config: WatcherConfig;
  const readSecret = (name: string) => readSecrets([name])[name];
  try {
    config = configPath
      ? loadConfigFile({ path: configPath, env, readSecret })
      : parseConfig({
          raw: command === 'demo' ? { chains: [] } : undefined,
          source: 'built-in defaults',
          env,
          readSecret,
        });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }

  // Secrets (alert sink URLs, API token) come only from the environment; a non-loopback bind
  // without an API token, or a sink whose variable is unset, is a config error (exit 2).
  const secrets = readSecrets(operationsSecretNames(config));
  const opsIssues = operationsConfigIssues(config, secrets);
  const engine = databaseEngine(config.database);
  const dbIssues = engine === 'sqlite' ? databasePathIssues(config.database.path) : [];
  if (dbIssues.length > 0)
    fail(
      new ConfigError([...dbIssues, ...opsIssues], configPath ?? 'built-in defaults').message,
      2,
    );
  if (
    opsIssues.length > 0 &&
    command !== 'migrate' &&
    command !== 'storage' &&
    command !== 'vacuum' &&
    command !== 'backup'
  ) {
    fail(new ConfigError(opsIssues, configPath ?? 'built-in defaults').message, 2);
  }

  // The URL may carry a password: only its scheme, host and port are ever printed.
  const databaseName =
    config.database.url === undefined
      ? config.database.path
      : `PostgreSQL ${redactUrlSecrets(config.database.url)}`;
  if (command === 'check-config') {
    process.stdout.write(
      `config OK (${configPath ?? 'built-in defaults'}): ${config.chains.length} chains [${config.chains.map((c) => c.key).join(', ')}], database ${databaseName}, http ${config.server.host}:${config.server.port}\n`,
    );
    return;
  }
  if (command === 'migrate' && config.database.url !== undefined) {
    const { migratePg } = await import('./db/pg/openPgDb.js');
    try {
      const { applied, total } = await migratePg({ url: config.database.url });
      process.stdout.write(
        `migrations applied to ${databaseName}: ${applied} new, ${total} in all\n`,
      );
    } catch (error) {
      fail(`database ${databaseName} is unusable: ${(error as Error).message}`, 1);
    }
    return;
  }
  if (command === 'migrate') {
    openDatabase(config.database.path).close();
    process.stdout.write(`migrations applied to ${config.database.path}\n`);
    return;
  }
  if (engine === 'postgres' && command === 'backup') {
    // SQLite's online backup API has no PostgreSQL twin in the watcher: the server's own tool does it.
    fail(
      `backup: database.url (${databaseName}) is PostgreSQL; back it up with the server's own tool, which takes a consistent snapshot while the watchers write:\n  ${pgDumpCommand(config.database.url!)}\nrestore with pg_restore (docs/postgres.md, "Back up and restore")`,
      2,
    );
  }
  if (engine === 'postgres' && command === 'demo') {
    fail(
      `demo: database.url (${databaseName}) is PostgreSQL; the demo runs on its own SQLite file (leave database.url out)`,
      2,
    );
  }

  // The demo narrates on stdout; unless a level was asked for, pino writes to a file instead.
  const quietDemo = command === 'demo' && env.PERPSCOPE_LOG_LEVEL === 'info' && !configPath;
  if (command === 'storage' || command === 'vacuum') {
    const { store, pg, sqlite } = await openCommandStore(config);
    try {
      if (command === 'vacuum') process.stdout.write(await runVacuum(store));
      else {
        const report = await store.queries.storage.dbSizeReport();
        process.stdout.write(formatSizeReport(report, store.dialect));
        const { text, warning } =
          pg !== null
            ? await pgStorageProjectionReport(pg.db, {
                config,
                assumedHip3Markets: ASSUMED_HIP3_MARKETS,
              })
            : await storageProjectionReport({
                config,
                store,
                sqlite: sqlite.sqlite,
                databaseBytes: report.databaseBytes,
              });
        process.stdout.write(text);
        if (warning) process.stderr.write(warning);
      }
    } catch (error) {
      fail(`${command} failed on ${databaseName}: ${(error as Error).message}`, 1);
    } finally {
      await store.close();
    }
    return;
  }
  if (command === 'backup') {
    if (!args.values.to) fail('backup needs --to FILE', 2);
    const database = openDatabase(config.database.path);
    try {
      process.stdout.write(await runBackup(database.sqlite, args.values.to));
    } catch (error) {
      fail(`backup failed: ${(error as Error).message}`, 1);
    } finally {
      database.close();
    }
    return;
  }
  if (command === 'test-alert') {
    const { store } = await openCommandStore(config);
    try {
      const results = await runTestAlert({
        config: config.alerts,
        store,
        secrets,
        clock: systemClock,
        logger: createLogger({ level: 'warn' }),
        ...(args.values.sink !== undefined && { sink: args.values.sink }),
      });
      for (const r of results) {
        process.stdout.write(
          `${r.sink}: ${r.state} after ${r.attempts} attempt(s)${r.lastError ? ` (${r.lastError})` : ''}\n`,
        );
      }
      if (results.some((r) => r.state !== 'delivered')) process.exitCode = 1;
    } catch (error) {
      await store.close();
      fail((error as Error).message, 2);
    }
    await store.close();
    return;
  }

  // A quiet demo logs JSON to a file (errors also to stderr) so its narration stays readable.
  const logger = quietDemo
    ? createDemoLogger({ file: DEMO_LOG_FILE })
    : createLogger({ level: config.log.level });
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );
  // An uncaught exception leaves the process in a state nobody reasoned about: flush what can be
  // flushed (subjects stop after their current write, alert delivery stops, the database closes
  // and checkpoints its WAL, the log is written) and exit non-zero so the supervisor restarts a
  // clean process (README, "Running under systemd"). A hang in the shutdown, or a second
  // exception during it, still exits.
  let stopForExit: (() => Promise<void>) | null = null;
  let crashing = false;
  process.on('uncaughtException', (err) => {
    if (crashing) {
      logger.fatal({ err }, 'uncaught exception while shutting down after another one');
      logger.flush();
      process.exit(EXIT_UNCAUGHT);
    }
    crashing = true;
    logger.fatal({ err }, 'uncaught exception: stopping and exiting so the supervisor restarts');
    setTimeout(() => {
      logger.error('shutdown after an uncaught exception took over 5 s; exiting anyway');
      logger.flush();
      process.exit(EXIT_UNCAUGHT);
    }, 5_000).unref();
    (stopForExit?.() ?? Promise.resolve())
      .catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'))
      .finally(() => {
        logger.flush();
        process.exit(EXIT_UNCAUGHT);
      });
  });

  let stop: () => Promise<void>;
  if (command === 'demo') {
    const { runDemo } = await import('./demo/runDemo.js');
    try {
      stop = (
        await runDemo({
          config,
          env,
          configPath: configPath ?? null,
          logger,
          logFile: quietDemo ? DEMO_LOG_FILE : null,
          version: VERSION,
        })
      ).stop;
    } catch (error) {
      // Without this the rejection reaches the `uncaughtException` logger above and the process
      // lingers instead of exiting (e.g. the port is taken).
      fail(`cannot start the demo: ${(error as Error).message}`, 1);
    }
  } else {
    let watcher: Awaited<ReturnType<typeof startWatcher>>;
    try {
      watcher = await startWatcher({
        config,
        // Ages (time since a new head, staleness, retention horizons) must not jump with the wall clock.
        clock: createSteadyClock({
          onStep: (stepMs) =>
            logger.warn(
              { stepMs: Math.round(stepMs) },
              'wall clock stepped; timestamps and ages continue on the monotonic clock and converge to the new wall time at 1 % of elapsed time',
            ),
        }),
        logger,
        version: VERSION,
        secrets,
      });
    } catch (error) {
      // A cluster mistake (the id of a live watcher, mixed modes, a chain another live watcher
      // owns, hip3/positions in redundant mode) is a configuration error: exit 2, naming it — also
      // when the ingestion worker refused it (the error crossed the thread without its class).
      if (isConfigError(error) || error instanceof WatcherRegistryConflictError)
        fail(`cannot start: ${error.message}`, 2);
      fail(`cannot start: ${(error as Error).message}`, 1);
    }
    logger.info({ url: watcher.url, chains: config.chains.length }, 'perpscope-watcher running');
    process.stdout.write(
      `perpscope-watcher listening on ${watcher.url}/ (API: ${watcher.url}/v1/chains, docs: ${watcher.url}/docs)\n`,
    );
    stop = watcher.stop;
  }
  stopForExit = stop;
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) process.exit(130);
      stopping = true;
      logger.info({ signal: sig }, 'shutting down after the current write');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

await main(process.argv.slice(2));
