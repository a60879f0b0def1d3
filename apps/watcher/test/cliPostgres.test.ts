import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/spawnWatcher.js';
import { type PostgresServer, startPostgres } from './support/startPostgres.js';

// The real CLI against a real PostgreSQL server (support/startPostgres.ts): `database.url` is
// accepted by check-config and migrate; every command that needs the query module says it is not
// implemented yet on PostgreSQL instead of crashing.

const dir = mkdtempSync(join(tmpdir(), 'perpscope-cli-pg-'));
const configWithUrl = (name: string, url: string) => {
  const path = join(dir, name);
  writeFileSync(path, `chains: []\ndatabase:\n  url: "${url}"\n`);
  return path;
};

let server: PostgresServer;
let url: string;
let password: string;
beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('cli_migrate');
  password = new URL(url).password;
}, 60_000);
afterAll(() => server?.stop());

// Each test spawns the CLI (tsx when the bundle is not built: seconds each on a loaded 2-core box),
// one at a time: run concurrently, 8 tsx starts on 2 busy cores took up to ~100 s.
describe('perpscope-watcher with database.url (PostgreSQL)', {
  timeout: 120_000,
}, () => {
  it('migrate applies the PostgreSQL migrations, then finds nothing new', async () => {
    const cfg = configWithUrl('pg.yaml', url);
    const first = await runCli(['migrate', '--config', cfg]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /migrations applied to PostgreSQL postgres:\/\/127\.0\.0\.1:\d+\/…: [1-9]\d* new/,
    );
    expect(first.stdout + first.stderr).not.toContain(password);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query<{ n: string }>(
      `select count(*) as n from information_schema.tables where table_schema = 'public'
       and table_name in ('events', 'incidents', 'alert_outbox', 'leases')`,
    );
    await client.end();
    expect(Number(tables.rows[0]?.n)).toBe(4);

    const again = await runCli(['migrate', '--config', cfg]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(': 0 new');
  });

  it('the password may come from PGPASSWORD instead of the file (README)', async () => {
    const u = new URL(await server.createDatabase('cli_pgpassword'));
    u.password = '';
    const cfg = configWithUrl('no-password.yaml', u.toString());
    const without = await runCli(['migrate', '--config', cfg]);
    expect(without.code, without.stderr).toBe(1);
    const r = await runCli(['migrate', '--config', cfg], { PGPASSWORD: password });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/: [1-9]\d* new/);
  });

  it('check-config accepts the url and prints it without the password', async () => {
    const r = await runCli(['check-config', '--config', configWithUrl('check.yaml', url)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/database PostgreSQL postgres:\/\/127\.0\.0\.1:\d+\/…/);
    expect(r.stdout).not.toContain(password);
  });

  it('run exits 2 saying PostgreSQL is not implemented yet for it (no crash, no password)', async () => {
    const r = await runCli(['run', '--config', configWithUrl('run.yaml', url)]);
    expect(r.code, `signal ${r.signal}; stderr: ${r.stderr}`).toBe(2);
    expect(r.stderr).toContain('database.url (PostgreSQL postgres://127.0.0.1:');
    expect(r.stderr).toContain("PostgreSQL is not implemented yet for 'run'");
    expect(r.stderr).toContain('src/db/queries');
    expect(r.stderr).not.toContain(password);
  });

  it('migrate against a server that is not there exits 1 naming the database', async () => {
    const closed = `postgres://postgres:${password}@127.0.0.1:1/none`;
    const r = await runCli(['migrate', '--config', configWithUrl('down.yaml', closed)]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('database PostgreSQL postgres://127.0.0.1:1/… is unusable');
    expect(r.stderr).toContain('ECONNREFUSED');
    expect(r.stderr).not.toContain(password);
  });

  it('--db together with database.url is a config error naming database.url', async () => {
    const r = await runCli([
      'check-config',
      '--config',
      configWithUrl('both.yaml', url),
      '--db',
      './x.db',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'database.url: give either database.url (PostgreSQL) or database.path',
    );
  });
});
