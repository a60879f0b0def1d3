import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ExplorerClient,
  HttpRequestError,
  HttpTransport,
  InfoClient,
  SubscriptionClient,
  WebSocketTransport,
} from '@nktkas/hyperliquid';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hyperliquidScenarios, malformedFrameKinds } from './hyperliquidScenarios.js';
import { defaultHyperliquidFixturesDir } from './loadReplayFixtures.js';
import { createManualClock, createScaledClock } from './scaledClock.js';
import { type HyperliquidReplay, startHyperliquidReplay } from './startHyperliquidReplay.js';

const T0 = 1_770_000_000_000;
const running: HyperliquidReplay[] = [];
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) c();
  for (const r of running.splice(0)) await r.stop();
});

async function manual(params: Parameters<typeof startHyperliquidReplay>[0] = {}) {
  const clock = createManualClock(T0);
  const hl = await startHyperliquidReplay({ clock, tickMs: null, ...params });
  running.push(hl);
  const transport = new HttpTransport({ apiUrl: hl.url, rpcUrl: hl.url });
  return { hl, clock, info: new InfoClient({ transport }), transport };
}

/** Advances a manual clock second by second, ticking the server each time. */
function run(hl: HyperliquidReplay, clock: ReturnType<typeof createManualClock>, ms: number) {
  for (let t = 0; t < ms; t += 1000) {
    clock.advance(1000);
    hl.tick();
  }
}

const recorded = (file: string) =>
  JSON.parse(readFileSync(join(defaultHyperliquidFixturesDir, file), 'utf8'));

describe('startHyperliquidReplay over HTTP (real SDK)', () => {
  it('serves recorded xyz metaAndAssetCtxs verbatim before the first step, strings and nulls intact', async () => {
    const { info } = await manual();
    const [meta, ctxs] = await info.metaAndAssetCtxs({ dex: 'xyz' });
    const [recMeta, recCtxs] = recorded('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json');
    expect(meta).toEqual(recMeta);
    expect(ctxs).toEqual(recCtxs);
    expect(ctxs.filter((c) => c.premium === null)).toHaveLength(10);
    expect(typeof ctxs[0]?.oraclePx).toBe('string');
  });

  it('lists served dexes with the recorded perpDexs shape (null first)', async () => {
    const { info } = await manual();
    const dexs = await info.perpDexs();
    expect(dexs[0]).toBeNull();
    expect(dexs.slice(1).map((d) => d?.name)).toEqual(['xyz', 'flx']);
    const rec = recorded('info.perpDexs.mainnet.2026-06-22.json');
    expect(dexs[1]).toEqual(rec[1]);
  });

  it('answers an unknown dex with HTTP 500 and an empty body, like the real API', async () => {
    const { hl, info } = await manual();
    const err = await info.metaAndAssetCtxs({ dex: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpRequestError);
    expect((err as HttpRequestError).response?.status).toBe(500);
    const raw = await fetch(`${hl.url}/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'meta', dex: 'nope' }),
    });
    expect(raw.status).toBe(500);
    expect(await raw.text()).toBe('');
  });

  it('answers with Content-Type application/json', async () => {
    const { hl } = await manual();
    const res = await fetch(`${hl.url}/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":"perpDexs"}',
    });
    expect(res.headers.get('content-type')).toContain('application/json');
  });

  it('records setOracle actions per oracle writer for the explorer userDetails endpoint', async () => {
    const { hl, clock, transport } = await manual();
    run(hl, clock, 10_000);
    const explorer = new ExplorerClient({ transport });
    // xyz has oracleUpdater null and a setOracle sub-deployer (recorded perpDexs 2026-06-22).
    const rec = recorded('info.perpDexs.mainnet.2026-06-22.json');
    const writer = rec[1].subDeployers.find((s: [string, string[]]) => s[0] === 'setOracle')[1][0];
    const details = await explorer.userDetails({ user: writer });
    expect(details.type).toBe('userDetails');
    expect(details.txs.length).toBeGreaterThanOrEqual(3);
    const tx = details.txs[0];
    expect(tx?.user).toBe(writer.toLowerCase());
    expect(tx?.error).toBeNull();
    const action = tx?.action as { type: string; setOracle: { dex: string; oraclePxs: unknown[] } };
    expect(action.type).toBe('perpDeploy');
    expect(action.setOracle.dex).toBe('xyz');
    expect(action.setOracle.oraclePxs.length).toBeGreaterThan(0);
    // newest first, ≥ 3 s apart (deployer cadence)
    const times = details.txs.map((t) => t.time);
    expect(times[0]! - times[1]!).toBeGreaterThanOrEqual(3000);
  });

  it('explorerHistoryTxs: each writer starts with that much history before now, capped at 300', async () => {
    const { hl, clock, transport } = await manual({ explorerHistoryTxs: 400 });
    const explorer = new ExplorerClient({ transport });
    const rec = recorded('info.perpDexs.mainnet.2026-06-22.json');
    const writer = rec[1].subDeployers.find((s: [string, string[]]) => s[0] === 'setOracle')[1][0];
    const before = await explorer.userDetails({ user: writer });
    expect(before.txs).toHaveLength(300);
    const times = before.txs.map((t) => t.time);
    // Newest first, one per 3 s oracle interval, the newest 3 s before the start.
    expect(times[0]).toBe(T0 - 3000);
    expect(times.at(-1)).toBe(T0 - 300 * 3000);
    expect(times.every((t, i) => i === 0 || (times[i - 1] as number) - t === 3000)).toBe(true);
    expect(new Set(before.txs.map((t) => t.hash)).size).toBe(300);
    run(hl, clock, 3000);
    const after = await explorer.userDetails({ user: writer });
    expect(after.txs).toHaveLength(300);
    expect(after.txs[0]?.time).toBeGreaterThan(T0);
    expect(after.txs[1]?.hash).toBe(before.txs[0]?.hash);
  });
});

