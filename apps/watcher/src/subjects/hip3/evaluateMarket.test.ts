import type { HlPerpAssetCtx } from '@perpscope/hyperliquid';
import { describe, expect, it } from 'vitest';
import { evaluateMarket, worseStatus } from './evaluateMarket.js';
import { createMarketState, observeBook, observeCtx } from './marketState.js';

// Based on the recorded xyz:XYZ100 row (info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json).
const base: HlPerpAssetCtx = {
  funding: '0.00000625',
  openInterest: '4643.1444',
  prevDayPx: '24671.0',
  dayNtlVlm: '527123746.7819995284',
  premium: '-0.0000405564',
  oraclePx: '24657.0',
  markPx: '24657.0',
  midPx: '24656.0',
  impactPxs: ['24655.0', '24657.0'],
  dayBaseVlm: '21476.1805',
};
const T0 = Date.UTC(2026, 1, 10, 15); // a Tuesday, 10:00 New York: the equity market is open

function market(coin = 'xyz:XYZ100') {
  const s = createMarketState(coin, 'xyz');
  s.meta = { szDecimals: 4, name: coin, maxLeverage: 25 };
  return s;
}

/** Feeds one sample per second from `from` to `to` (inclusive, seconds after T0). */
function feed(
  s: ReturnType<typeof market>,
  from: number,
  to: number,
  f: (sec: number) => Partial<HlPerpAssetCtx>,
) {
  for (let sec = from; sec <= to; sec++) observeCtx(s, { ...base, ...f(sec) }, T0 + sec * 1000);
}

const codes = (s: ReturnType<typeof market>, sec: number) =>
  evaluateMarket(s, T0 + sec * 1000).reasons.map((r) => r.code);
const status = (s: ReturnType<typeof market>, sec: number) =>
  evaluateMarket(s, T0 + sec * 1000).status;

describe('evaluateMarket: oracle staleness tiers', () => {
  it('stays ok while the oracle changes every 3 s', () => {
    const s = market();
    feed(s, 0, 30, (sec) => ({ oraclePx: `${24657 + Math.floor(sec / 3)}.0` }));
    expect(status(s, 30)).toBe('ok');
    const m = evaluateMarket(s, T0 + 30_000).metrics;
    expect(m.oracle.intervalP50Seconds).toBe(3);
    expect(m.oracle.freshness).toBe('fresh');
  });

  it('reports the oracle intervals’ nearest-rank p50, p95 and max, whatever their order', () => {
    const s = market();
    // Oracle changes at these seconds: intervals 5, 1, 4, 2, 3, 10 s (sorted 1 2 3 4 5 10).
    const changes = [0, 5, 6, 10, 12, 15, 25];
    feed(s, 0, 25, (sec) => ({
      oraclePx: `${24657 + changes.filter((c) => c <= sec).length}.0`,
    }));
    const m = evaluateMarket(s, T0 + 25_000).metrics;
    expect(m.oracle.intervalP50Seconds).toBe(3); // rank ceil(0.5 × 6) = 3
    expect(m.oracle.intervalP95Seconds).toBe(10); // rank ceil(0.95 × 6) = 6
    expect(m.oracle.intervalMaxSeconds).toBe(10);
  });

  it('warns after 10 s without an oracle change and goes critical after 60 s', () => {
    const s = market();
    feed(s, 0, 10, () => ({}));
    expect(status(s, 10)).toBe('ok');
    feed(s, 11, 11, () => ({}));
    expect(status(s, 11)).toBe('warn');
    expect(codes(s, 11)).toEqual(['oracle_fallback']);
    feed(s, 12, 60, () => ({}));
    expect(status(s, 60)).toBe('warn');
    feed(s, 61, 61, () => ({}));
    expect(status(s, 61)).toBe('critical');
    expect(evaluateMarket(s, T0 + 61_000).metrics.oracle.freshness).toBe('dead');
    feed(s, 62, 62, () => ({ oraclePx: '24700.0' }));
    expect(status(s, 62)).toBe('ok');
  });

  it('does not apply the HIP-3 fallback/dead/jump rules to a validator perp (main dex)', () => {
    const s = createMarketState('BTC', '');
    s.meta = { szDecimals: 5, name: 'BTC', maxLeverage: 40 };
    feed(s, 0, 70, () => ({}));
    // Validator marks are not clamped to 1 % per update either.
    observeCtx(s, { ...base, markPx: '25027.0' }, T0 + 71_000);
    const e = evaluateMarket(s, T0 + 71_000);
    expect(e.status).toBe('ok');
    expect(e.metrics.oracle.freshness).toBe('dead');
  });

  it('counts a successful setOracle seen on the explorer as an update even if the price did not change', () => {
    const s = market();
    feed(s, 0, 20, () => ({}));
    s.setOracleMs = T0 + 18_000;
    expect(status(s, 20)).toBe('ok');
    expect(evaluateMarket(s, T0 + 20_000).metrics.oracle.lastSetOracleAgeSeconds).toBe(2);
  });

  it('is unknown without samples and when samples stop, never "ok"', () => {
    const s = market();
    expect(status(s, 0)).toBe('unknown');
    feed(s, 0, 5, (sec) => ({ oraclePx: `${24657 + sec}.0` }));
    expect(status(s, 5)).toBe('ok');
    expect(status(s, 21)).toBe('unknown');
    expect(codes(s, 21)).toEqual(['stream_gap']);
  });

  it('ignores samples older than the latest one (replayed snapshot)', () => {
    const s = market();
    observeCtx(s, { ...base, oraclePx: '1.0' }, T0 + 5000);
    const o = observeCtx(s, { ...base, oraclePx: '2.0' }, T0 + 4000);
    expect(o.changed).toBe(false);
    expect(s.ctx?.oraclePx).toBe('1.0');
  });
});

