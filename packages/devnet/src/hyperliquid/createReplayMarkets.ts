import { createHash } from 'node:crypto';
import { coinName } from '@perpscope/hyperliquid';
import { formatHlDecimal, formatHlPx } from './formatHl.js';
import type {
  RawAssetCtx,
  RawMeta,
  RawPerpDex,
  RawUniverseEntry,
  ReplayFixtures,
} from './loadReplayFixtures.js';

/** One simulated market. Prices are floats inside the simulation and strings on the wire. */
export type ReplayMarket = {
  coin: string;
  dex: string;
  meta: RawUniverseEntry;
  /** Outside reference price (what an honest oracle would publish). */
  truePx: number;
  oraclePx: number;
  markPx: number;
  midPx: number;
  prevDayPx: number;
  openInterest: number;
  dayNtlVlm: number;
  dayBaseVlm: number;
  fundingMultiplier: number;
  premiumEma: number;
  lastOracleWriteMs: number;
  /** Delisted in the recording: served verbatim, never moves. */
  frozen: boolean;
  stalled: boolean;
  /** Book trades this fraction away from the oracle (0 = in line). */
  depeg: number;
  depthFactor: number;
  spoof: boolean;
  /** Books served while spoofing; each answer flips the phase so every poller sees the swings. */
  spoofServed: number;
  halted: boolean;
  atCap: boolean;
  pendingMarkJump: number;
  pendingOracleJump: number;
  oiCapUsd: number | null;
  ctx: RawAssetCtx;
};

/** One explorer transaction as `userDetails` returns it. */
export type ReplayExplorerTx = {
  action: Record<string, unknown>;
  block: number;
  error: string | null;
  hash: string;
  time: number;
  user: string;
};

/** Parameters of {@link createReplayMarkets}. */
export type CreateReplayMarketsParameters = {
  fixtures: ReplayFixtures;
  /** HIP-3 dexes to serve, by name; `''` adds the main dex to the streamed set. */
  dexes: readonly string[];
  seed: number;
  nowMs: number;
  /** Deployer `setOracle` cadence (virtual ms). Default 3000 (the docs' expectation). */
  oracleIntervalMs?: number;
  /** Relative σ of the reference price per simulation step. Default 0.0004. */
  volatility?: number;
  /**
   * Pads every synthetic (non-xyz) dex to this many markets with `dex:SYN<i>` coins, for load
   * benchmarks (e.g. 9 dexes × 33 ≈ 300 markets). Default: the recorded coin lists only.
   */
  marketsPerDex?: number;
  /**
   * `setOracle` txs already in each writer's explorer history at the start (at most 300, the
   * explorer's window; one per `oracleIntervalMs` before `nowMs`, at the starting prices), so a
   * benchmark meets the full history at once instead of after 15 minutes. Default 0.
   */
  explorerHistoryTxs?: number;
};

const IMPACT_NOTIONAL_USD = 6_000;
const LEVEL_NOTIONAL_USD = 25_000;
const BOOK_LEVELS = 20;
const FALLBACK_AFTER_MS = 10_000;
// Protocol clamp is 1 % per update; stay a little inside so 5-significant-figure rounding never
// turns a legal step into an apparent violation.
const MARK_CLAMP = 0.0095;
const EXPLORER_KEEP = 300;

/** The simulated state of all served markets plus the explorer log of `setOracle` actions. */
export type ReplayMarkets = ReturnType<typeof createReplayMarkets>;

/**
 * Builds the simulated markets from the recorded fixtures: xyz from its recorded
 * `metaAndAssetCtxs`, the main dex from its recording, and every other HIP-3 dex from the coin
 * list of the recorded `perpDexs` (synthetic prices, recorded shapes).
 */
