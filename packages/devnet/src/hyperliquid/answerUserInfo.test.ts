import { HttpTransport, InfoClient } from '@nktkas/hyperliquid';
import { analyzeHyperliquidAccount } from '@perpscope/math';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from './scaledClock.js';
import { type HyperliquidReplay, startHyperliquidReplay } from './startHyperliquidReplay.js';
import { unifiedAccountPreset as preset } from './unifiedAccountPreset.js';

const running: HyperliquidReplay[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function start() {
  const hl = await startHyperliquidReplay({
    clock: createManualClock(1_770_000_000_000),
    tickMs: null,
    users: { [preset.user]: preset.mode },
    accounts: { [preset.user]: preset.accounts },
  });
  running.push(hl);
  hl.setMark('BTC', 66_000);
  hl.setMark('ETH', 1_900);
  hl.setMark('xyz:XYZ100', 25_000);
  return { hl, info: new InfoClient({ transport: new HttpTransport({ apiUrl: hl.url }) }) };
}

/** What a client fetches for one account (the extension's batch): mode, spot, each dex's state + meta. */
async function fetchAccount(info: InfoClient, user: `0x${string}`) {
  const [abstraction, spot, main, xyz, mainMeta, xyzMeta] = await Promise.all([
    info.userAbstraction({ user }),
    info.spotClearinghouseState({ user }),
    info.clearinghouseState({ user }),
    info.clearinghouseState({ user, dex: 'xyz' }),
    info.meta(),
    info.meta({ dex: 'xyz' }),
  ]);
  return {
    abstraction,
    spotClearinghouseState: spot,
    dexes: [
      { dex: '', clearinghouseState: main, meta: mainMeta },
      { dex: 'xyz', clearinghouseState: xyz, meta: xyzMeta },
    ],
  };
}

describe('account modes on the replay server (real SDK)', () => {
  it('serves userAbstraction and spotClearinghouseState in the wire shape; default for other users', async () => {
    const { info } = await start();
    const user = preset.user;
    expect(await info.userAbstraction({ user })).toBe('unifiedAccount');
    const spot = await info.spotClearinghouseState({ user });
    // The recorded unified shape (df-hyperliquid-core's live capture, math test vectors).
    expect(Object.keys(spot).sort()).toEqual(['balances', 'tokenToAvailableAfterMaintenance']);
    expect(Object.keys(spot.balances[0]!).sort()).toEqual([
      'coin',
      'entryNtl',
      'hold',
      'token',
      'total',
    ]);
    // total = cash 5,000 + main-dex equity (−12,000 + 0.5·66,000 − 10·1,900 = 2,000)
    //       + xyz isolated marginUsed (−21,600 + 25,000 = 3,400) = 10,400.
    expect(spot.balances[0]).toMatchObject({ coin: 'USDC', token: 0, total: '10400.0' });
    // available after maintenance = 10,400 − 3,400 − (33,000/80 + 19,000/50) = 6,207.5
    expect(spot.tokenToAvailableAfterMaintenance).toEqual([[0, '6207.5']]);

    const other = '0x2222222222222222222222222222222222222222';
    expect(await info.userAbstraction({ user: other })).toBe('default');
    expect(await info.spotClearinghouseState({ user: other })).toEqual({ balances: [] });
  });

  it('liquidationPx follows the unified pool, and @perpscope/math agrees with every one', async () => {
    const { hl, info } = await start();
    const input = await fetchAccount(info, preset.user);
    // BTC: mark − available/q/(1 − 1/80) = 66,000 − 6,207.5/0.5/0.9875 = 53,428.86…
    const btc = input.dexes[0]!.clearinghouseState.assetPositions[0]!.position;
    expect(Number(btc.liquidationPx)).toBeCloseTo(66_000 - 6_207.5 / 0.5 / (1 - 1 / 80), 4);
    const a = analyzeHyperliquidAccount(input);
    expect(a.abstraction).toBe('unifiedAccount');
    expect(a.positions.map((p) => [p.dex, p.coin, p.agreesWithExchange])).toEqual([
      ['', 'BTC', true],
      ['', 'ETH', true],
      ['xyz', 'xyz:XYZ100', true],
    ]);
    expect(a.pools).toMatchObject([{ token: 0, dexes: ['', 'xyz'], collateral: '7000' }]);
    // Read as a standard account the same states give other prices: the venue's would not agree.
    const standard = analyzeHyperliquidAccount({ ...input, abstraction: 'default' });
    expect(standard.positions[0]!.agreesWithExchange).toBe(false);

    // Prices move: both sides follow. BTC's loss moves ETH's price (shared pool), not BTC's own.
    hl.setMark('BTC', 60_000);
    const moved = analyzeHyperliquidAccount(await fetchAccount(info, preset.user));
    expect(moved.positions.every((p) => p.agreesWithExchange)).toBe(true);
    expect(moved.positions[0]!.liquidationPrice).toBe(a.positions[0]!.liquidationPrice);
    expect(Number(moved.positions[1]!.liquidationPrice)).toBeLessThan(
      Number(a.positions[1]!.liquidationPrice),
    );
  });

  it('setUser switches a user to unified mode at run time; a bad address is a 422', async () => {
    const { hl, info } = await start();
    const user = '0x3333333333333333333333333333333333333333';
    hl.setUser(user, {
      abstraction: 'portfolioMargin',
      spot: [{ coin: 'USDC', token: 0, cash: '10.0' }],
    });
    expect(await info.userAbstraction({ user })).toBe('portfolioMargin');
    expect((await info.spotClearinghouseState({ user })).balances[0]!.total).toBe('10.0');
    const res = await fetch(`${hl.url}/info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'userAbstraction', user: 'nope' }),
    });
    expect(res.status).toBe(422);
  });
});
