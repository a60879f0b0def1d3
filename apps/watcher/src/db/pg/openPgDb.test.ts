import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../../../test/support/startPostgres.js';
import { withPgTransaction } from './openPgDb.js';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

describe('withPgTransaction', () => {
  it('a connection the server drops while the body is between statements fails the transaction, not the process', async () => {
    // Found by test/postgres.devnet.test.ts under load: pg's pool removes its error listener from
    // a checked-out client, so the server's "terminating connection" arriving while no query ran
    // was an 'error' event nobody listened to — an uncaught exception that stopped the ingestion
    // worker and the watcher (exit 70) during a database outage.
    const url = await server.createDatabase('tx_dropped');
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => {});
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.prependListener('uncaughtException', onUncaught);
    try {
      const outcome = await withPgTransaction(pool, async (q) => {
        const { rows } = await q.$client.query<{ pid: number }>('select pg_backend_pid() as pid');
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        // Between statements: the termination notice arrives while no query is active.
        await new Promise((r) => setTimeout(r, 300));
        await q.$client.query('select 1');
      }).then(
        () => 'committed',
        (error: Error) => error.message,
      );
      expect(outcome).not.toBe('committed');
      expect(uncaught).toEqual([]);
      // The dropped connection is not handed out again: the pool's next transaction works.
      expect(
        await withPgTransaction(pool, async (q) => (await q.$client.query('select 2 as n')).rows),
      ).toEqual([{ n: 2 }]);
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      await admin.end();
      await pool.end();
    }
  });
});
