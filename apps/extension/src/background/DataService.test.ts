import {
  createManualClock,
  type HyperliquidReplay,
  startHyperliquidReplay,
} from '@perpscope/devnet';
import type { RiskSummary, RiskSummaryChain } from '@perpscope/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelLines } from '../content/PageController.js';
import { RequestBudget } from '../net/RequestBudget.js';
import { DEFAULT_SETTINGS, type Settings } from '../storage/settings.js';
import { formatBadge, formatChain } from '../ui/formatBadge.js';
import { DataService } from './DataService.js';

// Integration: the real Hyperliquid replay server (@perpscope/devnet) over real HTTP.
const USER = '0x00000000000000000000000000000000000000a1';
let hl: HyperliquidReplay;

beforeAll(async () => {
  hl = await startHyperliquidReplay({
    clock: createManualClock(Date.UTC(2026, 1, 6)),
    tickMs: null,
    dexes: ['', 'xyz'],
    accounts: {
      [USER]: {
        '': {
          crossRawUsd: '-20000',
          positions: [
            { coin: 'BTC', szi: '0.5', entryPx: '60000', leverage: { type: 'cross', value: 10 } },
            { coin: 'ETH', szi: '-4', entryPx: '2100', leverage: { type: 'cross', value: 10 } },
          ],
        },
        xyz: {
          crossRawUsd: '0',
          positions: [
            {
              coin: 'xyz:TSLA',
              szi: '10',
              entryPx: '390',
              leverage: { type: 'isolated', value: 5, rawUsd: '-3200' },
            },
          ],
        },
      },
    },
  });
});
afterAll(() => hl.stop());

const settings: Settings = { ...DEFAULT_SETTINGS, addresses: [USER] };