describe('evaluateMarket: deviation tiers L1/L2/L3 with durations', () => {
  const dev = (x: number) => ({ markPx: `${(24657 * (1 + x)).toFixed(1)}` });

  it('L1 at ≥ 3 % is watch however long it lasts', () => {
    const s = market();
    feed(s, 0, 400, (sec) => ({ ...dev(0.035), oraclePx: `${24657 + (sec % 2)}.0` }));
    expect(status(s, 400)).toBe('watch');
    expect(codes(s, 400)).toContain('deviation_l1');
    expect(evaluateMarket(s, T0 + 400_000).metrics.markDeviation.aboveL2Seconds).toBe(0);
  });

  it('≥ 5 % is L1 for 30 s, then L2 (warn), then L3 (critical) after 5 min, with durations', () => {
    const s = market();
    const osc = (sec: number) => ({ oraclePx: `${24657 + (sec % 2)}.0` });
    // Ramp by < 1 % per update (legal mark steps) to 5.7 % at t = 8 s, then hold 6 %.
    const ramp = (sec: number) => ({
      ...osc(sec),
      ...dev(Math.min(0.06, 0.0095 * Math.max(0, sec - 2))),
    });
    feed(s, 0, 37, ramp);
    expect(status(s, 37)).toBe('watch');
    expect(evaluateMarket(s, T0 + 37_000).metrics.markDeviation.tier).toBe('L1');
    feed(s, 38, 38, ramp);
    expect(status(s, 38)).toBe('warn');
    const l2 = evaluateMarket(s, T0 + 38_000);
    expect(l2.metrics.markDeviation).toMatchObject({ tier: 'L2', aboveL2Seconds: 30 });
    expect(l2.reasons.find((r) => r.code === 'deviation_l2')?.sinceMs).toBe(T0 + 8_000);
    feed(s, 39, 307, ramp);
    expect(status(s, 307)).toBe('warn');
    feed(s, 308, 308, ramp);
    expect(status(s, 308)).toBe('critical');
    expect(codes(s, 308)).toContain('deviation_l3');
    // A dip below 5 % resets the L2/L3 clock.
    feed(s, 309, 309, (sec) => ({ ...osc(sec), ...dev(0.052) }));
    feed(s, 310, 310, (sec) => ({ ...osc(sec), ...dev(0.045) }));
    expect(status(s, 310)).toBe('watch');
    feed(s, 311, 311, (sec) => ({ ...osc(sec), ...dev(0.052) }));
    expect(status(s, 311)).toBe('watch');
  });

  it('tracks mid–oracle deviation separately', () => {
    const s = market();
    feed(s, 0, 5, (sec) => ({ oraclePx: `${24657 + sec}.0`, midPx: '26000.0' }));
    expect(codes(s, 5)).toEqual(['mid_deviation_l1']);
  });
});

