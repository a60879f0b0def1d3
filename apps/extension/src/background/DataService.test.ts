import { createHash } from 'node:crypto';
import {
  createManualClock,
  type HyperliquidReplay,
  startHyperliquidReplay,
  unifiedAccountPreset,
} from '@perpscope/devnet';
import { createWeightAccountant } from '@perpscope/hyperliquid';
import type { GuardedAccount, RiskSummary, RiskSummaryChain } from '@perpscope/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelLines } from '../content/PageController.js';
import { whatIf } from '../risk/whatIf.js';
import { PAGE_POLL_MS } from '../sites.js';
import { DEFAULT_SETTINGS, type Settings } from '../storage/settings.js';
import { formatBadge, formatChain, formatGuard } from '../ui/formatBadge.js';
import { addressHash, DataService } from './DataService.js';

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
      fetch,
      now: () => t,
      apiBase: hl.url,
      budget: createWeightAccountant({ budget: 600, now: () => t }),
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
      budget: createWeightAccountant({ budget: 600, now: () => t }),
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

  it('flags a venue liquidation price that disagrees', async () => {
    // In front of the replay: HL's liquidationPx for ETH is shifted by 1 %.
    const tampered: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body ?? '{}')) as { type?: string };
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
        budget: createWeightAccountant({ budget: 600, now: () => t }),
      });
    const service = make();
    await service.refresh(settings);
    t += 20_000;
    const snap = await service.refresh(settings);
    const eth = snap.positions.find((p) => p.coin === 'ETH');
    expect(eth?.liqCheck).toBe('disagree');
    expect(Number(eth?.venueLiqPx) / Number(eth?.liqPx)).toBeCloseTo(1.01, 6);
    expect(snap.positions.find((p) => p.coin === 'BTC')?.liqCheck).toBe('agree');
  });

  it('computes Aevo distance and health from page numbers, and forgets them when the tab stops reporting', async () => {
    let t = 30_000_000;
    const service = new DataService({
      fetch,
      now: () => t,
      apiBase: hl.url,
      budget: createWeightAccountant({ budget: 600, now: () => t }),
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
      budget: createWeightAccountant({ budget: 40, now: () => t }),
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
      spotClearinghouseState: 2,
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
      budget: createWeightAccountant({ budget: 600, now: () => t }),
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
      if (url.pathname === '/perpscope/v1/positions') return Response.json({ accounts: [] });
      return url.pathname === '/perpscope/v1/risk-summary'
        ? Response.json(summary)
        : new Response('not found', { status: 404 });
    };
    for (const watcherUrl of ['https://proxy.test/perpscope/', 'https://proxy.test/perpscope']) {
      const service = new DataService({
        fetch: proxied,
        now: () => 50_000_000,
        apiBase: hl.url,
        budget: createWeightAccountant({ budget: 600, now: () => 50_000_000 }),
      });
      watcherCalls.length = 0;
      const snap = await service.refresh({ ...settings, watcherUrl });
      expect(watcherCalls.map((u) => u.pathname).sort()).toEqual([
        '/perpscope/v1/positions',
        '/perpscope/v1/risk-summary',
      ]);
      const riskCall = watcherCalls.find((u) => u.pathname.endsWith('/risk-summary'));
      expect(riskCall?.searchParams.get('chains')).toBe('arbitrum-one,hyperevm,aevo');
      expect(snap.watcher).toBe('ok');
      // The guard list came through the prefix too: answered, guarding nothing.
      expect(snap.guards[USER]).toMatchObject({ on: false, staleReason: null });
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
      budget: createWeightAccountant({ budget: 600, now: () => t }),
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

/**
 * Answers `userAbstraction` in front of `inner` with a mode (or an HTTP status) the replay server
 * would not give: it answers the users it knows itself.
 */
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

const budget = (now: () => number) => createWeightAccountant({ budget: 600, now });
const STALE = { staleAfterMs: 9_000 };

describe('freshness: an error, a 429 or a budget skip never leaves a fresh-looking number', () => {
  it('turns badges grey "stale · 30 s" without a risk colour while the info API answers 429', async () => {
    let failing = false;
    const f: typeof fetch = async (input, init) =>
      failing ? new Response('', { status: 429 }) : fetch(input, init);
    let t = 60_000_000;
    const service = new DataService({
      fetch: f,
      now: () => t,
      apiBase: hl.url,
      budget: budget(() => t),
    });
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
    const tight = createWeightAccountant({ budget: 600, now: () => t });
    const service = new DataService({
      fetch,
      now: () => t,
      apiBase: hl.url,
      budget: tight,
    });
    await service.refresh(settings);
    t += 3_000;
    // Spend the rest of the window: the next state refresh does not fit.
    tight.tryAcquire(tight.budget - tight.used());
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
      if (url.origin !== 'https://watcher.test') return fetch(input, init);
      return up ? Response.json(summary('up')) : new Response('', { status: 500 });
    };
    let t = 80_000_000;
    const service = new DataService({
      fetch: f,
      now: () => t,
      apiBase: hl.url,
      budget: budget(() => t),
    });
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
    const never = new DataService({
      fetch: f,
      now: () => t,
      apiBase: hl.url,
      budget: budget(() => t),
    });
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
    const f = shiftVenueLiq({ BTC: 1.03, ETH: 1.03 }, fetch);
    let t = 90_000_000;
    const service = new DataService({
      fetch: f,
      now: () => t,
      apiBase: hl.url,
      budget: budget(() => t),
    });
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
    ['HTTP 500', 500, 'account mode unknown'],
    ['a mode the math does not know', 'someFutureMode', 'account mode someFutureMode not handled'],
  ] as const)(
    'an account whose mode lookup gives %s is not computable: HL price headlines',
    async (_, mode, reason) => {
      const f = withMode(() => mode, shiftVenueLiq({ ETH: 1.01 }, fetch));
      let t = 100_000_000;
      const service = new DataService({
        fetch: f,
        now: () => t,
        apiBase: hl.url,
        budget: budget(() => t),
      });
      await service.refresh(settings);
      t += 20_000;
      const snap = await service.refresh(settings);
      expect(snap.positions).toHaveLength(3);
      for (const p of snap.positions) {
        expect(p.liqCheck).toBe('not-computable');
        expect(p.liqReason).toBe(reason);
        expect(p.liqPx).toBeNull();
        expect(formatBadge(p, { nowMs: t, ...STALE }).text).toContain(`HL liq only (${reason})`);
        expect(p.distancePct).toBeCloseTo(
          (Math.abs(Number(p.markPx) - Number(p.venueLiqPx)) / Number(p.markPx)) * 100,
          9,
        );
      }
    },
  );

  it('an account whose mode lookup was skipped by the request budget is not computable', async () => {
    const t = 110_000_000;
    // First poll, in priority order: perpDexs 20, then one round: spot balances 2 (mode still
    // unknown), the states of both dexes 2 + 2, the mode lookup 20. 45 leaves it out (and the
    // market data of the held dexes, 20 each, after the round).
    const service = new DataService({
      fetch,
      now: () => t,
      apiBase: hl.url,
      budget: createWeightAccountant({ budget: 45, now: () => t }),
    });
    const snap = await service.refresh(settings);
    expect(snap.problems.join(' ')).toMatch(/served from cache: .*userAbstraction/);
    expect(snap.positions.map((p) => p.coin).sort()).toEqual(['BTC', 'ETH', 'xyz:TSLA']);
    for (const p of snap.positions) {
      expect([p.liqCheck, p.liqReason, p.accountMode]).toEqual([
        'not-computable',
        'account mode unknown',
        null,
      ]);
      expect(p.headline).toBe('venue');
    }
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
      if (url.origin !== 'https://watcher.test') return fetch(input, init);
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
      budget: budget(params.now),
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
    // The halt line's amounts: to the doubled warn distance, from BTC's cross pool.
    const halted = (await service.refresh(th)).positions.find((p) => p.coin === 'BTC');
    expect(halted?.haltPlan).toMatchObject({
      keepPct: th.thresholds.warnPct * 2,
      collateralSymbol: 'USDC',
      note: null,
    });
    expect(Number(halted?.haltPlan?.addCollateral)).toBeGreaterThan(0);
    expect(halted?.haltPlan?.cutPct).toBeGreaterThan(0);
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

/** `clearinghouseState` of `user` on `dex`, straight from the replay server. */
async function replayState(user: string, dex: string) {
  const res = await fetch(`${hl.url}/info`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'clearinghouseState', user, dex }),
  });
  return (await res.json()) as {
    crossMarginSummary: { accountValue: string };
    assetPositions: {
      position: {
        coin: string;
        szi: string;
        positionValue: string;
        liquidationPx: string | null;
        maxLeverage: number;
        leverage: { type: string };
      };
    }[];
  };
}

/** A data service for `user` after two polls (the second has the market data of its dexes). */
async function twoPolls(user: string, f: typeof fetch = fetch, t0 = 200_000_000) {
  let t = t0;
  const service = new DataService({
    fetch: f,
    now: () => t,
    apiBase: hl.url,
    budget: budget(() => t),
  });
  const s = { ...settings, addresses: [user] };
  await service.refresh(s);
  t += 20_000;
  const snap = await service.refresh(s);
  return { service, snap, s, t, advance: (ms: number) => (t += ms) };
}

describe('account modes (issue 12): unified, DEX abstraction, portfolio margin', () => {
  const DEXABS = '0x00000000000000000000000000000000000000d0';
  const PM = '0x00000000000000000000000000000000000000e0';
  beforeAll(() => {
    hl.setUser(unifiedAccountPreset.user, unifiedAccountPreset.mode);
    for (const [dex, account] of Object.entries(unifiedAccountPreset.accounts))
      hl.setAccount(unifiedAccountPreset.user, dex, account);
    hl.setUser(DEXABS, { abstraction: 'dexAbstraction' });
    hl.setAccount(DEXABS, '', {
      crossRawUsd: '-27000',
      positions: [
        { coin: 'BTC', szi: '0.5', entryPx: '60000', leverage: { type: 'cross', value: 10 } },
      ],
    });
    // A USDC balance on xyz without positions: under DEX abstraction it backs the main dex too.
    hl.setAccount(DEXABS, 'xyz', { crossRawUsd: '1500', positions: [] });
    hl.setUser(PM, {
      abstraction: 'portfolioMargin',
      spot: [{ coin: 'USDC', token: 0, cash: '5000.0' }],
    });
    for (const [dex, account] of Object.entries(unifiedAccountPreset.accounts))
      hl.setAccount(PM, dex, account);
  });

  it('a unified account across two dexes gets our price, agreeing with the liquidationPx the replay computes from the spot pool', async () => {
    const { snap } = await twoPolls(unifiedAccountPreset.user);
    const mine = snap.positions.filter((p) => p.account === unifiedAccountPreset.user);
    expect(mine.map((p) => [p.coin, p.dex]).sort()).toEqual([
      ['BTC', ''],
      ['ETH', ''],
      ['xyz:XYZ100', 'xyz'],
    ]);
    // The replay's liquidationPx follows the unified pool (float64, independent of @perpscope/math).
    const venue = new Map<string, string | null>();
    for (const dex of ['', 'xyz'])
      for (const { position } of (await replayState(unifiedAccountPreset.user, dex)).assetPositions)
        venue.set(position.coin, position.liquidationPx);
    for (const p of mine) {
      expect([p.accountMode, p.liqCheck, p.liqReason]).toEqual(['unifiedAccount', 'agree', null]);
      const theirs = Number(venue.get(p.coin));
      expect(Math.abs(Number(p.liqPx) - theirs) / theirs).toBeLessThan(1e-6);
      expect(p.distancePct).toBeCloseTo(
        (Math.abs(Number(p.markPx) - theirs) / Number(p.markPx)) * 100,
        4,
      );
      expect(p.staleReason).toBeNull();
      // The what-if basis is the mode's pool: with no change (a cross leverage change moves
      // nothing) the what-if price is the replay's own unified liquidationPx, not a perp-only one.
      if (!p.basis) throw new Error(`no what-if basis for ${p.coin}: ${p.basisReason}`);
      if (p.basis.marginMode === 'cross') {
        const same = whatIf(p.basis, { kind: 'leverage', text: '2' });
        if (!same.ok) throw new Error(same.error);
        expect(Math.abs(Number(same.liquidationPx) - theirs) / theirs).toBeLessThan(1e-6);
      }
    }
  });

  it('DEX abstraction: the USDC dexes share the main dex collateral (the xyz balance counts)', async () => {
    const { snap, t } = await twoPolls(DEXABS, fetch, 210_000_000);
    const btc = snap.positions.find((p) => p.account === DEXABS && p.coin === 'BTC');
    if (!btc) throw new Error('no BTC position');
    expect(btc.accountMode).toBe('dexAbstraction');
    // The xyz balance is an input: polled with the positions, not at the idle dexes' minute.
    expect([btc.dataAt, btc.staleReason]).toEqual([t, null]);
    // Independent: cross liq = (s·P·q − pooled collateral) / (q·(s − mmr)), mmr = 1/(2·maxLeverage),
    // pooled collateral = main + xyz cross accountValue (BTC is the only position; first tier).
    const main = await replayState(DEXABS, '');
    const xyz = await replayState(DEXABS, 'xyz');
    const p = main.assetPositions[0]?.position;
    if (!p) throw new Error('no BTC on the replay');
    const q = Number(p.szi);
    const P = Number(p.positionValue) / q;
    const mmr = 1 / (2 * p.maxLeverage);
    const pooled =
      Number(main.crossMarginSummary.accountValue) + Number(xyz.crossMarginSummary.accountValue);
    expect(Number(xyz.crossMarginSummary.accountValue)).toBeGreaterThan(0);
    const liq = (P * q - pooled) / (q * (1 - mmr));
    expect(Number(btc.liqPx)).toBeCloseTo(liq, 2);
    // The replay reports the main dex alone (a nearer price): it headlines, flagged.
    expect(btc.liqCheck).toBe('disagree');
    expect(btc.headline).toBe('venue');
  });

  it('portfolio margin: cross positions are not solved, the venue’s price headlines with the reason; isolated ones are ours', async () => {
    const { snap, t } = await twoPolls(PM, fetch, 220_000_000);
    const mine = snap.positions.filter((p) => p.account === PM);
    const venueDist = (p: (typeof mine)[number]) =>
      (Math.abs(Number(p.markPx) - Number(p.venueLiqPx)) / Number(p.markPx)) * 100;
    for (const coin of ['BTC', 'ETH']) {
      const p = mine.find((x) => x.coin === coin);
      if (!p) throw new Error(`no ${coin}`);
      expect([p.accountMode, p.liqCheck, p.liqPx, p.headline]).toEqual([
        'portfolioMargin',
        'not-computable',
        null,
        'venue',
      ]);
      expect(p.distancePct).toBeCloseTo(venueDist(p), 9);
      expect(formatBadge(p, { nowMs: t, ...STALE }).text).toContain(
        'HL liq only (portfolio margin: cross positions not solved)',
      );
      // No what-if basis: the popup says the mode is not supported, never a perp-only figure.
      expect([p.basis, p.basisReason]).toEqual([
        null,
        'not available for portfolioMargin accounts (portfolio margin: cross positions not solved)',
      ]);
    }
    const iso = mine.find((x) => x.coin === 'xyz:XYZ100');
    expect([iso?.liqCheck, iso?.headline]).toEqual(['agree', 'ours']);
  });

  it('unified: spot balances skipped by the request budget mark every number stale at once', async () => {
    let t = 230_000_000;
    const tight = createWeightAccountant({ budget: 600, now: () => t });
    const service = new DataService({ fetch, now: () => t, apiBase: hl.url, budget: tight });
    const s = { ...settings, addresses: [unifiedAccountPreset.user] };
    await service.refresh(s);
    t += 3_000;
    await service.refresh(s);
    t += 3_000;
    // Room for the two held dexes' states (2 + 2) and nothing else: the spot refresh (2) is skipped.
    tight.tryAcquire(tight.budget - tight.used() - 4);
    const snap = await service.refresh(s);
    expect(snap.problems.join(' ')).toMatch(/served from cache: spotClearinghouseState/);
    const mine = snap.positions.filter((p) => p.account === unifiedAccountPreset.user);
    expect(mine).toHaveLength(3);
    for (const p of mine) {
      expect(p.staleReason).toBe('request budget reached');
      expect(p.dataAt).toBe(t - 3_000); // the spot balances' age, older than the states'
      expect(formatBadge(p, { nowMs: t, ...STALE })).toMatchObject({
        text: expect.stringMatching(/^stale · 3 s · Liq /),
        level: 'stale',
      });
    }
  });

  it('unified: without spot balances (lookup failing) the number is not computable, never the perp-only one', async () => {
    const noSpot: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body ?? '{}')) as { type?: string };
      return body.type === 'spotClearinghouseState'
        ? new Response('', { status: 500 })
        : fetch(input, init);
    };
    const { snap, t } = await twoPolls(unifiedAccountPreset.user, noSpot, 240_000_000);
    const mine = snap.positions.filter((p) => p.account === unifiedAccountPreset.user);
    expect(mine).toHaveLength(3);
    for (const p of mine) {
      expect([p.liqCheck, p.liqReason, p.liqPx]).toEqual([
        'not-computable',
        'spot balances not fetched',
        null,
      ]);
      expect(p.staleReason).toBe('HTTP 500');
      expect(formatBadge(p, { nowMs: t, ...STALE }).level).toBe('stale');
    }
  });
});

describe('request budget per poll (issue 12)', () => {
  it('a unified account with positions on 3 dexes (of 6 listed) polls within the budget, no skips', async () => {
    const user = '0x00000000000000000000000000000000000000f3';
    const replay = await startHyperliquidReplay({
      clock: createManualClock(Date.UTC(2026, 1, 6)),
      tickMs: null,
      dexes: ['', 'xyz', 'flx', 'hyna', 'cash', 'km'],
      users: { [user]: unifiedAccountPreset.mode },
      accounts: { [user]: unifiedAccountPreset.accounts },
    });
    try {
      const metaRes = await fetch(`${replay.url}/info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'metaAndAssetCtxs', dex: 'flx' }),
      });
      const [meta, ctxs] = (await metaRes.json()) as [
        { universe: { name: string }[] },
        { markPx: string }[],
      ];
      const coin = meta.universe[0]?.name ?? '';
      const px = Number(ctxs[0]?.markPx);
      replay.setAccount(user, 'flx', {
        crossRawUsd: '0.0',
        positions: [
          {
            coin,
            szi: '1.0',
            entryPx: String(px),
            leverage: { type: 'isolated', value: 5, rawUsd: String(-px * 0.8) },
          },
        ],
      });
      let t = 300_000_000;
      const service = new DataService({
        fetch,
        now: () => t,
        apiBase: replay.url,
        budget: createWeightAccountant({ budget: 600, now: () => t }),
      });
      const s = { ...settings, addresses: [user] };
      // Documented weights (research/hyperliquid.md §2.3), from the server's request log.
      const perPoll: number[] = [];
      let problems: string[] = [];
      for (let i = 0; i < 40; i += 1) {
        const before = replay.requests.length;
        const snap = await service.refresh(s);
        problems = problems.concat(snap.problems);
        perPoll.push(replay.requests.slice(before).reduce((sum, r) => sum + r.weight, 0));
        if (i === 39) {
          for (const p of snap.positions) expect(p.liqCheck).toBe('agree');
          expect(new Set(snap.positions.map((p) => p.dex))).toEqual(new Set(['', 'xyz', 'flx']));
        }
        t += PAGE_POLL_MS;
      }
      expect(problems.filter((p) => /budget/.test(p))).toEqual([]);
      // Steady state (the second minute): a poll takes the 3 held dexes' states (3 × 2) and the
      // spot balances (2) = 8; every 15 s the market data of the 3 held dexes adds 3 × 20; once
      // a minute the 3 idle dexes' states add 3 × 2.
      const second = perPoll.slice(20, 40);
      expect(Math.min(...second)).toBe(8);
      expect(second.reduce((a, b) => a + b, 0)).toBe(20 * 8 + 4 * 60 + 6);
      // The first poll adds perpDexs 20, the other 3 dexes' states 3 × 2, the mode lookup 20 and a
      // day of candles per held coin 4 × 20: 194; its minute 194 + 19 × 8 + 3 × 60 = 526 ≤ 600.
      expect(perPoll[0]).toBe(194);
      expect(perPoll.slice(0, 20).reduce((a, b) => a + b, 0)).toBe(526);
    } finally {
      await replay.stop();
    }
  });
});

describe('the watcher’s 24/7 guard of the user’s addresses (issue 16)', () => {
  // The watcher's hash (apps/watcher guardedAddress.ts), computed here with node:crypto: the
  // service's WebCrypto version must match it.
  const watcherHash = (a: string) =>
    createHash('sha256').update(a.toLowerCase()).digest('hex').slice(0, 16);
  const OTHER = '0x00000000000000000000000000000000000000b2';
  const account = (
    address: string,
    lastSuccessAt: string,
    status: GuardedAccount['status'] = 'ok',
  ): GuardedAccount => ({
    label: 'main',
    addressHash: watcherHash(address),
    addressMasked: `${address.slice(0, 6)}…${address.slice(-4)}`,
    venues: ['hyperliquid'],
    mode: 'default',
    status,
    reason: status === 'ok' ? null : 'HTTP 429',
    lastSuccessAt,
    positions: [
      {
        coin: 'BTC',
        dex: '',
        side: 'long',
        size: '0.5',
        marginMode: 'cross',
        markPrice: '60000',
        liquidationPrice: '20000',
        venueLiquidationPrice: '20000',
        distancePct: '66.6',
        distanceFrom: 'ours',
        distanceSigmas: null,
        level: 'ok',
        lastKnownLevel: 'ok',
        reasons: [],
        thresholds: { warnPct: 12, criticalPct: 6, multiplier: 1 },
        unrealizedPnl: null,
        fundingSinceOpen: null,
        fundingLastHour: null,
        observedAt: lastSuccessAt,
        ageSeconds: 0,
        stale: false,
      },
    ],
    liquidations: [],
  });
  /** A watcher answering risk-summary and positions; `guarded` lists the guarded addresses. */
  function withGuard(params: {
    guarded: () => readonly string[] | null;
    now: () => number;
    status?: GuardedAccount['status'];
  }) {
    const requested: string[] = [];
    const f: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.origin !== 'https://watcher.test') return fetch(input, init);
      requested.push(url.href);
      const guarded = params.guarded();
      if (guarded === null) return new Response('', { status: 503 });
      if (url.pathname === '/v1/positions')
        return Response.json({
          accounts: guarded.map((a) =>
            account(a, new Date(params.now() - 4_000).toISOString(), params.status),
          ),
        });
      return Response.json({
        generatedAtMs: 0,
        chains: [],
        markets: [],
        unknownCoins: [],
        unknownChains: [],
      } satisfies RiskSummary);
    };
    const service = new DataService({
      fetch: f,
      now: params.now,
      apiBase: hl.url,
      budget: budget(params.now),
    });
    return { service, requested };
  }
  const s = { ...settings, watcherUrl: 'https://watcher.test' };

  it('hashes an address as the watcher does (WebCrypto = node:crypto sha256, 16 hex)', async () => {
    expect(await addressHash(USER)).toBe(watcherHash(USER));
    // Case does not matter: the watcher hashes the lowercase address.
    expect(await addressHash('0x00000000000000000000000000000000000000A1')).toBe(watcherHash(USER));
    // sha256("0x…a1") checked against `printf %s 0x…a1 | sha256sum`.
    expect(watcherHash(USER)).toBe('4bfe247a0c436d91');
  });

  it('says "Guard on" for a guarded address, with level, thresholds and age, sending no address', async () => {
    let t = 200_000_000;
    const { service, requested } = withGuard({ guarded: () => [USER], now: () => t });
    const snap = await service.refresh(s);
    const g = snap.guards[USER];
    expect(g).toMatchObject({
      on: true,
      label: 'main',
      level: 'ok',
      thresholds: { warnPct: 12, criticalPct: 6 },
      ageSeconds: 4,
      staleReason: null,
    });
    t += 3_000;
    expect(formatGuard(g ?? null, { nowMs: t, ...STALE })).toBe(
      'Guard on — the watcher alerts you even with the browser closed · ok · warn 12% / critical 6% · 3 s',
    );
    // Nothing about the address goes to the watcher: neither the address nor its hash.
    expect(requested.some((u) => u.endsWith('/v1/positions'))).toBe(true);
    for (const u of requested) {
      expect(u.toLowerCase()).not.toContain(USER.slice(2));
      expect(u).not.toContain(watcherHash(USER));
    }
  });

  it('reports the level unknown while the watcher’s own reads of the account fail', async () => {
    const t = 205_000_000;
    const { service } = withGuard({ guarded: () => [USER], now: () => t, status: 'unknown' });
    const g = (await service.refresh(s)).guards[USER];
    expect(g).toMatchObject({ on: true, level: 'unknown' });
    expect(formatGuard(g ?? null, { nowMs: t, ...STALE })).toBe(
      'Guard on — the watcher alerts you even with the browser closed · unknown · warn 12% / critical 6% · 0 s',
    );
  });

  it('says "Not guarded by your watcher" when the watcher guards other addresses only', async () => {
    const t = 210_000_000;
    const { service } = withGuard({ guarded: () => [OTHER], now: () => t });
    const g = (await service.refresh(s)).guards[USER];
    expect(g?.on).toBe(false);
    expect(formatGuard(g ?? null, { nowMs: t, ...STALE })).toBe('Not guarded by your watcher');
  });

  it('never says "Guard on" once the watcher stops answering: stale with the age of its last answer', async () => {
    let t = 220_000_000;
    let up = true;
    const { service } = withGuard({ guarded: () => (up ? [USER] : null), now: () => t });
    expect((await service.refresh(s)).guards[USER]?.on).toBe(true);
    up = false;
    t += 42_000;
    const g = (await service.refresh(s)).guards[USER];
    expect(g?.staleReason).toMatch(/HTTP 503/);
    const text = formatGuard(g ?? null, { nowMs: t, ...STALE });
    expect(text).toBe('Guard stale · 42 s (last: on)');
    // A watcher never reached: unknown, not "on".
    const never = withGuard({ guarded: () => null, now: () => t }).service;
    const g2 = (await never.refresh(s)).guards[USER];
    expect(g2?.on).toBe(false);
    expect(formatGuard(g2 ?? null, { nowMs: t, ...STALE })).toMatch(
      /^Guard unknown — watcher: GET \/v1\/positions: HTTP 503$/,
    );
  });

  it('shows no guard line without a watcher', async () => {
    const { service } = withGuard({ guarded: () => [USER], now: () => 230_000_000 });
    const snap = await service.refresh(settings);
    expect(snap.guards[USER]).toBeNull();
    expect(formatGuard(null, { nowMs: 0, ...STALE })).toBeNull();
  });
});
