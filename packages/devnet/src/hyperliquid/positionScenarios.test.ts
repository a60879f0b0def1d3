import { HttpTransport, InfoClient } from '@nktkas/hyperliquid';
import { afterAll, describe, expect, it } from 'vitest';
import { playScenario } from '../chains/playScenario.js';
import { startDevnet } from '../chains/startDevnetChain.js';
import { positionScenarios } from './positionScenarios.js';
import { createManualClock } from './scaledClock.js';
import { type HyperliquidReplay, startHyperliquidReplay } from './startHyperliquidReplay.js';

const USER = '0x00000000000000000000000000000000000a11ce';
// 10 xyz:TSLA long, entry 100, isolated margin 250 at 10× (mmr 5 %): liquidation at
// 100 − 200/10/0.95 = 78.947… whatever the mark (HL's identity in clearinghouseState.ts).
const LIQ = 100 - 200 / 10 / 0.95;

async function blockNumber(url: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
  });
  return Number.parseInt(((await res.json()) as { result: string }).result, 16);
}

describe('positionScenarios.markWalkDuringHalt (real anvil + replay server, real SDK)', () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const s of stops.reverse()) await s();
  });

  it('builds one timeline: halt first, the walk to the liquidation price inside it, resume after', () => {
    const s = positionScenarios.markWalkDuringHalt({
      coin: 'xyz:TSLA',
      fromPx: 100,
      toPx: LIQ,
      steps: 4,
      stepMs: 1_000,
      haltLeadMs: 2_000,
      resumeAfterMs: 500,
    });
    expect(s.chain.steps.map((x) => [x.atMs, x.action.kind])).toEqual([
      [0, 'halt'],
      [6_500, 'resume'],
    ]);
    const walk = s.market.steps.map((x) => [x.atMs, x.action.type === 'setPrice' && x.action.px]);
    expect(walk).toEqual([
      [2_000, 100],
      [3_000, 100 + (LIQ - 100) / 4],
      [4_000, 100 + (LIQ - 100) / 2],
      [5_000, 100 + ((LIQ - 100) * 3) / 4],
      [6_000, LIQ],
    ]);
    expect(s.chain.chains.map((c) => c.name)).toEqual(['oracle-l2']);
  });

  it('played: the chain makes no block while the position’s mark walks to its liquidation price', async () => {
    const s = positionScenarios.markWalkDuringHalt({
      coin: 'xyz:TSLA',
      fromPx: 100,
      toPx: LIQ,
      steps: 4,
      stepMs: 400,
      haltLeadMs: 1_500,
      resumeAfterMs: 1_500,
    });
    const devnet = await startDevnet(s.chain.chains);
    stops.push(() => devnet.stop());
    const chain = devnet.chains[0]!;
    // The replay's clock is advanced by hand from the chain's timeline (real ms): one timeline.
    const T0 = 1_770_000_000_000;
    const clock = createManualClock(T0);
    const hl: HyperliquidReplay = await startHyperliquidReplay({
      clock,
      tickMs: null,
      dexes: ['xyz'],
      // One oracle write at the first tick, none during the test: the oracle writer would move the
      // mark toward the (noisy) book between the walk's steps; here only the walk moves it.
      oracleIntervalMs: 600_000,
    });
    stops.push(() => hl.stop());
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
    const info = new InfoClient({ transport: new HttpTransport({ apiUrl: hl.url }) });
    // Blocks come before the halt (1 s chain).
    const first = await blockNumber(chain.directRpcUrl);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await blockNumber(chain.directRpcUrl)).toBeGreaterThan(first);

    const started = Date.now();
    hl.play(s.market);
    // `asked`: when the sample's requests were sent (a request sent before the halt took effect may
    // still answer the pre-halt head).
    const seen: { asked: number; head: number; mark: string; liq: string | null }[] = [];
    const sampler = setInterval(() => {
      const asked = Date.now() - started;
      clock.set(T0 + asked);
      hl.tick();
      void Promise.all([
        blockNumber(chain.directRpcUrl),
        info.clearinghouseState({ user: USER, dex: 'xyz' }),
      ]).then(([head, st]) =>
        seen.push({
          asked,
          head,
          mark: hl.ctxOf('xyz:TSLA')?.markPx ?? '',
          liq: st.assetPositions[0]?.position.liquidationPx ?? null,
        }),
      );
    }, 100);
    // When `halt()` resolved: it waits for a block in flight, which on a loaded machine can take a
    // while, and only then are no more blocks made.
    let haltedAt = Number.POSITIVE_INFINITY;
    try {
      await playScenario(devnet, s.chain, {
        onStep: (step) => {
          if (step.action.kind === 'halt') haltedAt = Date.now() - started;
        },
      });
    } finally {
      clearInterval(sampler);
    }
    await new Promise((r) => setTimeout(r, 1_500));
    const afterResume = await blockNumber(chain.directRpcUrl);

    // The walk ran inside the halt: from the first sample after the lead to the last step, the
    // head did not move, and the mark reached the position's liquidation price there.
    const walkEnd = 1_500 + 4 * 400;
    expect(haltedAt).toBeLessThan(1_500); // before the walk's first step
    // Up to 500 ms before the scheduled resume (4 600 ms): playScenario can be late, never early.
    const during = seen.filter((x) => x.asked > haltedAt && x.asked <= walkEnd + 1_000);
    expect(during.length).toBeGreaterThan(5);
    expect(new Set(during.map((x) => x.head)).size).toBe(1);
    const atEnd = during.filter((x) => x.asked >= walkEnd + 300);
    expect(atEnd.length).toBeGreaterThan(0);
    for (const x of atEnd) {
      expect(Number(x.mark)).toBeCloseTo(LIQ, 1);
      expect(Number(x.liq)).toBeCloseTo(LIQ, 4);
    }
    // The chain resumed after the walk.
    expect(afterResume).toBeGreaterThan(during[0]!.head);
  }, 60_000);
});
