import { HttpTransport, SubscriptionClient, WebSocketTransport } from '@nktkas/hyperliquid';
import {
  createInfoClient,
  createWeightAccountant,
  HlAllDexsAssetCtxsEvent,
  HlAllDexsClearinghouseStateEvent,
  HlPerpAssetCtx,
  infoRequestWeight,
} from '@perpscope/hyperliquid';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from './scaledClock.js';
import { type HyperliquidReplay, startHyperliquidReplay } from './startHyperliquidReplay.js';
import { unifiedAccountPreset as preset } from './unifiedAccountPreset.js';

// The replay is the stand-in every watcher and extension test talks to: it must answer in exactly
// the shapes @perpscope/hyperliquid's schemas (derived from the recordings) accept, or a test could
// pass against an answer the real API never gives. Each request goes through that package's client
// (which validates) over the real SDK's HTTP transport.

const T0 = 1_770_000_000_000;
const STANDARD = '0x00000000000000000000000000000000000b0b00';
const running: HyperliquidReplay[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  for (const r of running.splice(0)) await r.stop();
});

async function start() {
  const clock = createManualClock(T0);
  const hl = await startHyperliquidReplay({
    clock,
    tickMs: null,
    dexes: ['', 'xyz', 'flx'],
    users: { [preset.user]: preset.mode },
    subAccounts: { [preset.user]: [{ name: 'Basis', subAccountUser: STANDARD }] },
    vaultEquities: { [STANDARD]: [{ vaultAddress: `0x${'c3'.repeat(20)}`, equity: '1234.5' }] },
    accounts: {
      [preset.user]: preset.accounts,
      [STANDARD]: {
        xyz: {
          crossRawUsd: '0.0',
          positions: [
            { coin: 'xyz:TSLA', szi: '-2', entryPx: '80', leverage: { type: 'cross', value: 5 } },
            {
              coin: 'xyz:XYZ100',
              szi: '0.1',
              entryPx: '25000',
              leverage: { type: 'isolated', value: 5, rawUsd: '-2000' },
            },
          ],
        },
      },
    },
  });
  running.push(hl);
  hl.setMark('xyz:TSLA', 90);
  const client = createInfoClient({
    transport: new HttpTransport({ apiUrl: hl.url, rpcUrl: hl.url }),
    budget: createWeightAccountant({ budget: 1e9, now: Date.now }),
  });
  /** Moves the simulation `seconds` protocol seconds, one tick per second. */
  const run = (seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      clock.advance(1000);
      hl.tick();
    }
  };
  return { hl, client, run };
}

describe('the replay answers in the shapes @perpscope/hyperliquid validates (real SDK transport)', () => {
  it('every info and explorer request the watcher and the extension make, before and after the simulation moves', async () => {
    const { hl, client, run } = await start();
    const readAll = async () => {
      const dexs = await client.perpDexs();
      expect(dexs[0]).toBeNull();
      for (const dex of ['', 'xyz', 'flx']) {
        const [meta, rows] = await client.metaAndValidAssetCtxs(dex);
        expect(rows).toHaveLength(meta.universe.length);
        await client.meta(dex);
      }
      await client.metaAndAssetCtxs('xyz');
      await client.perpDexLimits('xyz');
      await client.perpsAtOpenInterestCap('xyz');
      expect(await client.l2Book('xyz:TSLA')).not.toBeNull();
      for (const user of [preset.user, STANDARD] as const) {
        await client.userAbstraction(user);
        await client.spotClearinghouseState(user);
        for (const dex of ['', 'xyz', 'flx']) await client.clearinghouseState(user, dex);
        await client.userFillsByTime(user, T0 - 1);
        await client.subAccounts(user);
        await client.userVaultEquities(user);
      }
      expect(
        await client.candleSnapshot({
          coin: 'xyz:TSLA',
          interval: '1h',
          startTime: T0 - 86_400_000,
        }),
      ).not.toEqual([]);
      // xyz's oracle writer is a setOracle sub-deployer (recorded perpDexs 2026-06-22).
      const xyz = dexs.find((d) => d?.name === 'xyz');
      const writer = xyz?.subDeployers?.find(([kind]) => kind === 'setOracle')?.[1][0];
      if (!writer) throw new Error('no oracle writer for xyz');
      return client.userDetails(writer as `0x${string}`);
    };
    await readAll();
    // Move everything: oracle writes, marks, a liquidation fill; then read again.
    run(10);
    hl.users.liquidate(STANDARD, 'xyz', 'xyz:TSLA');
    const details = await readAll();
    expect(details.txs.length).toBeGreaterThan(0);
    expect((await client.userFillsByTime(STANDARD, T0 - 1))[0]?.liquidation).toBeDefined();
    // The request log carries each request's documented weight.
    expect(hl.requests.length).toBeGreaterThan(40);
    for (const r of hl.requests) expect(r.weight).toBe(infoRequestWeight(r.type));
  });

  it('WebSocket events: allDexsAssetCtxs rows and allDexsClearinghouseState states', async () => {
    const { hl, run } = await start();
    const transport = new WebSocketTransport({ url: hl.wsUrl });
    closers.push(() => transport.close());
    const ctxFrames: unknown[] = [];
    const stateFrames: unknown[] = [];
    const sub = new SubscriptionClient({ transport });
    await sub.allDexsAssetCtxs((e) => ctxFrames.push(e));
    await sub.allDexsClearinghouseState({ user: STANDARD }, (e) => stateFrames.push(e));
    run(3);
    await expect.poll(() => ctxFrames.length).toBeGreaterThanOrEqual(3);
    await expect.poll(() => stateFrames.length).toBeGreaterThanOrEqual(2);
    for (const frame of ctxFrames) {
      const event = HlAllDexsAssetCtxsEvent.parse(frame);
      for (const [, rows] of event.ctxs)
        for (const row of rows) expect(HlPerpAssetCtx.safeParse(row).error).toBeUndefined();
    }
    for (const frame of stateFrames)
      expect(HlAllDexsClearinghouseStateEvent.safeParse(frame).error).toBeUndefined();
    const ws = hl.requests.filter((r) => r.endpoint === 'ws-subscribe');
    expect(ws.map((r) => r.weight)).toEqual([0, 0]);
  });
});