describe('evaluateMarket: jumps, halts, OI caps, depth', () => {
  it('flags a mark step > 1 % in one update for jumpHoldMs', () => {
    const s = market();
    feed(s, 0, 2, (sec) => ({ oraclePx: `${24657 + sec}.0` }));
    observeCtx(s, { ...base, oraclePx: '24660.0', markPx: '25300.0' }, T0 + 3000);
    expect(status(s, 3)).toBe('warn');
    expect(codes(s, 3)).toContain('mark_jump');
    feed(s, 4, 70, (sec) => ({ oraclePx: `${24657 + sec}.0` }));
    expect(codes(s, 70)).not.toContain('mark_jump');
  });

  it('a 0.9 % step is not a jump', () => {
    const s = market();
    feed(s, 0, 2, (sec) => ({ oraclePx: `${24657 + sec}.0` }));
    observeCtx(s, { ...base, oraclePx: '24660.0', markPx: '24878.0' }, T0 + 3000);
    expect(codes(s, 3)).not.toContain('mark_jump');
  });

  it('is halted when delisted, or when the book is empty with zero OI', () => {
    const s = market();
    s.meta = { szDecimals: 4, name: 'xyz:COST', maxLeverage: 20, isDelisted: true };
    feed(s, 0, 100, () => ({}));
    expect(status(s, 100)).toBe('halted');
    const t = market();
    feed(t, 0, 3, () => ({ midPx: null, impactPxs: null, premium: null, openInterest: '0.0' }));
    expect(status(t, 3)).toBe('halted');
    expect(codes(t, 3)).toEqual(['halted']);
  });

  it('watches OI near and at the cap', () => {
    const s = market();
    const oiUsd = 4643.1444 * 24657;
    s.oiCapUsd = (oiUsd / 0.95).toFixed(1);
    feed(s, 0, 3, (sec) => ({ oraclePx: `${24657 + sec}.0` }));
    expect(codes(s, 3)).toEqual(['oi_near_cap']);
    s.atOpenInterestCap = true;
    expect(codes(s, 3)).toEqual(['oi_at_cap']);
    expect(evaluateMarket(s, T0 + 3000).metrics.oiToVolume).toBeCloseTo(oiUsd / 527123746.78, 6);
  });

  it('detects a depth collapse and alternating swings (spoofing)', () => {
    const s = market();
    feed(s, 0, 30, (sec) => ({ oraclePx: `${24657 + sec}.0` }));
    for (let i = 0; i < 10; i++)
      observeBook(s, { timeMs: T0 + i * 1000, bidUsd: 5e5, askUsd: 5e5, spread: 0.0001 });
    expect(status(s, 10)).toBe('ok');
    observeBook(s, { timeMs: T0 + 11_000, bidUsd: 1e4, askUsd: 1e4, spread: 0.0001 });
    expect(codes(s, 11)).toEqual(['depth_collapse']);
    const t = market();
    feed(t, 0, 30, (sec) => ({ oraclePx: `${24657 + sec}.0` }));
    for (let i = 0; i < 10; i++) {
      observeBook(t, {
        timeMs: T0 + i * 1000,
        bidUsd: i % 2 ? 3e6 : 5e5,
        askUsd: 5e5,
        spread: 0.0001,
      });
    }
    expect(codes(t, 10)).toContain('spoofing');
  });

  it('reports funding hourly and APR (rate × 8760; HL already applied the dex multiplier)', () => {
    const s = market();
    s.fundingMultiplier = '0.5';
    feed(s, 0, 1, () => ({}));
    const m = evaluateMarket(s, T0 + 1000).metrics;
    expect(m.fundingRate1h).toBe('0.00000625');
    expect(Number(m.fundingApr)).toBeCloseTo(0.05475, 12);
    expect(m.fundingMultiplier).toBe('0.5');
  });

  it('adds closed-market context for equities without raising the status', () => {
    const s = market('xyz:TSLA');
    const sat = Date.UTC(2026, 1, 7, 15);
    for (let i = 0; i < 3; i++) {
      const px = `${400 + i}.0`;
      observeCtx(s, { ...base, oraclePx: px, markPx: px, midPx: px }, sat + i * 1000);
    }
    const e = evaluateMarket(s, sat + 2000);
    expect(e.status).toBe('ok');
    expect(e.reasons.map((r) => r.code)).toEqual(['market_closed']);
  });
});

describe('worseStatus: combining reasons on the one severity scale', () => {
  // SPEC §3.2, "worst reason wins": verdicts by severity, then `unknown`, then `halted` over all
  // (the order of the rank table this replaced, written out by hand).
  const order = ['ok', 'watch', 'warn', 'critical', 'unknown', 'halted'] as const;
  it.each(order.flatMap((a, i) => order.map((b, j) => [a, b, order[Math.max(i, j)]] as const)))(
    '%s + %s → %s',
    (a, b, expected) => {
      expect(worseStatus(a, b)).toBe(expected);
    },
  );
});