describe('DataService against the replay server', () => {
  it('reads positions on every dex (HIP-3 included) and agrees with HL liquidation prices', async () => {
    let t = 1_000_000;
    const service = new DataService({
      fetch: withMode(() => 'default'),
      now: () => t,
      apiBase: hl.url,
      budget: new RequestBudget({ maxWeight: 600, windowMs: 60_000 }),
    });
    await service.refresh(settings);
    t += 20_000; // second pass: metaAndAssetCtxs for the dexes that hold positions is in
    const snap = await service.refresh(settings);
    expect(snap.positions.map((p) => p.coin).sort()).toEqual(['BTC', 'ETH', 'xyz:TSLA']);
    for (const p of snap.positions) {
      expect(p.liqCheck).toBe('agree');
      expect(p.distancePct).not.toBeNull();
    }
    // Sorted by distance, closest first.
    const d = snap.positions.map((p) => p.distancePct ?? Infinity);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    // Funding APR from the ctx (hourly rate × 8760), for a coin on screen.
    const btc = snap.markets.find((m) => m.coin === 'BTC');
    expect(btc?.fundingApr).toBeCloseTo(Number(hl.ctxOf('BTC')?.funding) * 8760, 12);
    expect(btc?.oracleStatus).toBe('unknown');
  });

  it('measures σ from a day of hourly candles when the API serves them', async () => {
    // The replay server has no candleSnapshot: serve one (alternating closes) in front of it.
    const closes = Array.from({ length: 25 }, (_, i) => (i % 2 ? '101' : '100'));
    const withCandles: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body ?? '{}')) as { type?: string };
      if (body.type !== 'candleSnapshot') return fetch(input, init);
      return Response.json(closes.map((c, i) => ({ t: i * 3_600_000, c })));
    };
    let t = 9_000_000;
    const service = new DataService({
      fetch: withCandles,
      now: () => t,
      apiBase: hl.url,
      budget: new RequestBudget({ maxWeight: 600, windowMs: 60_000 }),
    });
    await service.refresh(settings);
    t += 20_000;
    const snap = await service.refresh(settings);
    const eth = snap.positions.find((p) => p.coin === 'ETH');
    // Independent: sample sd of hourly log returns, σ over one day = sd·√24; distance in σ = d / σ.
    const r = closes.slice(1).map((c, i) => Math.log(Number(c) / Number(closes[i])));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
    expect(eth?.distanceSigma).toBeCloseTo((eth?.distancePct ?? 0) / 100 / (sd * Math.sqrt(24)), 9);
  });

  it('flags a venue liquidation price that disagrees, and unified accounts as not computable', async () => {
    // In front of the replay: HL's liquidationPx for ETH is shifted by 1 %, and the user is unified.
    let unified = false;
    const tampered: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body ?? '{}')) as { type?: string };
      if (body.type === 'userAbstraction')
        return Response.json(unified ? 'unifiedAccount' : 'default');
      const res = await fetch(input, init);
      if (body.type !== 'clearinghouseState') return res;
      const json = (await res.json()) as {
        assetPositions: { position: { coin: string; liquidationPx: string | null } }[];
      };
      for (const { position } of json.assetPositions) {
        if (position.coin === 'ETH' && position.liquidationPx)
          position.liquidationPx = String(Number(position.liquidationPx) * 1.01);
      }
      return Response.json(json);
    };
    let t = 20_000_000;
    const make = () =>
      new DataService({
        fetch: tampered,
        now: () => t,
        apiBase: hl.url,
        budget: new RequestBudget({ maxWeight: 600, windowMs: 60_000 }),
      });
    let service = make();
    await service.refresh(settings);
    t += 20_000;
    let snap = await service.refresh(settings);
    const eth = snap.positions.find((p) => p.coin === 'ETH');
    expect(eth?.liqCheck).toBe('disagree');
    expect(Number(eth?.venueLiqPx) / Number(eth?.liqPx)).toBeCloseTo(1.01, 6);
    expect(snap.positions.find((p) => p.coin === 'BTC')?.liqCheck).toBe('agree');

    unified = true;
    service = make();
    await service.refresh(settings);
    t += 20_000;
    snap = await service.refresh(settings);
    for (const p of snap.positions) {
      expect(p.liqCheck).toBe('not-computable');
      expect(p.liqPx).toBeNull();
      // The distance falls back to HL's own liquidation price.
      expect(p.distancePct).toBeCloseTo(
        (Math.abs(Number(p.markPx) - Number(p.venueLiqPx)) / Number(p.markPx)) * 100,
        3,
      );
    }
  });

  it('computes Aevo distance and health from page numbers, and forgets them when the tab stops reporting', async () => {
    let t = 30_000_000;
    const service = new DataService({
      fetch,
      now: () => t,
      apiBase: hl.url,
      budget: new RequestBudget({ maxWeight: 600, windowMs: 60_000 }),
    });
    service.setAevoPage({
      positions: [
        { instrument: 'ETH-PERP', side: 'long', size: '3.5', markPx: '1919.10', liqPx: '1530.40' },
      ],
      account: {
        balance: '1000',
        unrealizedPnl: '-200.5',
        openOrdersMargin: '300',
        maintenanceMargin: '600',
      },
    });
    let snap = await service.refresh({ ...settings, addresses: [] });
    const eth = snap.positions.find((p) => p.venue === 'aevo');
    expect(eth?.distancePct).toBeCloseTo(((1919.1 - 1530.4) / 1919.1) * 100, 9);
    // AB + UP − OO − MM = 1000 − 200.5 − 300 − 600 = −100.5 ≤ 0: liquidatable → critical whatever the distance.
    expect(eth?.healthBufferUsd).toBe(-100.5);
    expect(eth?.level).toBe('critical');
    t += 121_000;
    snap = await service.refresh({ ...settings, addresses: [] });
    expect(snap.positions).toEqual([]);
  });

  it('stays within its request budget and serves the cache when it is spent', async () => {
    let t = 5_000_000;
    const before = hl.requests.length;
    const service = new DataService({
      fetch,
      now: () => t,
      apiBase: hl.url,
      budget: new RequestBudget({ maxWeight: 40, windowMs: 60_000 }),
    });
    for (let i = 0; i < 15; i++) {
      await service.refresh(settings);
      t += 2_500;
    }
    const weights: Record<string, number> = {
      clearinghouseState: 2,
      metaAndAssetCtxs: 20,
      perpDexs: 20,
      userAbstraction: 20,
    };
    const spent = hl.requests.slice(before).reduce((s, r) => s + (weights[r.type] ?? 20), 0);
    expect(spent).toBeLessThanOrEqual(40);
    const snap = await service.refresh(settings);
    expect(snap.problems.join(' ')).toMatch(/request budget reached/);
  });
  it('never answers a refresh requested after a settings change with a run that started before it', async () => {
    let t = 40_000_000;
    const service = new DataService({
      fetch,
      now: () => t,
      apiBase: hl.url,
      budget: new RequestBudget({ maxWeight: 600, windowMs: 60_000 }),
    });
    const before = hl.requests.length;
    // Same settings while a run is under way: one shared run (one perpDexs request).
    const [a, b] = await Promise.all([
      service.refresh({ ...settings, addresses: [] }),
      service.refresh({ ...settings, addresses: [] }),
    ]);
    expect(b).toBe(a);
    expect(hl.requests.slice(before).filter((r) => r.type === 'perpDexs')).toHaveLength(1);
    // The user adds an address while a run with the old settings is in flight.
    t += 61_000;
    const stale = service.refresh({ ...settings, addresses: [] });
    const fresh = service.refresh({ ...settings, sites: { ...settings.sites, aevo: false } });
    expect((await stale).positions).toEqual([]);
    expect((await fresh).positions.map((p) => p.coin).sort()).toEqual(['BTC', 'ETH', 'xyz:TSLA']);
    expect((await fresh).sites.aevo).toBe(false);
    // A different focus coin is a different request too: its market must be in the answer.
    t += 61_000;
    const plain = service.refresh(settings);
    const focused = service.refresh(settings, { focusCoin: 'SOL' });
    expect((await plain).markets.map((m) => m.coin)).not.toContain('SOL');
    expect((await focused).markets.map((m) => m.coin)).toContain('SOL');
  });

  it('calls the watcher under the path prefix of its URL (reverse proxy)', async () => {
    const summary: RiskSummary = {
      generatedAtMs: 0,
      chains: [
        {
          chain: 'arbitrum-one',
          chainId: 42161,
          name: 'Arbitrum One',
          status: 'up',
          phase: 'normal',
          guidance: [],
          flags: { reorg: false, safeLagWarn: false, safeLagCrit: false, feedDown: false },
          headAgeSeconds: 1,
          statusSinceMs: 0,
        },
      ],
      markets: [],
      unknownCoins: [],
      unknownChains: [],
    };
    const watcherCalls: URL[] = [];
    // The proxy serves the watcher only under /perpscope/; anything else is its own 404.
    const proxied: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.origin !== 'https://proxy.test') return fetch(input, init);
      watcherCalls.push(url);
      return url.pathname === '/perpscope/v1/risk-summary'
        ? Response.json(summary)
        : new Response('not found', { status: 404 });
    };
    for (const watcherUrl of ['https://proxy.test/perpscope/', 'https://proxy.test/perpscope']) {
      const service = new DataService({
        fetch: proxied,
        now: () => 50_000_000,
        apiBase: hl.url,
        budget: new RequestBudget({ maxWeight: 600, windowMs: 60_000 }),
      });
      const snap = await service.refresh({ ...settings, watcherUrl });
      expect(watcherCalls.at(-1)?.pathname).toBe('/perpscope/v1/risk-summary');
      expect(watcherCalls.at(-1)?.searchParams.get('chains')).toBe('arbitrum-one,hyperevm,aevo');
      expect(snap.watcher).toBe('ok');
      expect(snap.chains.map((c) => c.id)).toEqual(['arbitrum-one']);
    }
  });

  it('does not spend budget on the dex of a focus coin the API does not list', async () => {
    // A HIP-3 front-end URL can name any `dex:COIN`; an unlisted dex answers HTTP 500 every time.
    let t = 5_000_000;
    const service = new DataService({
      fetch,
      now: () => t,
      apiBase: hl.url,
      budget: new RequestBudget({ maxWeight: 600, windowMs: 60_000 }),
    });
    const before = hl.requests.length;
    for (let i = 0; i < 3; i += 1) {
      await service.refresh(settings, { focusCoin: 'nodex:ABC' });
      t += 3_000;
    }
    const failedCtx = hl.requests
      .slice(before)
      .filter((r) => r.type === 'metaAndAssetCtxs' && r.status !== 200);
    expect(failedCtx).toEqual([]);
    // A listed dex's focus coin is still fetched.
    t += 20_000;
    const snap = await service.refresh(settings, { focusCoin: 'xyz:TSLA' });
    expect(snap.markets.map((m) => m.coin)).toContain('xyz:TSLA');
  });
});

