import { statSync } from 'node:fs';
import { z } from 'zod';
import type { ConfigIssue } from '../errors.js';

/** Where the watcher keeps its SQLite file unless `database.path` or `database.url` says otherwise. */
export const DEFAULT_DATABASE_PATH = './data/perpscope.db';

const POSTGRES_PROTOCOLS = new Set(['postgres:', 'postgresql:']);

/**
 * `database.url`: a PostgreSQL connection URL (`postgres://user@host:5432/perpscope`). The password
 * may be left out and given as `PGPASSWORD` (read by the driver), so the file holds no secret.
 * Messages never quote the URL: it may carry a password.
 */
const PostgresUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a postgres:// URL (it does not parse)' });
    return;
  }
  if (!POSTGRES_PROTOCOLS.has(url.protocol))
    ctx.addIssue({
      code: 'custom',
      message: `must be a postgres:// or postgresql:// URL, not ${url.protocol}//`,
    });
  else if (url.hostname === '')
    ctx.addIssue({ code: 'custom', message: 'must name a host (postgres://host:5432/db)' });
});

/**
 * `database`: either the SQLite file (`path`, WAL mode; `:memory:` gives a throw-away database; the
 * default) or a PostgreSQL server (`url`) — one or the other. With `url`, `path` keeps its default
 * and is not used. PostgreSQL (issue 17) works with `run`, `migrate`, `check-config`, `test-alert`,
 * `storage` and `vacuum`; `backup` prints the `pg_dump` command instead, `demo` stays on SQLite.
 */
export const DatabaseConfig = z
  .object({
    path: z.string().min(1).optional(),
    url: PostgresUrl.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.path !== undefined && value.url !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message:
          'give either database.url (PostgreSQL) or database.path (SQLite, also set by PERPSCOPE_DB / --db), not both',
      });
  })
  .transform((value) => ({
    path: value.path ?? DEFAULT_DATABASE_PATH,
    ...(value.url !== undefined && { url: value.url }),
  }))
  .default({ path: DEFAULT_DATABASE_PATH });
export type DatabaseConfig = z.output<typeof DatabaseConfig>;

/** Which engine a `database` section selects. */
export function databaseEngine(config: DatabaseConfig): 'sqlite' | 'postgres' {
  return config.url === undefined ? 'sqlite' : 'postgres';
}

/**
 * What `openDb` would trip over in `database.path`, checked without opening it so `check-config`
 * and `run` report it the same way (exit 2 naming the field): a directory, or a parent that is a file.
 */
export function databasePathIssues(path: string): ConfigIssue[] {
  if (path === ':memory:') return [];
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory())
    return [{ path: 'database.path', message: `${path} is a directory, not a database file` }];
  return [];
}
