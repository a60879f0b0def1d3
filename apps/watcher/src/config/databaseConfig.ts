import { statSync } from 'node:fs';
import { z } from 'zod';
import type { ConfigIssue } from '../errors.js';

/** `database`: the SQLite file (WAL mode). `:memory:` gives a throw-away database. */
export const DatabaseConfig = z
  .object({
    path: z.string().min(1).default('./data/perpscope.db'),
  })
  .strict()
  .default({ path: './data/perpscope.db' });
export type DatabaseConfig = z.infer<typeof DatabaseConfig>;

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
