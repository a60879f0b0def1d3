import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/loadConfig.js';
import { openDb } from '../db/openDb.js';
import { upsertChains } from '../db/queries/chains.js';
import { listIncidents } from '../db/queries/incidents.js';
import { Env } from '../env.js';
import { EventLog } from '../events/eventLog.js';
import { createChainRpc } from './chainRpc.js';
import { ChainWatcher } from './chainWatcher.js';

/** A local port nothing listens on: every RPC call is refused at once (RPCs that never answer). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('ChainWatcher: a chain whose RPCs never answer', () => {
  it('opens one no-data incident once unknown since start for noDataAfterSeconds, across restarts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-nodata-'));
    const path = join(dir, 'w.db');
    const config = parseConfig({
      raw: {
        chains: [
          {
            key: 'dead-l2',
            chainId: 424242,
            name: 'Dead L2',
            class: 'other',
            rpcUrls: [await deadUrl(), await deadUrl()],
            thresholds: { noDataAfterSeconds: 30 },
          },
        ],
      },
      source: 'test',
      env: Env.parse({}),
    }).chains[0]!;
    const T0 = 1_800_000_000_000;
    const clock = { t: T0, now: () => clock.t };
    const logger = pino({ level: 'silent' });

    /** One watcher process: a real SQLite file, real viem endpoints; polls at the given seconds. */
    async function run(pollAtSeconds: readonly number[]) {
      const database = openDb({ path });
      try {
        const eventLog = new EventLog({ db: database.db, clock, logger });
        upsertChains(database.db, [config], clock.now());
        const watcher = new ChainWatcher({
          config,
          db: database.db,
          sqlite: database.sqlite,
          eventLog,
          clock,
          logger,
          rpcFactory: createChainRpc,
        });
        const open: number[] = [];
        for (const s of pollAtSeconds) {
          clock.t = T0 + s * 1000;
          await watcher.pollOnce();
          expect(watcher.state.status).toBe('unknown');
          open.push(
            listIncidents(database.db, { limit: 10 }).items.filter((i) => i.kind === 'no-data')
              .length,
          );
        }
        return {
          open,
          incidents: listIncidents(database.db, { limit: 10 }).items.filter(
            (i) => i.kind === 'no-data',
          ),
        };
      } finally {
        database.close();
      }
    }

    // First start: nothing before 30 s of `unknown`.
    expect((await run([0, 10, 20])).open).toEqual([0, 0, 0]);
    // Restart at 25 s: the wait is counted from the first start, not reset.
    const second = await run([25, 31, 40]);
    expect(second.open).toEqual([0, 1, 1]);
    expect(second.incidents[0]).toMatchObject({
      kind: 'no-data',
      state: 'open',
      severity: 'warning',
      title: 'Dead L2: no RPC endpoint can be trusted',
    });
    // Another restart: the same incident, not a second one.
    const third = await run([45, 60]);
    expect(third.open).toEqual([1, 1]);
    expect(third.incidents.map((i) => i.id)).toEqual([second.incidents[0]!.id]);
  });

  it("waits the chain's halt threshold by default, also when only that is overridden", () => {
    const chains = parseConfig({
      raw: { chains: ['base', { key: 'arbitrum-one', thresholds: { haltedAfterSeconds: 300 } }] },
      source: 'test',
      env: Env.parse({}),
    }).chains;
    // Base (OP-stack): halted after 60 s (research/sequencer.md §4.3).
    expect(chains.map((c) => c.thresholds.noDataAfterSeconds)).toEqual([60, 300]);
  });
});