describe('scenarios (manual clock)', () => {
  it('oracleStall: the oracle price freezes and the mark falls back to the book after 10 s', async () => {
    const { hl, clock } = await manual({
      scenario: hyperliquidScenarios.oracleStall({ coin: 'xyz:TSLA', startMs: 0 }),
    });
    hl.apply({ type: 'depeg', coin: 'xyz:TSLA', fraction: 0.005 });
    const frozen = hl.ctxOf('xyz:TSLA')?.oraclePx;
    const marks: string[] = [];
    for (let i = 0; i < 30; i++) {
      run(hl, clock, 1000);
      expect(hl.ctxOf('xyz:TSLA')?.oraclePx).toBe(frozen);
      marks.push(hl.ctxOf('xyz:TSLA')?.markPx ?? '');
    }
    // During the first 10 s the mark cannot move (no setOracle); afterwards it follows the book.
    expect(new Set(marks.slice(0, 9)).size).toBe(1);
    expect(new Set(marks.slice(10)).size).toBeGreaterThan(1);
    // Another coin keeps updating.
    const nvda = hl.ctxOf('xyz:NVDA')?.oraclePx;
    run(hl, clock, 6000);
    expect(hl.ctxOf('xyz:NVDA')?.oraclePx).not.toBe(nvda);
  });

  it('jumpViolation: exactly one mark step exceeds the 1 % clamp', async () => {
    const { hl, clock } = await manual({
      scenario: hyperliquidScenarios.jumpViolation({ coin: 'xyz:NVDA', startMs: 2000 }),
    });
    const steps: number[] = [];
    let prev = Number(hl.ctxOf('xyz:NVDA')?.markPx);
    for (let i = 0; i < 20; i++) {
      run(hl, clock, 1000);
      const m = Number(hl.ctxOf('xyz:NVDA')?.markPx);
      steps.push(Math.abs(m / prev - 1));
      prev = m;
    }
    expect(steps.filter((s) => s > 0.01)).toHaveLength(1);
  });

  it('depeg: mark–oracle deviation reaches ≥ 5 % within 30 s of the 6 % step and holds', async () => {
    const { hl, clock } = await manual({
      scenario: hyperliquidScenarios.depeg({ coin: 'xyz:TSLA', startMs: 0 }),
    });
    const dev = () => {
      const c = hl.ctxOf('xyz:TSLA')!;
      return Number(c.markPx) / Number(c.oraclePx) - 1;
    };
    run(hl, clock, 15_000);
    expect(dev()).toBeGreaterThanOrEqual(0.03);
    expect(dev()).toBeLessThan(0.05);
    run(hl, clock, 35_000);
    expect(dev()).toBeGreaterThanOrEqual(0.05);
    run(hl, clock, 300_000);
    expect(dev()).toBeGreaterThanOrEqual(0.05);
  });

  it('oiCap, depthCollapse and marketHalt show in perpsAtOpenInterestCap, l2Book and meta', async () => {
    const { hl, clock, info } = await manual();
    const depth = async () =>
      (await info.l2Book({ coin: 'xyz:TSLA' }))!.levels[0]!.reduce(
        (s, l) => s + Number(l.px) * Number(l.sz),
        0,
      );
    const before = await depth();
    hl.apply({ type: 'oiCap', coin: 'xyz:TSLA', atCap: true });
    hl.apply({ type: 'depth', coin: 'xyz:TSLA', factor: 0.02 });
    run(hl, clock, 2000);
    expect(await info.perpsAtOpenInterestCap({ dex: 'xyz' })).toEqual(['xyz:TSLA']);
    expect(await depth()).toBeLessThan(before * 0.05);
    hl.apply({ type: 'halt', coin: 'xyz:TSLA', halted: true });
    run(hl, clock, 1000);
    const [meta, ctxs] = await info.metaAndAssetCtxs({ dex: 'xyz' });
    const i = meta.universe.findIndex((u) => u.name === 'xyz:TSLA');
    expect(meta.universe[i]?.isDelisted).toBe(true);
    expect(ctxs[i]?.midPx).toBeNull();
    expect(ctxs[i]?.impactPxs).toBeNull();
    expect(ctxs[i]?.openInterest).toBe('0.0');
    expect((await info.l2Book({ coin: 'xyz:TSLA' }))?.levels).toEqual([[], []]);
  });

  it('recomputes the HIP-3 premium from the impact prices it serves', async () => {
    const { hl, clock, info } = await manual();
    run(hl, clock, 5000);
    const [, ctxs] = await info.metaAndAssetCtxs({ dex: 'flx' });
    const rows = ctxs.filter((c) => c.premium !== null && c.impactPxs !== null);
    expect(rows.length).toBeGreaterThan(5);
    for (const c of rows) {
      const [b, a] = c.impactPxs!.map(Number) as [number, number];
      expect(Number(c.premium)).toBeCloseTo((0.5 * (b + a)) / Number(c.oraclePx) - 1, 9);
    }
  });
});

