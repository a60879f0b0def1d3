import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HlAllDexsAssetCtxsEvent,
  HlMetaAndAssetCtxs,
  type HlPerpAssetCtx,
  type HlPerpDex,
} from '@perpscope/hyperliquid';
import { pino } from 'pino';
import { type BenchResult, test } from 'vitest';
import { openDb } from '../../db/openDb.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { EventLog } from '../../events/eventLog.js';
import { createPayloadCounters } from './payloadCounters.js';
import { createHip3Pipeline, readHlFixture } from './testFixtures.js';

// 9 dexes × 34 markets = 306 markets, rows taken from the recorded xyz capture (2026-02-06).
const [xyzMeta, xyzRows] = HlMetaAndAssetCtxs.parse(
  readHlFixture('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
);
const live = xyzMeta.universe
  .map((u, i) => ({ u, ctx: xyzRows[i] as HlPerpAssetCtx }))
  .filter((x) => !x.u.isDelisted)
  .slice(0, 34);
const DEXES = Array.from({ length: 9 }, (_, i) => `dx${i}`);
const perpDexs: (HlPerpDex | null)[] = [
  null,
  ...DEXES.map((name) => ({
    name,
    fullName: name,
    deployer: `0x${'1'.repeat(40)}`,
    oracleUpdater: `0x${'2'.repeat(40)}`,
    feeRecipient: null,
    assetToStreamingOiCap: [],
    assetToFundingMultiplier: [],
  })),
];

/** `frames` JSON strings in which every oracle/mark price moved (worst case: every row is stored). */
function frames(n: number): string[] {
  return Array.from({ length: n }, (_, k) =>
    JSON.stringify({
      channel: 'allDexsAssetCtxs',
      data: {
        ctxs: DEXES.map((d) => [
          d,
          live.map(({ ctx }) => {
            const px = (Number(ctx.oraclePx) * (1 + ((k % 7) - 3) / 10_000)).toPrecision(6);
            return { ...ctx, oraclePx: px, markPx: px };
          }),
        ]),
      },
    }),
  );
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'perpscope-hip3-bench-'));
  const database = openDb({ path: join(dir, 'bench.db') });
  let t = Date.UTC(2026, 1, 10, 15);
  const clock = { now: () => t };
  const logger = pino({ level: 'silent' });
  const engine = createHip3Pipeline({
    store: createSqliteStore(database),
    eventLog: new EventLog({ store: createSqliteStore(database), clock, logger }),
    clock,
    logger,
    counters: createPayloadCounters(),
    dexFilter: null,
    includeMainDex: false,
  });
  engine.applyPerpDexs(perpDexs as never);
  for (const d of DEXES) {
    engine.applyMeta(d, {
      ...xyzMeta,
      universe: live.map(({ u }) => ({ ...u, name: u.name.replace('xyz:', `${d}:`) })),
    });
  }
  return {
    engine,
    advance: (ms: number) => {
      t += ms;
      return t;
    },
    close: () => {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function report(result: BenchResult, ctxPerIteration: number) {
  const p50 = result.latency.p50;
  console.log(
    `median ${result.name}: ${p50.toFixed(3)} ms per ${ctxPerIteration} ctx updates → ${Math.round((ctxPerIteration / p50) * 1000).toLocaleString('en-US')} ctx updates/s`,
  );
}

test('HIP-3 ingestion end to end (parse, validate, derive, store in a real SQLite file)', async ({
  bench,
}) => {
  const s = setup();
  const fs = frames(64);
  let i = 0;
  const perFrame = DEXES.length * live.length;
  // One iteration = the stream's frames between two ticks (the engine commits once per tick):
  // 10 frames of 297 rows, every row changed, then one evaluation + one transaction.
  const framesPerTick = 10;
  const result = await bench(
    `ingest ${framesPerTick} frames × ${perFrame} markets, then tick`,
    async () => {
      for (let f = 0; f < framesPerTick; f++) {
        const raw = fs[i++ % fs.length] as string;
        const receivedMs = s.advance(100);
        const msg = JSON.parse(raw) as { data: unknown };
        const event = HlAllDexsAssetCtxsEvent.parse(msg.data);
        s.engine.ingestFrame(event, receivedMs);
      }
      await s.engine.tick();
    },
  ).run();
  report(result, perFrame * framesPerTick);
  s.close();
});

test('HIP-3 steady state: 297 markets × 9 dexes at a 1 s cadence (one frame + one tick per second)', async ({
  bench,
}) => {
  const s = setup();
  const fs = frames(64);
  let i = 0;
  const perFrame = DEXES.length * live.length;
  const result = await bench('one 1 s cadence step', async () => {
    const receivedMs = s.advance(1000);
    const msg = JSON.parse(fs[i++ % fs.length] as string) as { data: unknown };
    s.engine.ingestFrame(HlAllDexsAssetCtxsEvent.parse(msg.data), receivedMs);
    await s.engine.tick();
  }).run();
  const p50 = result.latency.p50;
  console.log(
    `median one 1 s step with ${perFrame} changed markets: ${p50.toFixed(3)} ms → ${((p50 / 1000) * 100).toFixed(2)} % of one core (worst case: every market changed)`,
  );
  s.close();
});