/** Answers `userAbstraction` in front of `inner` (the replay server does not serve it). */
function withMode(mode: () => string | number, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const body = JSON.parse(String(init?.body ?? '{}')) as { type?: string };
    if (body.type !== 'userAbstraction') return inner(input, init);
    const m = mode();
    return typeof m === 'number' ? new Response('', { status: m }) : Response.json(m);
  };
}

/** Shifts HL's `liquidationPx` per coin by a factor, in front of `inner`. */
function shiftVenueLiq(factors: Record<string, number>, inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const body = JSON.parse(String(init?.body ?? '{}')) as { type?: string };
    const res = await inner(input, init);
    if (body.type !== 'clearinghouseState' || !res.ok) return res;
    const json = (await res.json()) as {
      assetPositions: { position: { coin: string; liquidationPx: string | null } }[];
    };
    for (const { position } of json.assetPositions) {
      const f = factors[position.coin];
      if (f && position.liquidationPx)
        position.liquidationPx = String(Number(position.liquidationPx) * f);
    }
    return Response.json(json);
  };
}

const budget = () => new RequestBudget({ maxWeight: 600, windowMs: 60_000 });
const STALE = { staleAfterMs: 9_000 };

describe('freshness: an error, a 429 or a budget skip never leaves a fresh-looking number', () => {
  it('turns badges grey "stale · 30 s" without a risk colour while the info API answers 429', async () => {
    let failing = false;
    const f = withMode(
      () => 'default',
      async (input, init) => (failing ? new Response('', { status: 429 }) : fetch(input, init)),
    );
    let t = 60_000_000;
    const service = new DataService({ fetch: f, now: () => t, apiBase: hl.url, budget: budget() });
    await service.refresh(settings);
    t += 20_000;
    let snap = await service.refresh(settings);
    const fresh = snap.positions.find((p) => p.coin === 'BTC');
    if (!fresh) throw new Error('no BTC position');
    expect(formatBadge(fresh, { nowMs: t + 1_000, ...STALE }).text).toMatch(/^Liq \d/);
    failing = true;
    t += 30_000;
    snap = await service.refresh(settings);
    expect(snap.problems.join(' ')).toMatch(/HTTP 429/);
    const btc = snap.positions.find((p) => p.coin === 'BTC');
    if (!btc) throw new Error('no BTC position');
    const badge = formatBadge(btc, { nowMs: t, ...STALE });
    expect(badge.text).toMatch(/^stale · 30 s · Liq /);
    expect(badge.level).toBe('stale');
  });

  it('marks a position stale at once when its refresh was skipped by the request budget', async () => {
    let t = 70_000_000;
    const tight = new RequestBudget({ maxWeight: 600, windowMs: 60_000 });
    const service = new DataService({
      fetch: withMode(() => 'default'),
      now: () => t,
      apiBase: hl.url,
      budget: tight,
    });
    await service.refresh(settings);
    t += 3_000;
    // Spend the rest of the window: the next state refresh does not fit.
    tight.tryTake(tight.remaining(t), t);
    const snap = await service.refresh(settings);
    expect(snap.problems.join(' ')).toMatch(/request budget reached/);
    const btc = snap.positions.find((p) => p.coin === 'BTC');
    if (!btc) throw new Error('no BTC position');
    expect(formatBadge(btc, { nowMs: t, ...STALE }).text).toMatch(/^stale · 3 s · /);
  });

  it('keeps chain lines visible, marked stale, when the watcher stops answering', async () => {
    let up = true;
    const summary = (status: RiskSummaryChain['status']): RiskSummary => ({
      generatedAtMs: 0,
      chains: [chainOf('arbitrum-one', status, 0)],
      markets: [],
      unknownCoins: [],
      unknownChains: [],
    });
    const f: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.origin !== 'https://watcher.test') return withMode(() => 'default')(input, init);
      return up ? Response.json(summary('up')) : new Response('', { status: 500 });
    };
    let t = 80_000_000;
    const service = new DataService({ fetch: f, now: () => t, apiBase: hl.url, budget: budget() });
    const s = { ...settings, watcherUrl: 'https://watcher.test' };
    let snap = await service.refresh(s);
    expect(snap.chains.map((c) => formatChain(c, { nowMs: t, ...STALE }))).toEqual([
      'Arbitrum One: up — normal · 0 s',
    ]);
    up = false;
    t += 42_000;
    snap = await service.refresh(s);
    expect(snap.watcher).toBe('error');
    expect(snap.chains.map((c) => formatChain(c, { nowMs: t, ...STALE }))).toEqual([
      'Arbitrum One: stale · 42 s (up — normal)',
    ]);
    // A watcher never reached: the configured chains are listed as unknown, not left out.
    const never = new DataService({ fetch: f, now: () => t, apiBase: hl.url, budget: budget() });
    snap = await never.refresh(s);
    expect(snap.chains.map((c) => [c.id, c.status])).toEqual([
      ['arbitrum-one', 'unknown'],
      ['hyperevm', 'unknown'],
      ['aevo', 'unknown'],
    ]);
  });
});

