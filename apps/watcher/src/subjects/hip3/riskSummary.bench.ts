import { HlMetaAndAssetCtxs, type HlPerpDex } from '@perpscope/hyperliquid';
import { pino } from 'pino';
import { test } from 'vitest';
import { createApp } from '../../createApp.js';
import { openDb } from '../../db/openDb.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { EventLog } from '../../events/eventLog.js';
import { createPayloadCounters } from './payloadCounters.js';
import { createHip3Pipeline, readHlFixture } from './testFixtures.js';

// 9 dexes × the 43 recorded xyz markets (2026-02-06 capture), evaluated by the real engine.
const [meta, rows] = HlMetaAndAssetCtxs.parse(
  readHlFixture('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
);
const DEXES = Array.from({ length: 9 }, (_, i) => `dx${i}`);

async function build(opts: { cacheMs?: number } = {}) {
  const database = openDb({ path: ':memory:' });
  const store = createSqliteStore(database);
  const now = { t: Date.UTC(2026, 1, 10, 15) };
  const clock = { now: () => now.t };
  const logger = pino({ level: 'silent' });
  const eventLog = new EventLog({ store, clock, logger });
  const engine = createHip3Pipeline({
    store,
    eventLog,
    clock,
    logger,
    counters: createPayloadCounters(),
    dexFilter: null,
    includeMainDex: false,
  });
  const dex = (name: string): HlPerpDex => ({
    name,
    fullName: name,
    deployer: `0x${'1'.repeat(40)}`,
    oracleUpdater: null,
    feeRecipient: null,
    assetToStreamingOiCap: [],
    assetToFundingMultiplier: [],
  });
  engine.applyPerpDexs([null, ...DEXES.map(dex)]);
  for (const d of DEXES) {
    engine.applyMeta(
      d,
      {
        ...meta,
        universe: meta.universe.map((u) => ({ ...u, name: u.name.replace('xyz:', `${d}:`) })),
      },
      rows,
      now.t,
    );
  }
  await engine.tick();
  const coins = DEXES.flatMap((d) =>
    meta.universe.map((u) => u.name.replace('xyz:', `${d}:`)),
  ).slice(0, 50);
  const app = createApp({ store, eventLog, clock, logger, version: '0', startedAt: 0 });
  return {
    app,
    now,
    url: `/v1/risk-summary?coins=${encodeURIComponent(coins.join(','))}`,
    ...opts,
  };
}

test('GET /v1/risk-summary for 50 coins (in-process, app.request)', async ({ bench }) => {
  const s = await build();
  const cached = await bench('50 coins, answered from the 1 s cache', async () => {
    const res = await s.app.request(s.url);
    await res.text();
  }).run();
  console.log(`median risk-summary (cache hit): ${(cached.latency.p50 * 1000).toFixed(1)} µs`);
  const fresh = await bench(
    '50 coins, cache expired every request (DB read + present)',
    async () => {
      s.now.t += 2_000;
      const res = await s.app.request(s.url);
      await res.text();
    },
  ).run();
  console.log(`median risk-summary (cache miss): ${(fresh.latency.p50 * 1000).toFixed(1)} µs`);
});
