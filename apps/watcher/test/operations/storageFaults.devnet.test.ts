import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevnetWatcher, startDevnetWatcher, waitFor } from '../support/devnetWatcher.js';

/*
 * Storage faults under a watcher polling a real anvil chain into a real SQLite file (issue 14
 * items 6 and 7). Read-only and full are simulated on the watcher's own connection (`query_only`,
 * `max_page_count`: both per connection, see AGENTS.md; the tests run as root, so a chmod would
 * not stop SQLite). While writes fail the chain must be `unknown`, `/readyz` red and every failed
 * write counted; afterwards no block may be missing. Deleting the file must be noticed.
 */
const dir = mkdtempSync(join(tmpdir(), 'perpscope-storage-faults-'));
const dbPath = join(dir, 'w.db');
const logLines: string[] = [];
let dw: DevnetWatcher;
const CHAIN_ID = 1501;

const metric = async (series: string) => {
  const text = await (await fetch(`${dw.watcher.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
const readyz = async () => {
  const res = await fetch(`${dw.watcher.url}/readyz`);
  return {
    status: res.status,
    checks: ((await res.json()) as { checks: Record<string, boolean> }).checks,
  };
};
const chain = () =>
  dw.get<{ status: string; reasons: string[]; head: { number: number } | null }>(
    `/v1/chains/${CHAIN_ID}`,
  );
/** anvil's head, bypassing the watcher. */
const anvilHead = async () => {
  const res = await fetch(dw.chain('storage').directRpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
  });
  return Number(((await res.json()) as { result: string }).result);
};
/** Canonical block numbers stored, and the numbers missing between the first and the last. */
const storedBlocks = () => {
  const rows = dw.watcher.ops
    .database!.sqlite.prepare(
      'SELECT number FROM blocks WHERE chain_id = ? AND canonical = 1 ORDER BY number',
    )
    .all(CHAIN_ID) as { number: number }[];
  const numbers = rows.map((r) => r.number);
  const missing: number[] = [];
  for (let n = numbers[0] ?? 0, i = 0; n <= (numbers.at(-1) ?? -1); n++) {
    if (numbers[i] === n) i++;
    else missing.push(n);
  }
  return { last: numbers.at(-1) ?? -1, missing };
};

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  dw = await startDevnetWatcher({
    specs: [{ name: 'storage', chainId: CHAIN_ID, blockTime: 1, rpcCount: 1 }],
    timing: { pollIntervalMs: 250, graceSeconds: 3 },
    dbPath,
    logger: pino({ level: 'info' }, sink),
    // The fault tests set pragmas on the writing connection (`ops.database!.sqlite`): one thread.
    ingestion: { thread: 'main' },
  });
  await waitFor('chain up', async () => (await chain()).status === 'up', 30_000);
  await waitFor('ready', async () => (await readyz()).status === 200, 10_000);
}, 60_000);

afterAll(async () => {
  await dw?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Holds a write fault for `ms` while the chain keeps producing blocks, checking what is reported. */
async function duringWriteFault(
  fault: { on(): void; off(): void },
  ms: number,
  /** How long the first write may still succeed (a full file still has room in its pages). */
  firstFailureMs = 5_000,
) {
  const series = 'perpscope_db_write_errors_total{component="chain"}';
  const errorsBefore = (await metric(series)) ?? 0;
  const headBefore = (await chain()).head?.number ?? 0;
  fault.on();
  try {
    await waitFor(
      'chain unknown',
      async () => (await chain()).status === 'unknown',
      firstFailureMs,
    );
    const c = await chain();
    expect(c.reasons[0]).toMatch(
      /^database writes failing since .*: this chain's observations are not being recorded$/,
    );
    const list = await dw.get<{ chains: { status: string }[] }>('/v1/chains');
    expect(list.chains[0]?.status).toBe('unknown');
    const ready = await readyz();
    expect(ready.status).toBe(503);
    expect(ready.checks.storage).toBe(false);
    expect(await metric(`perpscope_chain_status{chain="storage",status="unknown"}`)).toBe(1);
    expect(await metric('perpscope_db_writable')).toBe(0);
    await new Promise((r) => setTimeout(r, ms));
    expect((await chain()).status).toBe('unknown');
    expect(await metric(series)).toBeGreaterThan(errorsBefore + 3);
    // The process still serves while the chain advanced on anvil.
    expect((await fetch(`${dw.watcher.url}/healthz`)).status).toBe(200);
    expect(await anvilHead()).toBeGreaterThan(headBefore + 1);
  } finally {
    fault.off();
  }
  await waitFor('chain up again', async () => (await chain()).status === 'up', 15_000);
  await waitFor('ready again', async () => (await readyz()).status === 200, 10_000);
  expect(await metric('perpscope_db_writable')).toBe(1);
  // Every block mined during the fault was stored afterwards (backfilled), none skipped.
  const stored = storedBlocks();
  expect(stored.last).toBeGreaterThan(headBefore + 1);
  expect(stored.missing).toEqual([]);
}

describe('storage faults under a polling watcher (real anvil, real SQLite file)', () => {
  it('read-only database: unknown, not ready, every failed write counted; nothing lost after', async () => {
    const { sqlite } = dw.watcher.ops.database!;
    await duringWriteFault(
      { on: () => sqlite.pragma('query_only = 1'), off: () => sqlite.pragma('query_only = 0') },
      3_000,
    );
    // About a dozen failed polls, one error line: a broken disk must not also flood the log.
    const failures = logLines.filter((l) => l.includes('chain poll failed'));
    expect(failures).toHaveLength(1);
    expect(JSON.parse(failures[0]!).err.message).toContain('readonly');
  }, 60_000);

  it('full database (page limit): the same', async () => {
    const { sqlite } = dw.watcher.ops.database!;
    await duringWriteFault(
      {
        on: () => {
          // Use up the free pages first so the limit bites at once.
          sqlite.exec('CREATE TABLE IF NOT EXISTS filler (x BLOB)');
          sqlite.pragma(
            `max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`,
          );
          try {
            for (;;) sqlite.prepare('INSERT INTO filler VALUES (zeroblob(4096))').run();
          } catch {
            // SQLITE_FULL: every free page is used
          }
        },
        off: () => {
          sqlite.pragma('max_page_count = 1073741823');
          sqlite.exec('DROP TABLE filler');
        },
      },
      3_000,
      // Rows still fit into the pages' free space until the next page split (a block per second).
      30_000,
    );
  }, 90_000);

  it('database file deleted under the running watcher: noticed, logged, not ready, metric', async () => {
    expect(await metric('perpscope_db_file_ok')).toBe(1);
    rmSync(dbPath);
    await waitFor(
      'the deletion logged',
      () => logLines.some((l) => l.includes('database file deleted under the running watcher')),
      10_000,
    );
    const ready = await readyz();
    expect(ready.status).toBe(503);
    expect(ready.checks.database).toBe(false);
    expect(await metric('perpscope_db_file_ok')).toBe(0);
    expect(await metric('perpscope_db_writable')).toBe(0);
  }, 30_000);
});