describe('conservative liquidation headline', () => {
  it('headlines the nearer of our and HL liquidation prices and says which, HL prices rounded like the page', async () => {
    // BTC (long): HL's liquidation price 3 % higher = nearer the mark. ETH (short): HL's 3 % higher = farther.
    const f = withMode(() => 'default', shiftVenueLiq({ BTC: 1.03, ETH: 1.03 }, fetch));
    let t = 90_000_000;
    const service = new DataService({ fetch: f, now: () => t, apiBase: hl.url, budget: budget() });
    await service.refresh(settings);
    t += 20_000;
    const snap = await service.refresh(settings);
    const dist = (mark: string | null, liq: string | null) =>
      (Math.abs(Number(mark) - Number(liq)) / Number(mark)) * 100;
    const btc = snap.positions.find((p) => p.coin === 'BTC');
    const eth = snap.positions.find((p) => p.coin === 'ETH');
    if (!btc || !eth) throw new Error('missing positions');
    expect(btc.liqCheck).toBe('disagree');
    expect(btc.distancePct).toBeCloseTo(dist(btc.markPx, btc.venueLiqPx), 9);
    // liqPx is shown to 8 significant digits, so compare to 5 decimals.
    expect(eth.distancePct).toBeCloseTo(dist(eth.markPx, eth.liqPx), 5);
    // The page shows 5 significant figures, integers from 100,000 (venues.md §1: "5,535.1", "66,344").
    const page = (px: string | null) => {
      const x = Number(px);
      return x >= 100_000
        ? Math.round(x).toLocaleString('en-US')
        : Number(x.toPrecision(5)).toLocaleString('en-US', { maximumFractionDigits: 10 });
    };
    const now = { nowMs: t, ...STALE };
    expect(formatBadge(btc, now).text).toContain(`HL liq ${page(btc.venueLiqPx)} (nearer)`);
    expect(formatBadge(eth, now).text).toContain(`our liq ${page(eth.liqPx)} (nearer)`);
  });

  it.each([
    ['HTTP 500', 500],
    ['dexAbstraction (not handled yet)', 'dexAbstraction'],
    ['unifiedAccount', 'unifiedAccount'],
  ] as const)(
    'an account whose mode lookup gives %s is not computable: HL price headlines',
    async (_, mode) => {
      const f = withMode(() => mode, shiftVenueLiq({ ETH: 1.01 }, fetch));
      let t = 100_000_000;
      const service = new DataService({
        fetch: f,
        now: () => t,
        apiBase: hl.url,
        budget: budget(),
      });
      await service.refresh(settings);
      t += 20_000;
      const snap = await service.refresh(settings);
      for (const p of snap.positions) {
        expect(p.liqCheck).toBe('not-computable');
        expect(p.liqPx).toBeNull();
        expect(p.distancePct).toBeCloseTo(
          (Math.abs(Number(p.markPx) - Number(p.venueLiqPx)) / Number(p.markPx)) * 100,
          9,
        );
      }
    },
  );

  it('an account whose mode lookup was skipped by the request budget is not computable', async () => {
    const t = 110_000_000;
    const tight = new RequestBudget({ maxWeight: 600, windowMs: 60_000 });
    // Everything before the mode lookup fits; the lookup (weight 20) does not.
    const service = new DataService({
      fetch: withMode(
        () => 'default',
        async (input, init) => {
          const res = await fetch(input, init);
          const body = JSON.parse(String(init?.body ?? '{}')) as { type?: string };
          if (body.type === 'metaAndAssetCtxs') tight.tryTake(tight.remaining(t), t);
          return res;
        },
      ),
      now: () => t,
      apiBase: hl.url,
      budget: tight,
    });
    const snap = await service.refresh(settings);
    expect(snap.problems.join(' ')).toMatch(/userAbstraction/);
    expect(snap.positions.length).toBeGreaterThan(0);
    for (const p of snap.positions) expect(p.liqCheck).toBe('not-computable');
  });
});