export function createReplayMarkets(params: CreateReplayMarketsParameters) {
  const rng = mulberry32(params.seed);
  const oracleIntervalMs = params.oracleIntervalMs ?? 3000;
  const volatility = params.volatility ?? 0.0004;
  const allDexs = params.fixtures.perpDexs;
  const servedHip3 = allDexs.filter(
    (d): d is RawPerpDex => d !== null && params.dexes.includes(d.name),
  );
  const unknown = params.dexes.filter((n) => n !== '' && !servedHip3.some((d) => d.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `Hyperliquid replay: dex(es) ${unknown.join(', ')} are not in the recorded perpDexs`,
    );
  }
  const streamMain = params.dexes.includes('');
  const markets = new Map<string, ReplayMarket>();
  const byDex = new Map<string, ReplayMarket[]>();
  const metas = new Map<string, RawMeta>();
  const lastDexWrite = new Map<string, number>();
  const explorer = new Map<string, ReplayExplorerTx[]>();
  let block = 800_000_000;
  let tickNo = 0;
  const streamed = new Set(params.dexes);

  const addMarket = (m: ReplayMarket) => {
    markets.set(m.coin, m);
    const list = byDex.get(m.dex) ?? [];
    list.push(m);
    byDex.set(m.dex, list);
  };

  // Main dex: always present (clearinghouseState, l2Book, allMids on BTC…), streamed only if asked.
  const [mainMeta, mainCtxs] = params.fixtures.metaAndAssetCtxsMain;
  metas.set('', mainMeta);
  mainMeta.universe.forEach((u, i) => {
    const ctx = mainCtxs[i];
    if (ctx) addMarket(fromRecording(u, ctx, '', 1, null, params.nowMs));
  });

  for (const dex of servedHip3) {
    const multipliers = new Map(dex.assetToFundingMultiplier.map(([c, m]) => [c, Number(m)]));
    const caps = new Map(dex.assetToStreamingOiCap.map(([c, cap]) => [c, Number(cap)]));
    if (dex.name === 'xyz') {
      const [meta, ctxs] = structuredClone(params.fixtures.metaAndAssetCtxsXyz);
      metas.set('xyz', meta);
      meta.universe.forEach((u, i) => {
        const ctx = ctxs[i];
        if (ctx) {
          addMarket(
            fromRecording(
              u,
              ctx,
              'xyz',
              multipliers.get(u.name) ?? 1,
              caps.get(u.name) ?? null,
              params.nowMs,
            ),
          );
        }
      });
      continue;
    }
    const universe: RawUniverseEntry[] = [];
    const coinCaps: [string, string][] = [...dex.assetToStreamingOiCap];
    for (let i = coinCaps.length; i < (params.marketsPerDex ?? 0); i++) {
      coinCaps.push([coinName({ dex: dex.name, symbol: `SYN${i}` }), '10000000.0']);
    }
    for (const [coin, cap] of coinCaps) {
      const entry: RawUniverseEntry = {
        szDecimals: 2,
        name: coin,
        maxLeverage: 10,
        marginTableId: 10,
        onlyIsolated: true,
        marginMode: 'strictIsolated',
      };
      universe.push(entry);
      const px = syntheticPrice(coin);
      const ctx: RawAssetCtx = {
        funding: '0.0',
        openInterest: '0.0',
        prevDayPx: formatHlPx(px, 2),
        dayNtlVlm: '0.0',
        premium: null,
        oraclePx: formatHlPx(px, 2),
        markPx: formatHlPx(px, 2),
        midPx: null,
        impactPxs: null,
        dayBaseVlm: '0.0',
      };
      const m = fromRecording(
        entry,
        ctx,
        dex.name,
        multipliers.get(coin) ?? 1,
        Number(cap),
        params.nowMs,
      );
      m.openInterest = (Number(cap) * 0.2) / px;
      m.dayNtlVlm = Number(cap) * 0.5;
      m.dayBaseVlm = m.dayNtlVlm / px;
      addMarket(m);
      render(m);
    }
    metas.set(dex.name, {
      universe,
      marginTables: [
        [50, { description: '', marginTiers: [{ lowerBound: '0.0', maxLeverage: 50 }] }],
      ],
      collateralToken: 0,
    });
  }

  function fromRecording(
    u: RawUniverseEntry,
    ctx: RawAssetCtx,
    dex: string,
    multiplier: number,
    cap: number | null,
    nowMs: number,
  ): ReplayMarket {
    const oracle = Number(ctx.oraclePx);
    return {
      coin: u.name,
      dex,
      meta: u,
      truePx: oracle,
      oraclePx: oracle,
      markPx: Number(ctx.markPx),
      midPx: ctx.midPx === null ? Number(ctx.markPx) : Number(ctx.midPx),
      prevDayPx: Number(ctx.prevDayPx),
      openInterest: Number(ctx.openInterest),
      dayNtlVlm: Number(ctx.dayNtlVlm),
      dayBaseVlm: Number(ctx.dayBaseVlm),
      fundingMultiplier: multiplier,
      premiumEma: ctx.premium === null ? 0 : Number(ctx.premium),
      lastOracleWriteMs: nowMs,
      frozen: u.isDelisted === true,
      stalled: false,
      depeg: 0,
      depthFactor: 1,
      spoof: false,
      spoofServed: 0,
      halted: false,
      atCap: false,
      pendingMarkJump: 0,
      pendingOracleJump: 0,
      oiCapUsd: cap,
      ctx: { ...ctx },
    };
  }

  /** Markets that evolve: streamed dexes only (the main dex stays as recorded unless streamed). */
  function moving(m: ReplayMarket): boolean {
    return !m.frozen && !m.halted && streamed.has(m.dex);
  }

  /** Walks the book for `notionalUsd` on one side; null when the side is too thin. */
  function impactPx(levels: readonly { px: string; sz: string }[], notionalUsd: number) {
    let remaining = notionalUsd;
    for (const l of levels) {
      remaining -= Number(l.px) * Number(l.sz);
      if (remaining <= 0) return Number(l.px);
    }
    return null;
  }

  function book(m: ReplayMarket, tick: number) {
    if (m.frozen || m.halted) return [[], []] as { px: string; sz: string; n: number }[][];
    const pattern = params.fixtures.l2BookBtc.levels;
    const bids: { px: string; sz: string; n: number }[] = [];
    const asks: { px: string; sz: string; n: number }[] = [];
    const step = m.midPx * 0.0002;
    const spoofFactor = m.spoof ? (tick % 2 === 0 ? 6 : 0.5) : 1;
    const sz = m.meta.szDecimals;
    for (let i = 0; i < BOOK_LEVELS; i++) {
      const pb = pattern[0]?.[i];
      const pa = pattern[1]?.[i];
      const wb = pb ? Math.min(4, Number(pb.sz) / 4) : 1;
      const wa = pa ? Math.min(4, Number(pa.sz) / 4) : 1;
      const bidPx = m.midPx - step * (i + 0.5);
      const askPx = m.midPx + step * (i + 0.5);
      const usd = LEVEL_NOTIONAL_USD * m.depthFactor * spoofFactor;
      bids.push({
        px: formatHlPx(bidPx, sz),
        sz: formatHlDecimal(Math.max(10 ** -sz, ((usd * wb) / bidPx) * 1), sz),
        n: pb?.n ?? 3,
      });
      asks.push({
        px: formatHlPx(askPx, sz),
        sz: formatHlDecimal(Math.max(10 ** -sz, (usd * wa) / askPx), sz),
        n: pa?.n ?? 3,
      });
    }
    return [bids, asks];
  }

  function render(m: ReplayMarket) {
    const sz = m.meta.szDecimals;
    if (m.frozen) return; // recorded delisted rows are served verbatim
    if (m.halted) {
      m.ctx = {
        funding: '0.0',
        openInterest: '0.0',
        prevDayPx: formatHlPx(m.prevDayPx, sz),
        dayNtlVlm: formatHlDecimal(m.dayNtlVlm, 4),
        premium: null,
        oraclePx: formatHlPx(m.oraclePx, sz),
        markPx: formatHlPx(m.markPx, sz),
        midPx: null,
        impactPxs: null,
        dayBaseVlm: formatHlDecimal(m.dayBaseVlm, 4),
      };
      return;
    }
    const [bids, asks] = book(m, tickNo);
    const ib = impactPx(bids ?? [], IMPACT_NOTIONAL_USD);
    const ia = impactPx(asks ?? [], IMPACT_NOTIONAL_USD);
    const impact: [string, string] | null =
      ib === null || ia === null ? null : [formatHlPx(ib, sz), formatHlPx(ia, sz)];
    let premium: number | null = null;
    const oracleStr = formatHlPx(m.oraclePx, sz);
    const o = Number(oracleStr);
    if (impact) {
      const b = Number(impact[0]);
      const a = Number(impact[1]);
      premium =
        m.dex === '' ? (Math.max(b - o, 0) - Math.max(o - a, 0)) / o : (0.5 * (b + a)) / o - 1;
      m.premiumEma = m.premiumEma * 0.9 + premium * 0.1;
    }
    const p = m.premiumEma;
    const f = (m.fundingMultiplier * (p + Math.min(0.0005, Math.max(-0.0005, 0.0001 - p)))) / 8;
    m.ctx = {
      funding: formatHlDecimal(f, 10),
      openInterest: formatHlDecimal(m.openInterest, sz),
      prevDayPx: formatHlPx(m.prevDayPx, sz),
      dayNtlVlm: formatHlDecimal(m.dayNtlVlm, 4),
      premium: premium === null ? null : formatHlDecimal(premium, 10),
      oraclePx: oracleStr,
      markPx: formatHlPx(m.markPx, sz),
      midPx: formatHlPx(m.midPx, sz),
      impactPxs: impact,
      dayBaseVlm: formatHlDecimal(m.dayBaseVlm, 4),
    };
  }

  function writerOf(dex: string): string {
    const d = allDexs.find((x) => x?.name === dex);
    if (!d) return '0x0000000000000000000000000000000000000000';
    const sub = d.subDeployers?.find(([v]) => v === 'setOracle')?.[1][0];
    return (d.oracleUpdater ?? sub ?? d.deployer).toLowerCase();
  }

  function recordSetOracle(dex: string, written: readonly ReplayMarket[], t: number) {
    if (dex === '' || written.length === 0) return;
    const user = writerOf(dex);
    const sorted = [...written].sort((a, b) => (a.coin < b.coin ? -1 : 1));
    block += 1;
    const tx: ReplayExplorerTx = {
      action: {
        type: 'perpDeploy',
        setOracle: {
          dex,
          oraclePxs: sorted.map((m) => [m.coin, m.ctx.oraclePx]),
          markPxs: [sorted.map((m) => [m.coin, m.ctx.markPx])],
          externalPerpPxs: sorted.map((m) => [m.coin, formatHlPx(m.truePx, m.meta.szDecimals)]),
        },
      },
      block,
      error: null,
      hash: `0x${createHash('sha256').update(`${dex}:${block}`).digest('hex')}`,
      time: t,
      user,
    };
    const list = explorer.get(user) ?? [];
    list.unshift(tx);
    if (list.length > EXPLORER_KEEP) list.length = EXPLORER_KEEP;
    explorer.set(user, list);
  }

  function clampStep(from: number, to: number): number {
    const lo = from * (1 - MARK_CLAMP);
    const hi = from * (1 + MARK_CLAMP);
    return Math.min(hi, Math.max(lo, to));
  }

  /** Advances the simulation by one step ending at `t` (virtual ms). */
  function step(t: number) {
    tickNo += 1;
    for (const m of markets.values()) {
      if (!moving(m)) continue;
      m.truePx *= 1 + gaussian(rng) * volatility;
      m.midPx = m.truePx * (1 + m.depeg);
      m.dayNtlVlm += Math.abs(gaussian(rng)) * 1000;
      m.dayBaseVlm = m.dayNtlVlm / m.truePx;
      if (m.atCap && m.oiCapUsd !== null) m.openInterest = m.oiCapUsd / m.markPx;
      else m.openInterest = Math.max(0, m.openInterest * (1 + gaussian(rng) * 0.001));
    }
    const dexNames = new Set([...byDex.keys()]);
    for (const dex of dexNames) {
      const last = lastDexWrite.get(dex) ?? -Infinity;
      if (t - last < oracleIntervalMs) continue;
      lastDexWrite.set(dex, t);
      const written: ReplayMarket[] = [];
      for (const m of byDex.get(dex) ?? []) {
        if (!moving(m) || m.stalled) continue;
        const prevOracle = m.oraclePx;
        m.oraclePx = m.truePx;
        // Publishers move the printed price every update; keep tiny-priced coins from printing
        // the same 5 significant figures for many updates in a row.
        if (formatHlPx(m.oraclePx, m.meta.szDecimals) === m.ctx.oraclePx) {
          const unit = Math.max(
            10 ** (Math.floor(Math.log10(Math.abs(m.oraclePx))) - 4),
            10 ** -(6 - m.meta.szDecimals),
          );
          m.oraclePx += rng() < 0.5 ? -unit : unit;
          m.truePx = m.oraclePx;
        }
        if (m.pendingOracleJump !== 0) {
          m.oraclePx = prevOracle * (1 + m.pendingOracleJump);
          m.truePx = m.oraclePx;
          m.midPx = m.truePx * (1 + m.depeg);
          m.pendingOracleJump = 0;
        }
        m.markPx = clampStep(m.markPx, m.midPx);
        if (m.pendingMarkJump !== 0) {
          m.markPx *= 1 + m.pendingMarkJump;
          m.pendingMarkJump = 0;
        }
        m.lastOracleWriteMs = t;
        written.push(m);
      }
      for (const m of written) render(m);
      recordSetOracle(dex, written, t);
    }
    for (const m of markets.values()) {
      if (!moving(m)) continue;
      if (m.stalled && t - m.lastOracleWriteMs >= FALLBACK_AFTER_MS) {
        // The protocol falls back to the local mark (book median) after 10 s without setOracle.
        m.markPx = clampStep(m.markPx, m.midPx);
      }
      render(m);
    }
  }

  const backfill = Math.min(EXPLORER_KEEP, params.explorerHistoryTxs ?? 0);
  for (let k = backfill; k >= 1; k--) {
    for (const [dex, list] of byDex) {
      recordSetOracle(
        dex,
        list.filter((m) => moving(m)),
        params.nowMs - k * oracleIntervalMs,
      );
    }
  }

  const streamedDexes = (): string[] => [
    ...(streamMain ? [''] : []),
    ...servedHip3.map((d) => d.name),
  ];

  return {
    markets,
    metas,
    explorer,
    step,
    render,
    /** The book as served to `l2Book` requests/subscriptions. */
    book: (m: ReplayMarket) => book(m, m.spoof ? ++m.spoofServed : tickNo),
    streamedDexes,
    /** `perpDexs` as served: null (main) then the served dexes in recorded order. */
    perpDexs: (): (RawPerpDex | null)[] => [null, ...servedHip3],
    hasDex: (dex: string) => dex === '' || servedHip3.some((d) => d.name === dex),
    marketsOf: (dex: string): ReplayMarket[] => byDex.get(dex) ?? [],
    writerOf,
  };
}

/** Deterministic pseudo-random price in [5, 2000) from a coin name, so runs are reproducible. */
function syntheticPrice(coin: string): number {
  let h = 2166136261;
  for (const ch of coin) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return 5 + ((h >>> 0) % 199_500) / 100;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
