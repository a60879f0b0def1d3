import { HttpTransport, InfoClient } from '@nktkas/hyperliquid';
import { afterEach, describe, expect, it } from 'vitest';
import { positionScenarios } from './positionScenarios.js';
import { createManualClock } from './scaledClock.js';
import { type HyperliquidReplay, startHyperliquidReplay } from './startHyperliquidReplay.js';

const T0 = 1_770_000_000_000;
const USER = '0x00000000000000000000000000000000000b0b00';
const running: HyperliquidReplay[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function start() {
  const hl = await startHyperliquidReplay({
    clock: createManualClock(T0),
    tickMs: null,
    dexes: ['xyz'],
  });
  running.push(hl);
  return { hl, info: new InfoClient({ transport: new HttpTransport({ apiUrl: hl.url }) }) };
}

describe('replay server: per-user endpoints (through the real SDK)', () => {
  it('liquidates a position: it leaves clearinghouseState and a liquidation fill appears', async () => {
    const { hl, info } = await start();
    hl.setMark('xyz:TSLA', 90);
    hl.setAccount(USER, 'xyz', {
      crossRawUsd: '0.0',
      positions: [
        { coin: 'xyz:TSLA', szi: '-2', entryPx: '80', leverage: { type: 'cross', value: 5 } },
      ],
    });
    expect((await info.clearinghouseState({ user: USER, dex: 'xyz' })).assetPositions).toHaveLength(
      1,
    );
    hl.users.liquidate(USER, 'xyz', 'xyz:TSLA');
    expect((await info.clearinghouseState({ user: USER, dex: 'xyz' })).assetPositions).toEqual([]);
    const fills = await info.userFillsByTime({ user: USER, startTime: T0 - 1 });
    expect(fills).toEqual([
      expect.objectContaining({
        coin: 'xyz:TSLA',
        px: '90.0',
        sz: '2',
        side: 'B', // a short is closed by buying
        time: T0,
        startPosition: '-2',
        closedPnl: '-20.0', // −2 × (90 − 80)
        liquidation: { liquidatedUser: USER, markPx: '90.0', method: 'market' },
      }),
    ]);
    expect(await info.userFillsByTime({ user: USER, startTime: T0 + 1 })).toEqual([]);
    expect(await info.userFills({ user: USER })).toHaveLength(1);
    expect(() => hl.users.liquidate(USER, 'xyz', 'xyz:TSLA')).toThrow(/has no position/);
  });

  it('rejects a bad address in userFillsByTime with 422', async () => {
    const { hl } = await start();
    const res = await fetch(`${hl.url}/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'userFillsByTime', user: '0x12', startTime: 0 }),
    });
    expect(res.status).toBe(422);
  });

  it('serves synthetic hourly candles ending at the current mark', async () => {
    const { hl, info } = await start();
    hl.setMark('xyz:TSLA', 250);
    const candles = await info.candleSnapshot({
      coin: 'xyz:TSLA',
      interval: '1h',
      startTime: T0 - 24 * 3_600_000,
    });
    expect(candles).toHaveLength(24); // whole hours in (T0 − 24 h, T0]
    expect(candles.at(-1)?.c).toBe('250.0');
    const closes = candles.map((c) => Number(c.c));
    for (let i = 1; i < closes.length; i++)
      expect(Math.abs(Math.log(closes[i]! / closes[i - 1]!))).toBeLessThanOrEqual(0.01);
    expect(new Set(closes).size).toBeGreaterThan(20);
  });

  it('holdAccountMark: the account state values the position at the held mark while the market moves', async () => {
    const { hl, info } = await start();
    hl.setMark('xyz:TSLA', 100);
    hl.setAccount(USER, 'xyz', {
      crossRawUsd: '0.0',
      positions: [
        {
          coin: 'xyz:TSLA',
          szi: '10',
          entryPx: '100',
          leverage: { type: 'isolated', value: 10, rawUsd: '-750' },
        },
      ],
    });
    hl.holdAccountMark('xyz:TSLA', 100);
    hl.setMark('xyz:TSLA', 85);
    const held = await info.clearinghouseState({ user: USER, dex: 'xyz' });
    expect(held.assetPositions[0]?.position.positionValue).toBe('1000.0');
    const [, ctxs] = await info.metaAndAssetCtxs({ dex: 'xyz' });
    const tsla = (await info.meta({ dex: 'xyz' })).universe.findIndex((u) => u.name === 'xyz:TSLA');
    expect(ctxs[tsla]?.markPx).toBe('85.0');
    hl.holdAccountMark('xyz:TSLA', null);
    const released = await info.clearinghouseState({ user: USER, dex: 'xyz' });
    expect(released.assetPositions[0]?.position.positionValue).toBe('850.0');
    expect(() => hl.holdAccountMark('xyz:NOPE', 1)).toThrow(/unknown coin xyz:NOPE/);
  });

  it('markWalk moves a mark in equal steps to the target', async () => {
    const { hl } = await start();
    const s = positionScenarios.markWalk({
      coin: 'xyz:TSLA',
      fromPx: 100,
      toPx: 80,
      steps: 4,
      stepMs: 1000,
      startMs: 0,
    });
    expect(s.steps.map((x) => (x.action.type === 'setPrice' ? x.action.px : null))).toEqual([
      100, 95, 90, 85, 80,
    ]);
    hl.play(s);
    expect(hl.ctxOf('xyz:TSLA')?.markPx).toBe('100.0');
  });
});
