import { describe, expect, it } from 'vitest';
import { Env } from '../env.js';
import { ConfigError } from '../errors.js';
import { clusterOf, watcherIdFromHostname } from './clusterConfig.js';
import { parseConfig } from './loadConfig.js';

const parse = (raw: Record<string, unknown>, env: Record<string, string> = {}) =>
  parseConfig({ raw, source: 'test', env: Env.parse(env) });
const issuesOf = (raw: Record<string, unknown>, env: Record<string, string> = {}) => {
  try {
    parse(raw, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
};
const PG = 'postgres://perpscope@db.internal:5432/perpscope';

describe('cluster config: several watchers on one PostgreSQL database', () => {
  it('with database.url and no cluster section: one sharded watcher named after the host', () => {
    const cluster = clusterOf(parse({ database: { url: PG } }));
    expect(cluster).toMatchObject({ mode: 'sharded', leaseSeconds: 15 });
    expect(cluster?.id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
  });

  it('takes id, mode and lease; SQLite has no cluster', () => {
    const cfg = parse({
      database: { url: PG },
      cluster: { id: 'fra-1', mode: 'redundant', leaseSeconds: 10 },
    });
    expect(clusterOf(cfg)).toEqual({ id: 'fra-1', mode: 'redundant', leaseSeconds: 10 });
    expect(clusterOf(parse({}))).toBeNull();
  });

  it('refuses a cluster section without database.url, naming cluster', () => {
    expect(issuesOf({ cluster: { id: 'a' } })).toEqual([
      { path: 'cluster', message: expect.stringContaining('needs database.url') },
    ]);
    expect(issuesOf({}, { PERPSCOPE_WATCHER_ID: 'a' }).map((i) => i.path)).toEqual(['cluster']);
  });

  it('refuses bad ids, modes and leases with the field named', () => {
    const issues = issuesOf({
      database: { url: PG },
      cluster: { id: 'a b', mode: 'active-active', leaseSeconds: 1 },
    });
    expect(issues.map((i) => i.path).sort()).toEqual([
      'cluster.id',
      'cluster.leaseSeconds',
      'cluster.mode',
    ]);
    expect(issuesOf({ database: { url: PG }, cluster: { port: 1 } })[0]?.path).toBe('cluster');
  });

  it('PERPSCOPE_DATABASE_URL replaces the file path; with PERPSCOPE_DB it is a conflict', () => {
    const cfg = parse({ database: { path: './w.db' } }, { PERPSCOPE_DATABASE_URL: PG });
    expect(cfg.database).toEqual({ path: expect.any(String), url: PG });
    const both = issuesOf({}, { PERPSCOPE_DATABASE_URL: PG, PERPSCOPE_DB: './w.db' });
    expect(both.map((i) => i.path)).toEqual(['database.url']);
  });

  it('PERPSCOPE_WATCHER_ID overrides cluster.id', () => {
    const cfg = parse(
      { database: { url: PG }, cluster: { id: 'from-file' } },
      { PERPSCOPE_WATCHER_ID: 'from-env' },
    );
    expect(clusterOf(cfg)?.id).toBe('from-env');
  });

  it('host names become valid ids', () => {
    expect(watcherIdFromHostname('ip-10-0-0-1.eu-west-1.compute.internal')).toBe(
      'ip-10-0-0-1.eu-west-1.compute.internal',
    );
    expect(watcherIdFromHostname('my host/with:odd chars')).toBe('my-host-with-odd-chars');
    expect(watcherIdFromHostname('_-_')).toBe('watcher');
    expect(watcherIdFromHostname('x'.repeat(100))).toHaveLength(64);
  });
});
