import { describe, expect, it } from 'vitest';
import { Env } from '../env.js';
import { ConfigError } from '../errors.js';
import { DEFAULT_DATABASE_PATH, databaseEngine } from './databaseConfig.js';
import { parseConfig } from './loadConfig.js';

const parse = (database: unknown, env: Record<string, string> = {}) =>
  parseConfig({ raw: { database }, source: 'test', env: Env.parse(env) }).database;
const issuesOf = (database: unknown, env: Record<string, string> = {}) => {
  try {
    parse(database, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('database config: SQLite path or PostgreSQL url', () => {
  it('defaults to the SQLite file; path selects SQLite', () => {
    expect(parseConfig({ raw: undefined, source: 'test', env: Env.parse({}) }).database).toEqual({
      path: DEFAULT_DATABASE_PATH,
    });
    const db = parse({ path: '/var/lib/perpscope/w.db' });
    expect(db).toEqual({ path: '/var/lib/perpscope/w.db' });
    expect(databaseEngine(db)).toBe('sqlite');
  });

  it('accepts a postgres:// or postgresql:// url and selects PostgreSQL', () => {
    const db = parse({ url: 'postgres://perpscope:s3cret@db.internal:5432/perpscope' });
    expect(db.url).toBe('postgres://perpscope:s3cret@db.internal:5432/perpscope');
    expect(databaseEngine(db)).toBe('postgres');
    expect(databaseEngine(parse({ url: 'postgresql://db/perpscope' }))).toBe('postgres');
  });

  it('path and url together are refused, naming database.url (PERPSCOPE_DB counts as a path)', () => {
    const both = issuesOf({ path: './a.db', url: 'postgres://db/perpscope' });
    expect(both).toEqual([
      {
        path: 'database.url',
        message: expect.stringContaining('give either database.url (PostgreSQL) or database.path'),
      },
    ]);
    const viaEnv = issuesOf({ url: 'postgres://db/perpscope' }, { PERPSCOPE_DB: './b.db' });
    expect(viaEnv.map((i) => i.path)).toEqual(['database.url']);
  });

  it('a url that is not PostgreSQL is refused naming database.url, without quoting it', () => {
    const cases: [string, string][] = [
      ['mysql://root:hunter2@db/x', 'must be a postgres:// or postgresql:// URL, not mysql://'],
      ['hunter2@db:5432', 'must be a postgres:// URL (it does not parse)'],
      ['postgres:///perpscope', 'must name a host'],
    ];
    for (const [url, message] of cases) {
      const issues = issuesOf({ url });
      expect(issues).toHaveLength(1);
      expect(issues[0]!.path).toBe('database.url');
      expect(issues[0]!.message).toContain(message);
      expect(issues[0]!.message).not.toContain('hunter2');
    }
    expect(issuesOf({ url: '' })[0]!.path).toBe('database.url');
    expect(issuesOf({ port: 5432 })[0]!.message).toMatch(/port/);
  });
});