describe('clearinghouseState', () => {
  it('serves fixture-shaped positions whose mark, PnL and value move with the market', async () => {
    const { hl, info } = await manual();
    const user = '0x1111111111111111111111111111111111111111';
    hl.setAccount(user, 'xyz', {
      crossRawUsd: '1000.0',
      positions: [
        {
          coin: 'xyz:TSLA',
          szi: '2.0',
          entryPx: '400.0',
          leverage: { type: 'isolated', value: 5, rawUsd: '-640.0' },
        },
      ],
    });
    hl.setMark('xyz:TSLA', 400);
    const a = await info.clearinghouseState({ user, dex: 'xyz' });
    const recKeys = Object.keys(recorded('docs.info.clearinghouseState.isolated-ETH.json')).sort();
    expect(Object.keys(a).sort()).toEqual(recKeys);
    const p = a.assetPositions[0]!.position;
    expect(p.positionValue).toBe('800.0');
    expect(p.unrealizedPnl).toBe('0.0');
    // isolated marginUsed = rawUsd + szi·mark = −640 + 800
    expect(p.marginUsed).toBe('160.0');
    hl.setMark('xyz:TSLA', 380);
    const b = await info.clearinghouseState({ user, dex: 'xyz' });
    const q = b.assetPositions[0]!.position;
    expect(q.positionValue).toBe('760.0');
    expect(q.unrealizedPnl).toBe('-40.0');
    // liq = P − (marginUsed − value·mmr)/q/(1 − mmr), mmr = 1/(2·10), from research §3.3
    const mmr = 1 / 20;
    const expected = 380 - (120 - 760 * mmr) / 2 / (1 - mmr);
    expect(Number(q.liquidationPx)).toBeCloseTo(expected, 6);
    expect((await info.clearinghouseState({ user, dex: 'flx' })).assetPositions).toEqual([]);
  });
});

