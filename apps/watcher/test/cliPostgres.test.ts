import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnWatcher } from './support/spawnWatcher.js';
import { type PostgresServer, startPostgres } from './support/startPostgres.js';

// The real CLI against a real PostgreSQL server (support/startPostgres.ts): `database.url` (or
// PERPSCOPE_DATABASE_URL) is accepted by check-config, migrate, run, storage, vacuum and
// test-alert; backup prints the pg_dump command instead. No output ever holds the password.

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

  it('run serves /readyz on PostgreSQL (URL from PERPSCOPE_DATABASE_URL) and stops on SIGTERM', async () => {
    const dbUrl = await server.createDatabase('cli_run');
    const cfg = join(dir, 'run.yaml');
    writeFileSync(cfg, 'chains: []\nserver:\n  port: 0\n');
    const w = await spawnWatcher(['run', '--config', cfg], { PERPSCOPE_DATABASE_URL: dbUrl });
    try {
      const res = await fetch(`${w.url}/readyz`);
      const body = (await res.json()) as { status: string; checks: Record<string, boolean> };
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.checks).toMatchObject({ database: true, storage: true });
      expect((await fetch(`${w.url}/v1/chains`)).status).toBe(200);
    } finally {
      w.child.kill('SIGTERM');
    }
    expect((await w.exited).code).toBe(0);
    const { stdout, stderr } = w.output();
    expect(stdout + stderr).not.toContain(password);
    // It ran on the server: the schema is there (run migrates at start).
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    const tables = await client.query(
      "select 1 from information_schema.tables where table_name = 'events'",
    );
    await client.end();
    expect(tables.rowCount).toBe(1);
  });

  it('a second run with the id of a live watcher exits 2 naming the id', async () => {
    const dbUrl = await server.createDatabase('cli_same_id');
    const cfg = join(dir, 'same-id.yaml');
    writeFileSync(cfg, 'chains: []\nserver:\n  port: 0\ncluster:\n  id: twin\n');
    const w = await spawnWatcher(['run', '--config', cfg], { PERPSCOPE_DATABASE_URL: dbUrl });
    try {
      const r = await runCli(['run', '--config', cfg], { PERPSCOPE_DATABASE_URL: dbUrl });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('watcher id "twin" is already in use by a live watcher');
      expect(r.stderr).not.toContain(password);
    } finally {
      w.child.kill('SIGTERM');
    }
    expect((await w.exited).code).toBe(0);
  });

  it('a chain owned by another live sharded watcher, refused inside the ingestion worker, exits 2 naming it', async () => {
    const dbUrl = await server.createDatabase('cli_owned_elsewhere');
    const cfgOf = (id: string) => {
      const path = join(dir, `owned-${id}.yaml`);
      // Default ingestion thread (worker): the chains subject's start runs in the worker.
      writeFileSync(
        path,
        `server:\n  port: 0\nhip3:\n  enabled: false\ncluster:\n  id: ${id}\n  mode: sharded\nchains:\n  - { key: l2-4242, chainId: 4242, name: L2 4242, class: other, rpcUrls: ["http://127.0.0.1:9/rpc"] }\n`,
      );
      return path;
    };
    const a = await spawnWatcher(['run', '--config', cfgOf('shard-a')], {
      PERPSCOPE_DATABASE_URL: dbUrl,
    });
    try {
      const r = await runCli(['run', '--config', cfgOf('shard-b')], {
        PERPSCOPE_DATABASE_URL: dbUrl,
      });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('cannot start: invalid configuration');
      expect(r.stderr).toContain('chains: ');
      expect(r.stderr).toContain('is watched by live watcher "shard-a"');
    } finally {
      a.child.kill('SIGTERM');
    }
    expect((await a.exited).code).toBe(0);
  });

  it('a watcher whose registration another process took over stops and exits non-zero with a fatal log', async () => {
    const dbUrl = await server.createDatabase('cli_displaced');
    const cfg = join(dir, 'displaced.yaml');
    writeFileSync(cfg, 'chains: []\nserver:\n  port: 0\ncluster:\n  id: solo\n  leaseSeconds: 3\n');
    const w = await spawnWatcher(['run', '--config', cfg], { PERPSCOPE_DATABASE_URL: dbUrl });
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    try {
      // What a second process with the same id does once this one's heartbeat looked dead.
      const replaced = await client.query(
        "update watchers set instance = 'usurper', pid = 1 where id = 'solo'",
      );
      expect(replaced.rowCount).toBe(1);
      const exited = await Promise.race([
        w.exited,
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000)),
      ]);
      expect(exited, 'the displaced watcher kept running').not.toBeNull();
      expect(exited?.code).toBe(75);
      const { stdout, stderr } = w.output();
      expect(stdout + stderr).toMatch(/"level":60.*watcher \\"solo\\" was displaced/);
      // It did not delete the row the other instance now owns.
      const rows = await client.query('select instance from watchers where id = $1', ['solo']);
      expect(rows.rows).toEqual([{ instance: 'usurper' }]);
    } finally {
      await client.end();
      w.child.kill('SIGKILL');
    }
  });

  it('run against a server that is not there exits 1 naming the database, never the password', async () => {
    const closed = `postgres://postgres:${password}@127.0.0.1:1/none`;
    const r = await runCli(['run', '--config', configWithUrl('run-down.yaml', closed)]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('database postgres://127.0.0.1:1/… is unusable');
    expect(r.stderr).not.toContain(password);
  });

  it('storage prints the PostgreSQL size report and says the free disk cannot be seen', async () => {
    const r = await runCli(['storage', '--config', configWithUrl('storage.yaml', url)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^database \d+\.\d\d MB \(PostgreSQL: free space inside its files/);
    expect(r.stdout).toMatch(/\n {2}events +\d+\.\d\d MB/);
    expect(r.stdout).toContain('free disk unknown');
    expect(r.stdout + r.stderr).not.toContain(password);
  });

  it('vacuum runs VACUUM (ANALYZE) on PostgreSQL', async () => {
    const r = await runCli(['vacuum', '--config', configWithUrl('vacuum.yaml', url)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('VACUUM (ANALYZE) of every table done');
    expect(r.stdout).toMatch(/before: \d+\.\d\d MB\nafter: {2}\d+\.\d\d MB/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const analyzed = await client.query<{ at: Date | null }>(
      "select last_analyze as at from pg_stat_user_tables where relname = 'events'",
    );
    await client.end();
    expect(analyzed.rows[0]?.at).toBeInstanceOf(Date);
  });

  it('backup on PostgreSQL exits 2 with the pg_dump command to use (no password)', async () => {
    const r = await runCli([
      'backup',
      '--config',
      configWithUrl('backup.yaml', url),
      '--to',
      join(dir, 'x.db'),
    ]);
    expect(r.code, r.stderr).toBe(2);
    const { port, pathname } = new URL(url);
    expect(r.stderr).toContain(
      `PGPASSWORD=… pg_dump -Fc -h 127.0.0.1 -p ${port} -U postgres -d ${pathname.slice(1)} -f perpscope-$(date -u +%Y%m%d).dump`,
    );
    expect(r.stderr).toContain('pg_restore');
    expect(r.stderr).not.toContain(password);
  });

  it('test-alert delivers through the outbox on PostgreSQL', async () => {
    const received: string[] = [];
    const sink = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const { port } = sink.address() as AddressInfo;
    try {
      const cfg = join(dir, 'alert.yaml');
      writeFileSync(
        cfg,
        `chains: []\ndatabase:\n  url: "${url}"\nalerts:\n  sinks:\n    - { name: hook, kind: webhook, urlEnv: PERPSCOPE_TEST_HOOK }\n`,
      );
      const r = await runCli(['test-alert', '--config', cfg], {
        PERPSCOPE_TEST_HOOK: `http://127.0.0.1:${port}/hook`,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('hook: delivered after 1 attempt(s)');
      expect(received).toHaveLength(1);
      expect(r.stdout + r.stderr).not.toContain(password);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const rows = await client.query("select state from alert_outbox where sink = 'hook'");
      await client.end();
      expect(rows.rows.map((row) => row.state)).toEqual(['delivered']);
    } finally {
      sink.close();
    }
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