function chainOf(
  chain: string,
  status: RiskSummaryChain['status'],
  statusSinceMs: number,
): RiskSummaryChain {
  const phase = {
    up: 'normal',
    degraded: 'pre-halt',
    halted: 'halted',
    recovering: 'recovering',
    unknown: 'unknown',
  } as const;
  return {
    chain,
    chainId: chain === 'arbitrum-one' ? 42161 : 999,
    name: chain === 'arbitrum-one' ? 'Arbitrum One' : chain,
    status,
    phase: phase[status],
    guidance: status === 'up' ? [] : ['DEX prices on this chain are frozen.'],
    flags: { reorg: false, safeLagWarn: false, safeLagCrit: false, feedDown: false },
    headAgeSeconds: 1,
    statusSinceMs,
  };
}

describe('halts follow the venue’s dependency on the chain (research/venues.md §6)', () => {
  /** A data service reading a watcher whose Arbitrum status the test sets. */
  function withWatcher(params: {
    status: () => [RiskSummaryChain['status'], number];
    now: () => number;
    impacts?: ConstructorParameters<typeof DataService>[0]['impacts'];
  }) {
    const f: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.origin !== 'https://watcher.test') return withMode(() => 'default')(input, init);
      const [status, since] = params.status();
      return Response.json({
        generatedAtMs: 0,
        chains: [chainOf('arbitrum-one', status, since)],
        markets: [],
        unknownCoins: [],
        unknownChains: [],
      } satisfies RiskSummary);
    };
    return new DataService({
      fetch: f,
      now: params.now,
      apiBase: hl.url,
      budget: budget(),
      ...(params.impacts ? { impacts: params.impacts } : {}),
    });
  }
  const s = { ...settings, watcherUrl: 'https://watcher.test' };
  /** Thresholds that put BTC's distance `d` at `ok` normally and `warn` when doubled. */
  const around = (d: number) => ({ warnPct: d * 0.75, criticalPct: d * 0.3, haltMultiplier: 2 });

  it('an Arbitrum halt changes no Hyperliquid threshold and shows the bridge note instead', async () => {
    let t = 120_000_000;
    let status: [RiskSummaryChain['status'], number] = ['up', 0];
    const service = withWatcher({ status: () => status, now: () => t });
    await service.refresh(s);
    t += 20_000;
    const d = (await service.refresh(s)).positions.find((p) => p.coin === 'BTC')?.distancePct ?? 0;
    const th = { ...s, thresholds: around(d) };
    status = ['halted', t];
    t += 3_000;
    const snap = await service.refresh(th);
    expect(snap.positions.find((p) => p.coin === 'BTC')?.level).toBe('ok');
    const lines = panelLines(snap, {
      venue: 'hyperliquid',
      focus: null,
      chainIds: null,
      listPositions: false,
      nowMs: t,
    }).map((l) => l.text);
    expect(lines).toContain(
      'Arbitrum One halted: deposits and withdrawals via the Arbitrum bridge are stalled; Hyperliquid trading, prices and liquidations are unaffected.',
    );
    expect(lines.join(' ')).not.toMatch(/frozen|thresholds multiplied/);
  });

  it('a prices dependency doubles thresholds and holds them through recovering until up for 30 min', async () => {
    let t = 130_000_000;
    let status: [RiskSummaryChain['status'], number] = ['up', 0];
    const service = withWatcher({
      status: () => status,
      now: () => t,
      // As for an L2-native perp venue (GMX on Arbitrum); the extension reads Hyperliquid positions only.
      impacts: { hyperliquid: [{ chain: 'arbitrum-one', kind: 'prices' }] },
    });
    await service.refresh(s);
    t += 20_000;
    const d = (await service.refresh(s)).positions.find((p) => p.coin === 'BTC')?.distancePct ?? 0;
    const th = { ...s, thresholds: around(d) };
    const level = async () =>
      (await service.refresh(th)).positions.find((p) => p.coin === 'BTC')?.level;
    expect(await level()).toBe('ok');
    status = ['halted', t];
    t += 3_000;
    expect(await level()).toBe('warn');
    status = ['recovering', t];
    t += 3_000;
    expect(await level()).toBe('warn');
    status = ['up', t];
    const upAt = t;
    t = upAt + 29 * 60_000;
    expect(await level()).toBe('warn');
    t = upAt + 31 * 60_000;
    expect(await level()).toBe('ok');
  });

  it('keeps a hold across a service-worker restart through the exported halt memory', async () => {
    let t = 140_000_000;
    let status: [RiskSummaryChain['status'], number] = ['halted', t];
    const impacts = { hyperliquid: [{ chain: 'arbitrum-one', kind: 'prices' as const }] };
    const first = withWatcher({ status: () => status, now: () => t, impacts });
    await first.refresh(s);
    t += 20_000;
    const d = (await first.refresh(s)).positions.find((p) => p.coin === 'BTC')?.distancePct ?? 0;
    const th = { ...s, thresholds: around(d) };
    status = ['up', t];
    t += 5 * 60_000;
    // A fresh worker that saw no halt: up for 5 min is normal, unless it restores the memory.
    const forgetful = withWatcher({ status: () => status, now: () => t, impacts });
    await forgetful.refresh(th);
    t += 20_000;
    const lost = (await forgetful.refresh(th)).positions.find((p) => p.coin === 'BTC');
    expect([lost?.haltMultiplied, lost?.level]).toEqual([false, 'ok']);
    const restored = withWatcher({ status: () => status, now: () => t, impacts });
    restored.importHaltMemory(JSON.parse(JSON.stringify(first.exportHaltMemory())));
    await restored.refresh(th);
    t += 20_000;
    const btc = (await restored.refresh(th)).positions.find((p) => p.coin === 'BTC');
    expect([btc?.haltMultiplied, btc?.level]).toEqual([true, 'warn']);
  });
});
