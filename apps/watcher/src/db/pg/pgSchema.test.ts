import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Column, is, SQL } from 'drizzle-orm';
import { PgDialect, PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import {
  SQLiteSyncDialect,
  SQLiteTable,
  getTableConfig as sqliteTableConfig,
} from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../../test/support/startPostgres.js';
import { openDb } from '../openDb.js';
import { migratePg } from './openPgDb.js';

/** Tables only the PostgreSQL schema has, and why: one SQLite writer needs no lease. */
const PG_ONLY_TABLES = ['leases'];

/**
 * Tables only the SQLite schema has, and why: `hip3_oracle_updates_recent` stages the newest oracle
 * updates time first because SQLite's WAL writes pages (see src/db/schema/hip3.ts); PostgreSQL
 * writes `hip3_oracle_updates` directly.
 */
const SQLITE_ONLY_TABLES = ['hip3_oracle_updates_recent'];

/**
 * Tables whose primary key has the same columns in another order, and why. `hip3_samples`: SQLite
 * keys it time first so a tick's inserts append to one edge of the index instead of dirtying a page
 * per market (its WAL writes whole pages); PostgreSQL's WAL logs rows, and its retention reaches
 * samples per market through `(coin, received_at)`.
 */
const KEY_ORDER_DIFFERS: Record<string, string> = {
  hip3_samples: 'SQLite WAL writes pages: time-first key (see src/db/schema/hip3.ts)',
};

/**
 * SQLite column type → the PostgreSQL types allowed for it. SQLite `integer` holds ms times and
 * ids (`bigint`), small counts (`integer`) and 0/1 flags (drizzle `mode: 'boolean'` → `boolean`).
 */
const TYPE_FAMILY: Record<string, readonly string[]> = {
  SQLiteInteger: ['PgBigInt53', 'PgInteger'],
  SQLiteBoolean: ['PgBoolean'],
  SQLiteText: ['PgText'],
  SQLiteReal: ['PgDoublePrecision'],
};

async function tablesIn<T>(folder: string, isTable: (v: unknown) => v is T): Promise<T[]> {
  const dir = fileURLToPath(new URL(folder, import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const out: T[] = [];
  for (const f of files) {
    const mod = (await import(`${dir}/${f}`)) as Record<string, unknown>;
    for (const v of Object.values(mod)) if (isTable(v)) out.push(v);
  }
  return out;
}

const sqliteDialect = new SQLiteSyncDialect();
const pgDialect = new PgDialect();

/** A dialect-free description of a table: what both schemas must agree on. */
function describeColumns(columns: readonly Column[], pkColumns: readonly string[]) {
  return Object.fromEntries(
    columns.map((c) => [
      c.name,
      {
        notNull: c.notNull,
        primaryKey: c.primary || pkColumns.includes(c.name),
        unique: c.isUnique,
        default: is(c.default, SQL) ? 'sql' : (c.default ?? null),
        identity: c.columnType.startsWith('SQLite')
          ? c.primary && (c as unknown as { autoIncrement?: boolean }).autoIncrement === true
          : (c as unknown as { generatedIdentity?: unknown }).generatedIdentity !== undefined,
      },
    ]),
  );
}

describe('PostgreSQL schema (src/db/pg/schema) mirrors the SQLite schema (src/db/schema)', async () => {
  const sqliteTables = await tablesIn('../schema/', (v): v is SQLiteTable => is(v, SQLiteTable));
  const pgTables = await tablesIn('./schema/', (v): v is PgTable => is(v, PgTable));
  const sqliteByName = new Map(sqliteTables.map((t) => [sqliteTableConfig(t).name, t]));
  const pgByName = new Map(pgTables.map((t) => [pgTableConfig(t).name, t]));

  it('defines the same tables (plus the PostgreSQL-only ones)', () => {
    expect(sqliteByName.size).toBeGreaterThan(15);
    expect([...pgByName.keys(), ...SQLITE_ONLY_TABLES].sort()).toEqual(
      [...sqliteByName.keys(), ...PG_ONLY_TABLES].sort(),
    );
  });

  it.each([...sqliteByName.keys()].filter((t) => !SQLITE_ONLY_TABLES.includes(t)).sort())(
    '%s: same columns, keys, defaults and indexes',
    (name) => {
      const s = sqliteTableConfig(sqliteByName.get(name)!);
      const p = pgTableConfig(pgByName.get(name)!);
      const sPk = s.primaryKeys.flatMap((k) => k.columns.map((c) => c.name));
      const pPk = p.primaryKeys.flatMap((k) => k.columns.map((c) => c.name));
      expect(describeColumns(p.columns, pPk)).toEqual(describeColumns(s.columns, sPk));
      if (KEY_ORDER_DIFFERS[name]) {
        expect(pPk).not.toEqual(sPk);
        expect([...pPk].sort()).toEqual([...sPk].sort());
      } else expect(pPk).toEqual(sPk);

      const typeMismatches = s.columns.flatMap((sc) => {
        const pc = p.columns.find((c) => c.name === sc.name);
        const allowed = TYPE_FAMILY[sc.columnType] ?? [];
        return pc && !allowed.includes(pc.columnType)
          ? [`${sc.name}: ${sc.columnType} vs ${pc.columnType}`]
          : [];
      });
      expect(typeMismatches).toEqual([]);

      const indexes = (
        list: readonly {
          config: {
            name?: string | undefined;
            columns: readonly unknown[];
            unique: boolean;
            where?: SQL | undefined;
          };
        }[],
        dialect: SQLiteSyncDialect | PgDialect,
      ) =>
        list
          .map((i) => ({
            name: i.config.name,
            columns: i.config.columns.map((c) => (c as Column).name),
            unique: i.config.unique,
            // The partial-index predicate as SQL text, quoting normalised.
            where: i.config.where
              ? dialect.sqlToQuery(i.config.where).sql.replaceAll('`', '"')
              : null,
          }))
          .sort((a, b) => String(a.name).localeCompare(String(b.name)));
      expect(indexes(p.indexes, pgDialect)).toEqual(indexes(s.indexes, sqliteDialect));
    },
  );
});

describe('PostgreSQL migrations (drizzle-pg/) on a real server', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(() => server?.stop());

  it('apply to a fresh database, and the result has the columns the SQLite migrations create', async () => {
    const url = await server.createDatabase('migrate_fresh');
    const first = await migratePg({ url });
    expect(first.applied).toBeGreaterThan(0);
    expect(first.applied).toBe(first.total);
    expect(await migratePg({ url })).toEqual({ applied: 0, total: first.total });

    // What PostgreSQL actually has, read back from its catalog …
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const cols = await client.query<{
      table_name: string;
      column_name: string;
      is_nullable: string;
    }>(
      `select table_name, column_name, is_nullable from information_schema.columns
       where table_schema = 'public'`,
    );
    const idx = await client.query<{ indexname: string }>(
      `select indexname from pg_indexes where schemaname = 'public'`,
    );
    await client.end();
    const pgColumns = new Map<string, string[]>();
    for (const r of cols.rows) {
      if (PG_ONLY_TABLES.includes(r.table_name)) continue;
      const list = pgColumns.get(r.table_name) ?? [];
      list.push(`${r.column_name}${r.is_nullable === 'NO' ? ' not null' : ''}`);
      pgColumns.set(r.table_name, list);
    }

    // … against what the SQLite migrations (drizzle/) create in a real SQLite file.
    const sqlite = openDb({ path: ':memory:' });
    const tables = sqlite.sqlite
      .prepare(
        `select name from sqlite_master where type = 'table'
         and name not like 'sqlite_%' and name not like '__drizzle%'`,
      )
      .pluck()
      .all() as string[];
    const sqliteColumns = new Map<string, string[]>();
    for (const t of tables) {
      if (SQLITE_ONLY_TABLES.includes(t)) continue;
      const info = sqlite.sqlite.pragma(`table_info(${t})`) as {
        name: string;
        notnull: number;
        pk: number;
      }[];
      // SQLite lets a non-integer primary key column hold NULL unless declared NOT NULL; PostgreSQL
      // makes every primary-key column NOT NULL, which is what the watcher relies on.
      sqliteColumns.set(
        t,
        info.map((c) => `${c.name}${c.notnull || c.pk ? ' not null' : ''}`),
      );
    }
    const sqliteIndexes = sqlite.sqlite
      .prepare(
        `select name from sqlite_master where type = 'index' and sql is not null
         and tbl_name not like '__drizzle%'`,
      )
      .pluck()
      .all() as string[];
    sqlite.close();

    const sorted = (m: Map<string, string[]>) =>
      Object.fromEntries(
        [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.sort()]),
      );
    expect(sorted(pgColumns)).toEqual(sorted(sqliteColumns));
    // Every SQLite index exists under the same name (PostgreSQL adds its *_pkey / unique-constraint
    // indexes, which SQLite keeps implicit).
    const pgIndexNames = new Set(idx.rows.map((r) => r.indexname));
    expect(sqliteIndexes.filter((n) => !pgIndexNames.has(n))).toEqual([]);
  });

  it('two watchers migrating one empty database at once both succeed (advisory lock)', async () => {
    const url = await server.createDatabase('migrate_race');
    const [a, b] = await Promise.all([migratePg({ url }), migratePg({ url })]);
    expect(a.total).toBe(b.total);
    expect(a.applied + b.applied).toBe(a.total);
  });
});
