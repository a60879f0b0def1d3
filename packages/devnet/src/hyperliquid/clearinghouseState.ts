import { formatHlDecimal } from './formatHl.js';

/** A position registered on the replay server; its mark comes from the simulated market. */
export type ReplayPosition = {
  /** HL coin name, prefixed for HIP-3 (`xyz:TSLA`). */
  coin: string;
  /** Signed size in coins (decimal string), positive = long. */
  szi: string;
  entryPx: string;
  leverage: { type: 'cross'; value: number } | { type: 'isolated'; value: number; rawUsd: string };
  /** Defaults to the market's `maxLeverage`. */
  maxLeverage?: number;
  /** `cumFunding.sinceOpen` (and `allTime`), funding paid since the position opened; default `0.0`. */
  cumFundingSinceOpen?: string;
};

/** One user's account on one dex. */
export type ReplayAccount = {
  /** Cross collateral before PnL (`crossMarginSummary.totalRawUsd`), decimal string. */
  crossRawUsd: string;
  positions: readonly ReplayPosition[];
};

/** Parameters of {@link buildClearinghouseState}. */
export type BuildClearinghouseStateParameters = {
  account: ReplayAccount;
  markOf: (coin: string) => number | null;
  maxLeverageOf: (coin: string) => number | null;
  timeMs: number;
  /**
   * Cross margin available when the collateral is not this dex's own (unified/portfolio accounts:
   * spot total − isolated margin − cross maintenance over every dex sharing the token). Default: this
   * dex's `crossMarginSummary.accountValue − crossMaintenanceMarginUsed`.
   */
  crossCollateral?: { available: number };
};

const usd = (x: number) => formatHlDecimal(x, 6);

/**
 * Builds a `clearinghouseState` body with the recorded shape from positions and current marks,
 * using HL's identities (research/hyperliquid.md §3): `positionValue = |szi|·mark`; cross
 * `marginUsed = positionValue/leverage`; isolated `marginUsed = rawUsd + szi·mark`;
 * `crossMaintenanceMarginUsed = Σ positionValue/(2·maxLeverage)`; liquidation price
 * `P − side·marginAvailable/|q|/(1 − side·mmr)` (null when ≤ 0).
 */
export function buildClearinghouseState(params: BuildClearinghouseStateParameters) {
  const { account, markOf, maxLeverageOf, timeMs } = params;
  const rows = account.positions.map((p) => {
    const mark = markOf(p.coin);
    if (mark === null) throw new Error(`Hyperliquid replay: no market for position coin ${p.coin}`);
    const szi = Number(p.szi);
    const entry = Number(p.entryPx);
    const maxLev = p.maxLeverage ?? maxLeverageOf(p.coin) ?? 20;
    const value = Math.abs(szi) * mark;
    const upnl = szi * (mark - entry);
    const marginUsed =
      p.leverage.type === 'cross'
        ? value / p.leverage.value
        : Number(p.leverage.rawUsd) + szi * mark;
    return { p, mark, szi, entry, maxLev, value, upnl, marginUsed };
  });
  const crossRows = rows.filter((r) => r.p.leverage.type === 'cross');
  const isoRows = rows.filter((r) => r.p.leverage.type === 'isolated');
  const crossRaw = Number(account.crossRawUsd);
  const crossAv = crossRaw + crossRows.reduce((s, r) => s + r.szi * r.mark, 0);
  const crossMm = crossRows.reduce((s, r) => s + r.value / (2 * r.maxLev), 0);
  const crossNtl = crossRows.reduce((s, r) => s + r.value, 0);
  const crossMarginUsed = crossRows.reduce((s, r) => s + r.marginUsed, 0);
  const isoMarginUsed = isoRows.reduce((s, r) => s + r.marginUsed, 0);
  const isoRaw = isoRows.reduce(
    (s, r) => s + (r.p.leverage.type === 'isolated' ? Number(r.p.leverage.rawUsd) : 0),
    0,
  );

  const liq = (r: (typeof rows)[number]): string | null => {
    const side = r.szi >= 0 ? 1 : -1;
    const q = Math.abs(r.szi);
    if (q === 0) return null;
    const mmr = 1 / (2 * r.maxLev);
    const available =
      r.p.leverage.type === 'cross'
        ? (params.crossCollateral?.available ?? crossAv - crossMm)
        : r.marginUsed - r.value * mmr;
    const px = r.mark - (side * available) / q / (1 - side * mmr);
    return px > 0 ? formatHlDecimal(px, 8) : null;
  };

  return {
    marginSummary: {
      accountValue: usd(crossAv + isoMarginUsed),
      totalNtlPos: usd(rows.reduce((s, r) => s + r.value, 0)),
      totalRawUsd: usd(crossRaw + isoRaw),
      totalMarginUsed: usd(crossMarginUsed + isoMarginUsed),
    },
    crossMarginSummary: {
      accountValue: usd(crossAv),
      totalNtlPos: usd(crossNtl),
      totalRawUsd: usd(crossRaw),
      totalMarginUsed: usd(crossMarginUsed),
    },
    crossMaintenanceMarginUsed: usd(crossMm),
    withdrawable: usd(Math.max(0, crossAv - crossMarginUsed)),
    assetPositions: rows.map((r) => ({
      type: 'oneWay' as const,
      position: {
        coin: r.p.coin,
        szi: r.p.szi,
        leverage: r.p.leverage,
        entryPx: r.p.entryPx,
        positionValue: usd(r.value),
        unrealizedPnl: usd(r.upnl),
        returnOnEquity: formatHlDecimal(
          r.entry > 0 ? r.upnl / ((Math.abs(r.szi) * r.entry) / r.p.leverage.value) : 0,
          10,
        ),
        liquidationPx: liq(r),
        marginUsed: usd(r.marginUsed),
        maxLeverage: r.maxLev,
        cumFunding: {
          allTime: r.p.cumFundingSinceOpen ?? '0.0',
          sinceOpen: r.p.cumFundingSinceOpen ?? '0.0',
          sinceChange: '0.0',
        },
      },
    })),
    time: timeMs,
  };
}
