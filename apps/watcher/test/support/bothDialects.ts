import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migratePg, type PgDb } from '../../src/db/pg/openPgDb.js';
import { type PostgresServer, startPostgres } from './startPostgres.js';

/** A migrated PostgreSQL database of a {@link bothDialects} file, with a pool on it. */
export type PgTestDatabase = { url: string; pool: pg.Pool; q: PgDb };

/** What a test file that runs one suite on SQLite and PostgreSQL needs, from {@link bothDialects}. */
export type BothDialects = {
  /** The file's PostgreSQL server (started in `beforeAll`). */
  readonly server: PostgresServer;
  /** A new SQLite file path in the file's temporary folder. */
  sqlitePath(): string;
  /**
   * A new database with the committed migrations and a pool of `max` connections (default 4) on it;
   * `linguistic`: its default collation is ICU `en` instead of the server's `C` — text ordering that
   * forgot `collate "C"` then sorts `alpha` before `Zeta`, unlike SQLite's BINARY.
   */
  pgDatabase(options?: { max?: number; linguistic?: boolean }): Promise<PgTestDatabase>;
  /** A new empty database (no migrations), its URL. */
  createDatabase(): Promise<string>;
};

/**
 * Sets up a test file that runs the same assertions on SQLite and PostgreSQL (the pattern of every
 * `*.bothDialects.test.ts`, ARCHITECTURE.md "PostgreSQL"): one real PostgreSQL server for the file
 * (`beforeAll`, stopped in `afterAll`) and one temporary folder for SQLite files (removed after);
 * database names are `<prefix>_<n>`. Call it at the top level of the test file.
 *
 * @example
 * const both = bothDialects('events');
 * const { q, pool } = await both.pgDatabase();
 * const { db } = openDb({ path: both.sqlitePath() });
 */
export function bothDialects(prefix: string): BothDialects {
  let server: PostgresServer | undefined;
  let made = 0;
  const dir = mkdtempSync(join(tmpdir(), `perpscope-${prefix}-`));
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const started = (): PostgresServer => {
    if (!server) throw new Error('bothDialects: PostgreSQL is not started yet (use it in a test)');
    return server;
  };
  const createDatabase = () => started().createDatabase(`${prefix}_${++made}`);
  return {
    get server() {
      return started();
    },
    sqlitePath: () => join(dir, `${prefix}_${++made}.db`),
    createDatabase,
    async pgDatabase(options = {}) {
      const url = options.linguistic
        ? await createLinguisticDatabase(started().url, `${prefix}_${++made}`)
        : await createDatabase();
      await migratePg({ url });
      const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4 });
      pool.on('error', () => {});
      return { url, pool, q: drizzle({ client: pool }) };
    },
  };
}

async function createLinguisticDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(
      `create database ${admin.escapeIdentifier(name)} template template0 locale_provider icu icu_locale 'en' locale 'C'`,
    );
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
