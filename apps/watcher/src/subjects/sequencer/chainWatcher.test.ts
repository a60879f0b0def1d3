import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/loadConfig.js';
import { openDb } from '../../db/openDb.js';
import { rpcHealthOf, upsertChains } from '../../db/queries/chains.js';
import { listIncidents } from '../../db/queries/incidents.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { Env } from '../../env.js';
import { EventLog } from '../../events/eventLog.js';
import { type ChainRpc, createChainRpc, type ObservedBlock } from './chainRpc.js';
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
        const store = createSqliteStore(database);
        const eventLog = new EventLog({ store, clock, logger });
        upsertChains(database.db, [config], clock.now());
        const watcher = await ChainWatcher.open({
          config,
          store,
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

describe('ChainWatcher: stuck endpoints outnumber the healthy one (issue 13)', () => {
  const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
  const block = (n: number): ObservedBlock => ({
    number: n,
    hash: hash(n),
    parentHash: hash(n - 1),
    timestamp: 1_800_000_000 + n,
    txCount: 1,
  });
  /** One endpoint serving the canonical chain up to `head`; `down` makes every call fail. */
  type Fake = { head: number; down: boolean };
  const fakeRpc =
    (fakes: Record<string, Fake>) =>
    ({ url }: { url: string }): ChainRpc => {
      const f = fakes[url]!;
      const up = () => {
        if (f.down) throw new Error('The request timed out.');
      };
      return {
        url,
        async getBlock(tag) {
          up();
          if (tag === 'latest') return block(f.head);
          if (typeof tag === 'number') return tag <= f.head ? block(tag) : null;
          return null;
        },
        async call() {
          throw new Error('no contract');
        },
        async sendRawTransaction() {
          return { kind: 'rejected', message: 'gas price too low' };
        },
      };
    };

  it('a lower head from lagging replicas is ignored: the head never goes backwards, the stuck pair is marked stuck', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-stuck-'));
    const urls = ['http://stuck-a.test/', 'http://stuck-b.test/', 'http://healthy.test/'];
    const fakes: Record<string, Fake> = Object.fromEntries(
      urls.map((u) => [u, { head: 37, down: false }]),
    );
    const config = parseConfig({
      raw: {
        chains: [
          {
            key: 'stuck-l2',
            chainId: 434343,
            name: 'Stuck L2',
            class: 'other',
            rpcUrls: urls,
            thresholds: { lagToleranceBlocks: 3 },
          },
        ],
      },
      source: 'test',
      env: Env.parse({}),
    }).chains[0]!;
    const clock = { t: 1_800_000_000_000, now: () => clock.t };
    const logger = pino({ level: 'silent' });
    const database = openDb({ path: join(dir, 'w.db') });
    try {
      const store = createSqliteStore(database);
      const eventLog = new EventLog({ store, clock, logger });
      upsertChains(database.db, [config], clock.now());
      const watcher = await ChainWatcher.open({
        config,
        store,
        eventLog,
        clock,
        logger,
        rpcFactory: fakeRpc(fakes),
      });
      const heads: number[] = [];
      const statuses: string[] = [];
      const poll = async (seconds: number) => {
        clock.t += seconds * 1000;
        await watcher.pollOnce();
        heads.push(watcher.state.head?.number ?? -1);
        statuses.push(watcher.state.status);
      };
      await poll(0);
      await poll(130); // nobody moves for longer than the 120 s halt threshold
      expect(watcher.state.status).toBe('halted');
      // The sequencer is back; only the third endpoint follows it.
      for (let n = 38; n <= 80; n++) {
        fakes[urls[2]!]!.head = n;
        await poll(1);
      }
      expect(watcher.state.head?.number).toBe(80);
      expect(rpcHealthOf(database.db, config.chainId).map((r) => r.health)).toEqual([
        'stuck',
        'stuck',
        'healthy',
      ]);
      // The healthy endpoint drops out for a poll: the stuck pair's block 37 is not believed.
      fakes[urls[2]!]!.down = true;
      await poll(1);
      expect(watcher.state.head?.number).toBe(80);
      expect(watcher.state.reasons[0]).toMatch(/behind the head already seen \(80\)/);
      fakes[urls[2]!]!.down = false;
      fakes[urls[2]!]!.head = 81;
      await poll(1);
      expect(watcher.state.head?.number).toBe(81);
      expect(heads.findIndex((h, i) => i > 0 && h < heads[i - 1]!)).toBe(-1);
      expect([...new Set(statuses)]).toEqual(['up', 'halted', 'recovering', 'unknown']);
      expect(statuses.at(-1)).toBe('recovering');
      expect(watcher.state.rpcs?.map((r) => r.reasonCode)).toEqual([
        'not-moving',
        'not-moving',
        'at-head',
      ]);
    } finally {
      database.close();
    }
  });
});