describe('WebSocket /ws (real SDK)', () => {
  it('acks the subscription, streams allDexsAssetCtxs and answers posts and pings', async () => {
    const clock = createScaledClock({ scale: 10, startMs: T0 });
    const hl = await startHyperliquidReplay({ clock, tickMs: 1000 });
    running.push(hl);
    const transport = new WebSocketTransport({
      url: hl.wsUrl,
      keepAlive: { interval: 100, timeout: 2000 },
    });
    closers.push(() => transport.close());
    const frames: { ctxs: [string, unknown[]][] }[] = [];
    const sub = new SubscriptionClient({ transport });
    await sub.allDexsAssetCtxs((d) => frames.push(d as never));
    await expect.poll(() => frames.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    expect(frames[0]?.ctxs.map(([d]) => d)).toEqual(['xyz', 'flx']);
    const viaWs = await new InfoClient({ transport }).perpDexs();
    expect(viaWs[1]?.name).toBe('xyz');
    expect(hl.requests.some((r) => r.endpoint === 'ws-post' && r.type === 'perpDexs')).toBe(true);
  });

  it('wsDrop silent: the socket stays open but mute; the SDK keep-alive reconnects and frames resume', async () => {
    const clock = createScaledClock({ scale: 10, startMs: T0 });
    const hl = await startHyperliquidReplay({ clock, tickMs: 1000 });
    running.push(hl);
    const transport = new WebSocketTransport({
      url: hl.wsUrl,
      keepAlive: { interval: 200, timeout: 300 },
      reconnect: { reconnectionDelay: 50 },
    });
    closers.push(() => transport.close());
    let count = 0;
    await new SubscriptionClient({ transport }).allDexsAssetCtxs(() => {
      count += 1;
    });
    await expect.poll(() => count, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    hl.apply({ type: 'wsDrop', mode: 'silent' });
    const at = count;
    await expect.poll(() => hl.connectionsAccepted, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => count, { timeout: 5000 }).toBeGreaterThan(at + 1);
  });

  it('emits one malformed frame of every kind, each followed by good frames', async () => {
    const { hl, clock } = await manual();
    const ws = new WebSocket(hl.wsUrl);
    closers.push(() => ws.terminate());
    const got: string[] = [];
    ws.on('message', (d) => got.push(String(d)));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ method: 'subscribe', subscription: { type: 'allDexsAssetCtxs' } }));
    await expect.poll(() => got.length).toBeGreaterThanOrEqual(2);
    hl.apply({ type: 'malformedFrames', kinds: malformedFrameKinds });
    run(hl, clock, 1000);
    await expect.poll(() => got.length).toBeGreaterThanOrEqual(2 + malformedFrameKinds.length + 1);
    const bad = got.slice(2, 2 + malformedFrameKinds.length);
    expect(() => JSON.parse(bad[0]!)).toThrow();
    expect(bad.some((f) => f.includes('"NaN"'))).toBe(true);
    expect(JSON.parse(got.at(-1)!).data.ctxs[0][0]).toBe('xyz');
  });

  it('answers JSON that is not a request object (null, a number) with an error frame and keeps serving', async () => {
    const { hl } = await manual();
    const ws = new WebSocket(hl.wsUrl);
    closers.push(() => ws.terminate());
    const got: string[] = [];
    ws.on('message', (d) => got.push(String(d)));
    await new Promise((r) => ws.once('open', r));
    ws.send('null');
    ws.send('42');
    ws.send(JSON.stringify({ method: 'ping' }));
    await expect.poll(() => got.length).toBe(3);
    expect(JSON.parse(got[0]!)).toEqual({
      channel: 'error',
      data: 'Error parsing JSON into valid websocket request: null',
    });
    expect(JSON.parse(got[1]!).channel).toBe('error');
    expect(JSON.parse(got[2]!)).toEqual({ channel: 'pong' });
  });

  it('answers a post whose handler fails (account on an unknown coin) with an error and keeps serving', async () => {
    const { hl } = await manual();
    const user = '0x2222222222222222222222222222222222222222';
    hl.setAccount(user, 'xyz', {
      crossRawUsd: '100.0',
      positions: [
        { coin: 'xyz:NOPE', szi: '1.0', entryPx: '1.0', leverage: { type: 'cross', value: 2 } },
      ],
    });
    const ws = new WebSocket(hl.wsUrl);
    closers.push(() => ws.terminate());
    const got: string[] = [];
    ws.on('message', (d) => got.push(String(d)));
    await new Promise((r) => ws.once('open', r));
    const payload = { type: 'clearinghouseState', user, dex: 'xyz' };
    ws.send(JSON.stringify({ method: 'post', id: 7, request: { type: 'info', payload } }));
    ws.send(JSON.stringify({ method: 'ping' }));
    await expect.poll(() => got.length).toBe(2);
    const post = JSON.parse(got[0]!);
    expect(post.data.id).toBe(7);
    expect(post.data.response.type).toBe('error');
    expect(post.data.response.payload).toContain('xyz:NOPE');
    expect(JSON.parse(got[1]!)).toEqual({ channel: 'pong' });
  });

  it('answers an HTTP request whose handler fails with 500 and the reason, and records it', async () => {
    const { hl } = await manual();
    const user = '0x3333333333333333333333333333333333333333';
    hl.setAccount(user, 'xyz', {
      crossRawUsd: '100.0',
      positions: [
        { coin: 'xyz:NOPE', szi: '1.0', entryPx: '1.0', leverage: { type: 'cross', value: 2 } },
      ],
    });
    const res = await fetch(`${hl.url}/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'clearinghouseState', user, dex: 'xyz' }),
    });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('xyz:NOPE');
    expect(hl.requests.at(-1)).toMatchObject({ type: 'clearinghouseState', status: 500 });
  });
});
