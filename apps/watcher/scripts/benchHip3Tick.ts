/**
 * Benchmark (issue 15, not a test): the longest synchronous block a HIP-3 tick holds the event loop
 * for, at 300 / 1,000 / 3,000 markets, in one process on a real SQLite file. A probe re-arms
 * `setImmediate` and records the largest gap between its runs while the tick runs. Cases: every
 * market changed, evaluated in one pass (`tick()`, what the engine did before issue 15) and in
 * slices (`tickInSlices()`); steady state with 10 % of the markets changed per second, in slices.
 * Medians of 15 ticks each. Markets are the recorded xyz capture (2026-02-06) renamed per dex.
 *
 * Run: pnpm --filter @perpscope/watcher exec tsx scripts/benchHip3Tick.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HlMetaAndAssetCtxs, type HlPerpAssetCtx, type HlPerpDex } from '@perpscope/hyperliquid';
import { pino } from 'pino';
import { openDb } from '../src/db/openDb.js';
import { createSqliteStore } from '../src/db/store/createSqliteStore.js';
import { EventLog } from '../src/events/eventLog.js';
import { createHip3Pipeline, readHlFixture } from '../src/subjects/hip3/testFixtures.js';

const [xyzMeta, xyzRows] = HlMetaAndAssetCtxs.parse(
  readHlFixture('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
);
const live = xyzMeta.universe
  .map((u, i) => ({ u, ctx: xyzRows[i] as HlPerpAssetCtx }))
  .filter((x) => !x.u.isDelisted)
  .slice(0, 34);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Runs `body` while a setImmediate probe measures the longest event-loop block (ms). */
async function longestBlock(body: () => unknown): Promise<number> {
  let last = performance.now();
  let max = 0;
  let running = true;
  const probe = () => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
    if (running) setImmediate(probe);
  };
  setImmediate(probe);
  await new Promise((r) => setImmediate(r));
  last = performance.now();
  await body();
  max = Math.max(max, performance.now() - last);
  running = false;
  await new Promise((r) => setImmediate(r));
  return max;
}

async function bench(markets: number) {
  const dexes = Array.from({ length: Math.ceil(markets / live.length) }, (_, i) => `d${i}`);
  const database = openDb({
    path: join(mkdtempSync(join(tmpdir(), 'perpscope-hip3-tick-')), 'b.db'),
  });
  let t = Date.UTC(2026, 1, 10, 15);
  const clock = { now: () => t };
  const logger = pino({ level: 'silent' });
  const eventLog = new EventLog({ store: createSqliteStore(database), clock, logger });
  const write = eventLog.write.bind(eventLog);
  const commits: number[] = [];
  eventLog.write = (async (fn: never, o: never) => {
    const t0 = performance.now();
    const r = await write(fn, o);
    commits.push(performance.now() - t0);
    return r;
  }) as typeof eventLog.write;
  const p = createHip3Pipeline({
    store: createSqliteStore(database),
    eventLog,
    clock,
    logger,
    counters: { reject: () => {}, snapshot: () => ({}) } as never,
    dexFilter: null,
    includeMainDex: false,
  });
  p.applyPerpDexs([
    null,
    ...dexes.map(
      (name): HlPerpDex => ({
        name,
        fullName: name,
        deployer: `0x${'1'.repeat(40)}`,
        oracleUpdater: `0x${'2'.repeat(40)}`,
        feeRecipient: null,
        assetToStreamingOiCap: [],
        assetToFundingMultiplier: [],
      }),
    ),
  ]);
  for (const d of dexes) {
    p.applyMeta(d, {
      ...xyzMeta,
      universe: live.map(({ u }) => ({ ...u, name: u.name.replace('xyz:', `${d}:`) })),
    });
  }
  /** One frame at t: rows whose index passes `moved` get a new oracle/mark price. */
  const frame = (k: number, moved: (i: number) => boolean) => ({
    ctxs: dexes.map(
      (d, di) =>
        [
          d,
          live.map(({ ctx }, i) => {
            if (!moved(di * live.length + i)) return ctx;
            const px = (Number(ctx.oraclePx) * (1 + ((k % 7) - 3) / 10_000)).toPrecision(6);
            return { ...ctx, oraclePx: px, markPx: px };
          }),
        ] as [string, unknown[]],
    ),
  });
  const n = dexes.length * live.length;
  const result: Record<string, number> = {};
  for (const [name, run, share] of [
    ['all changed, one pass (before)', () => p.tick(), 1],
    ['all changed, slices (after)', () => p.tickInSlices(), 1],
    ['10 % changed, slices (after)', () => p.tickInSlices(), 0.1],
  ] as const) {
    const blocks: number[] = [];
    for (let k = 0; k < 20; k++) {
      t += 1000;
      p.ingestFrame(frame(k, (i) => share === 1 || (i + k) % 10 === 0) as never, t);
      const ms = await longestBlock(run);
      if (k >= 5) blocks.push(ms);
    }
    result[name] = median(blocks);
    result[`${name}: largest commit`] = Math.max(...commits.splice(0).slice(-60));
  }
  database.close();
  return { markets: n, ...result };
}

for (const m of [300, 1000, 3000]) {
  const r = await bench(m);
  console.log(
    `${r.markets} markets: longest event-loop block per tick (median of 15): ${Object.entries(r)
      .filter(([k]) => k !== 'markets')
      .map(([k, v]) => `${k} ${(v as number).toFixed(1)} ms`)
      .join('; ')}`,
  );
}
