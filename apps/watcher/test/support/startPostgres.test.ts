import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startPostgres } from './startPostgres.js';

describe('startPostgres (the test helper itself)', () => {
  it('starts a server that accepts the URL it gives; stop() shuts it down and deletes the cluster', async () => {
    const server = await startPostgres();
    const client = new pg.Client({ connectionString: await server.createDatabase('helper') });
    client.on('error', () => {});
    await client.connect();
    const r = await client.query<{ db: string; v: string }>(
      'select current_database() as db, current_setting($1) as v',
      ['listen_addresses'],
    );
    expect(r.rows[0]).toEqual({ db: 'helper', v: '127.0.0.1' });
    await client.end();
    expect(existsSync(server.dataDir)).toBe(true);

    await server.stop();
    expect(existsSync(server.dataDir)).toBe(false);
    const after = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2_000 });
    after.on('error', () => {});
    await expect(after.connect()).rejects.toThrow(/ECONNREFUSED/);
  });

  it('deletes clusters that killed test processes left behind, and only those', async () => {
    const old = new Date(Date.now() - 60 * 60_000);
    const leftover = (pid: number | null) => {
      const base = mkdtempSync(join(tmpdir(), 'perpscope-pg-'));
      mkdirSync(join(base, 'data'));
      if (pid !== null) writeFileSync(join(base, 'data', 'postmaster.pid'), `${pid}\n/tmp/x\n`);
      utimesSync(base, old, old);
      return base;
    };
    const dead = leftover(2 ** 22 + 12_345); // above Linux's pid_max default: never a live process
    const noPid = leftover(null);
    const running = leftover(process.pid); // a live "postmaster": kept
    const fresh = mkdtempSync(join(tmpdir(), 'perpscope-pg-')); // just created by someone: kept

    const server = await startPostgres();
    await server.stop();
    expect([dead, noPid, running, fresh].map(existsSync)).toEqual([false, false, true, true]);
    rmSync(running, { recursive: true, force: true });
    rmSync(fresh, { recursive: true, force: true });
  });
});
