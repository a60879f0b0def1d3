import { type DecimalString, parsePositive } from '../internal/args.js';
import { div, type Fixed, format18, mul, parseDecimal, WAD } from '../internal/decimal.js';
import {
  type HyperliquidPositionRisk,
  metaNode,
  metaTables,
  type ParsedPosition,
  positionRisk,
  readPositions,
} from './analyzeClearinghouseState.js';
import { arr, dec, fail, type Node, obj, read, str } from './payload.js';

/** The `userAbstraction` answers (`POST /info {"type":"userAbstraction","user":…}`). */
export type HyperliquidAbstraction =
  | 'default'
  | 'disabled'
  | 'dexAbstraction'
  | 'unifiedAccount'
  | 'portfolioMargin';

const MODES: readonly string[] = [
  'default',
  'disabled',
  'dexAbstraction',
  'unifiedAccount',
  'portfolioMargin',
] satisfies HyperliquidAbstraction[];

/** Raw JSON a client fetched for one account; see {@link analyzeHyperliquidAccount}. */
export type HyperliquidAccountInput = {
  /** The `userAbstraction` answer, e.g. `"unifiedAccount"`. */
  abstraction: unknown;
  /** Every perp dex the user has state on (`""` = main dex). */
  dexes: readonly {
    /** Dex name, `""` for the main dex. */
    dex: string;
    /** `POST /info {"type":"clearinghouseState","user":…,"dex":…}`. */
    clearinghouseState: unknown;
    /** The dex's `meta` (or `metaAndAssetCtxs`) answer, with `collateralToken`. */
    meta: unknown;
  }[];
  /** `POST /info {"type":"spotClearinghouseState","user":…}`; required for unified and portfolio margin. */
  spotClearinghouseState?: unknown;
  /**
   * Portfolio margin only: `borrow_oracle_price` in USDC of each spot coin besides USDC that the ratio
   * needs (`{ HYPE: '40', UBTC: '100000', USDT0: '1' }`). Without one the ratio is `null`.
   */
  prices?: Readonly<Record<string, DecimalString>>;
};

/** Why a position's `liquidationPrice` is `null`. */
export type LiquidationPriceReason =
  /** A long (or size 0) that no positive price liquidates: the solver's root is ≤ 0. */
  | 'noLiquidationPrice'
  /** A short whose root is ≤ 0: its collateral is below maintenance at every price (liquidatable now). */
  | 'belowMaintenance'
  /** A portfolio-margin cross position: the price depends on borrow oracle prices and caps, not solved. */
  | 'portfolioMargin';

/** One position of {@link analyzeHyperliquidAccount}. */
export type HyperliquidAccountPosition = HyperliquidPositionRisk & {
  /** Dex of the position (`""` = main dex). */
  dex: string;
  /** `meta.collateralToken` of its dex (spot token index; 0 = USDC); `null` when meta does not say. */
  collateralToken: number | null;
  /**
   * `liquidationPrice` and the exchange's `liquidationPx` agree: within 1e-4 relative, or both `null`.
   * `null` when ours is not solved (`reason: 'portfolioMargin'`).
   */
  agreesWithExchange: boolean | null;
  /** Why `liquidationPrice` is `null`; `null` when it is not. */
  reason: LiquidationPriceReason | null;
};

/**
 * Positions that share one collateral: a dex (standard), the USDC dexes (DEX abstraction) or a collateral
 * token (unified, portfolio margin).
 */
export type HyperliquidMarginPool = {
  /** Collateral token index (0 = USDC); `null` when a standard dex's meta does not say. */
  token: number | null;
  /** Dexes whose cross positions draw on it. */
  dexes: string[];
  /** Σ maintenance margin of its cross positions at mark, from the margin tables. */
  maintenanceMargin: DecimalString;
  /** The collateral counted (cross equity at mark, see {@link analyzeHyperliquidAccount}). */
  collateral: DecimalString;
  /** `maintenanceMargin / collateral`, liquidation at ≥ 1; `null` when the collateral is ≤ 0. */
  marginRatio: DecimalString | null;
};

/** Portfolio-margin figures (hyperliquid.gitbook.io/hyperliquid-docs/trading/portfolio-margin). */
export type HyperliquidPortfolioMargin = {
  /** The documented portfolio margin ratio as computed here; `null` when a needed price is missing. */
  ratio: DecimalString | null;
  /** `spotClearinghouseState.portfolioMarginRatio` as the exchange sent it, `null` when absent. */
  exchangeRatio: DecimalString | null;
  /** Liquidatable when the ratio exceeds this. */
  liquidatableAbove: DecimalString;
  /** Each LTV collateral held: `liquidationThreshold = 0.5 + 0.5·ltv`. */
  collateral: {
    token: number;
    coin: string;
    ltv: DecimalString;
    liquidationThreshold: DecimalString;
  }[];
};

/** Result of {@link analyzeHyperliquidAccount}. */
export type HyperliquidAccountAnalysis = {
  abstraction: HyperliquidAbstraction;
  /** Dexes in input order, positions in `assetPositions` order. */
  positions: HyperliquidAccountPosition[];
  pools: HyperliquidMarginPool[];
  /** Max of the pools' ratios (docs: the unified account ratio); `null` when none has one. */
  marginRatio: DecimalString | null;
  /** Only under `portfolioMargin`. */
  portfolioMargin: HyperliquidPortfolioMargin | null;
};

/** `mmW`: Σ maintenance·WAD; `mm` and `free` (collateral·WAD − mmW, WAD²) once the sums are complete. */
type Pool = {
  token: number | null;
  dexes: string[];
  collateral: Fixed;
  mmW: bigint;
  mm: Fixed;
  free: bigint;
};
type SpotRow = { coin: string; total: Fixed; borrowed: Fixed; ltv: Fixed | null };

/**
 * LTVs where the spot row carries none (the row's `ltv` wins): HYPE 0.65, UBTC 0.5 as research
 * venues.md §4 quotes the docs; a later snapshot of the portfolio-margin page says 0.5 for both, which is
 * why the API's own `ltv` takes precedence.
 */
const LTV: Record<string, Fixed> = { HYPE: 65n * 10n ** 16n, UBTC: 5n * 10n ** 17n };
/** Docs user caps: supply (HYPE 500k, BTC 200), borrow (USDC 10M, USDT0 1M), in token units. */
const SUPPLY_CAP: Record<string, Fixed> = { HYPE: 500_000n * WAD, UBTC: 200n * WAD };
const BORROW_CAP: Record<number, Fixed> = { 0: 10_000_000n * WAD, 268: 1_000_000n * WAD };

const isIndex = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

/**
 * Liquidation prices, margin ratios and distances of a whole Hyperliquid account, in any account mode,
 * from the raw JSON a client fetches: the `userAbstraction` answer, each dex's `clearinghouseState` and
 * `meta`, and `spotClearinghouseState`. Every position is solved by the standard solver (tiers at the
 * liquidation price) with the other positions held at their marks; only the collateral differs by mode
 * (hyperliquid.gitbook.io/hyperliquid-docs/trading/account-abstraction-modes):
 *
 * - `default`, `disabled` (standard): each dex is its own pool, collateral = its
 *   `crossMarginSummary.accountValue` — exactly {@link analyzeClearinghouseState} per dex.
 * - `dexAbstraction`: the dexes whose `collateralToken` is USDC (0) draw on the main dex's collateral —
 *   one pool, collateral = Σ their cross `accountValue`; other dexes stay standard. (Docs: "USDC
 *   balances default to perps balance"; the mode is to be discontinued.)
 * - `unifiedAccount`: one pool per collateral token, the docs' "unified account ratio":
 *   `Σ crossMaintenanceMarginUsed` of the dexes using the token ÷ (spot `total` of the token − Σ isolated
 *   `marginUsed` on those dexes); the account ratio is the max over tokens, liquidation at ≥ 1. The spot
 *   total is read as the token's equity including the perps' unrealized PnL (the docs subtract isolated
 *   `marginUsed`, which includes it), so a cross position's liquidation price is the mark at which its
 *   token's ratio reaches 1 with every other position at its mark. Isolated positions use their own
 *   `marginUsed` as in standard mode.
 * - `portfolioMargin` (hyperliquid.gitbook.io/hyperliquid-docs/trading/portfolio-margin): pools as in
 *   unified mode (informational), isolated positions solved as usual, cross positions `null` with reason
 *   `'portfolioMargin'` (their liquidation depends on borrow oracle prices and caps). `portfolioMargin.ratio`
 *   is the documented max over borrowable tokens b (USDC, and USDT0 when held) of
 *   `(20 + Σ cross maintenance·price + borrowed_b·price_b) / (total_b·price_b + min(borrowCap_b·price_b,
 *   Σ_c min(total_c, supplyCap_c)·price_c·(0.5 + 0.5·LTV_c)))` over LTV collateral c (row `ltv`, else docs
 *   HYPE 0.65, UBTC 0.5; docs user caps), liquidatable above 0.95.
 *
 * Meta objects are read once and cached by identity: pass fresh objects when a meta changes.
 *
 * @throws {InvalidPayloadError} naming the JSON path: an unknown `abstraction`, a missing
 * `spotClearinghouseState` under unified/portfolio margin, a non-standard dex whose `meta` lacks
 * `collateralToken` (`dexes[1].meta.collateralToken`), a repeated dex, or any field
 * {@link analyzeClearinghouseState} needs.
 * @example
 * const a = analyzeHyperliquidAccount({ abstraction: 'unifiedAccount', spotClearinghouseState: spot,
 *   dexes: [{ dex: '', clearinghouseState: main, meta: mainMeta }, { dex: 'xyz', clearinghouseState: xyz, meta: xyzMeta }] });
 * a.marginRatio; a.positions[0]?.liquidationPrice;
 */
export function analyzeHyperliquidAccount(
  params: HyperliquidAccountInput,
): HyperliquidAccountAnalysis {
  const root: Node = { v: params, p: '' };
  const abstraction = read<HyperliquidAbstraction>(
    root,
    'abstraction',
    (v) => MODES.includes(v as string),
    MODES.join('|'),
  ).v;
  const pm = abstraction === 'portfolioMargin';
  const unified = pm || abstraction === 'unifiedAccount';
  const spotNode = unified ? obj(root, 'spotClearinghouseState') : null;
  const spot = new Map<number, SpotRow>();
  if (spotNode) {
    const rows = arr(spotNode, 'balances');
    for (let i = 0; i < rows.v.length; i++) {
      const row = obj(rows, i);
      // HIP-4 outcome rows (`+92260`) carry no token and are not collateral.
      if (row.v.token === undefined) continue;
      spot.set(read<number>(row, 'token', isIndex, 'a token index').v, {
        coin: str(row, 'coin'),
        total: dec(row, 'total'),
        borrowed: row.v.borrowed == null ? 0n : dec(row, 'borrowed'),
        ltv: row.v.ltv == null ? null : dec(row, 'ltv'),
      });
    }
  }
  const pools = new Map<unknown, Pool>();
  // Parallel arrays (no tuple per position); each output object is created with all its keys.
  const held: ParsedPosition[] = [];
  const heldPools: Pool[] = [];
  const outs: HyperliquidAccountPosition[] = [];
  const list = arr(root, 'dexes');
  for (let i = 0; i < list.v.length; i++) {
    const entry = obj(list, i);
    const dex = str(entry, 'dex');
    const meta = metaNode(entry);
    const token =
      (abstraction === 'default' || abstraction === 'disabled') &&
      meta?.v.collateralToken === undefined
        ? null
        : read<number>(meta ?? obj(entry, 'meta'), 'collateralToken', isIndex, 'a token index').v;
    const key = unified || (abstraction === 'dexAbstraction' && token === 0) ? token : dex;
    const pool = pools.get(key) ?? { token, dexes: [], collateral: 0n, mmW: 0n, mm: 0n, free: 0n };
    pools.set(key, pool);
    if (pool.dexes.includes(dex)) fail(`${entry.p}.dex`, 'unique', dex);
    pool.dexes.push(dex);
    const state = obj(entry, 'clearinghouseState');
    if (!unified) pool.collateral += dec(obj(state, 'crossMarginSummary'), 'accountValue');
    for (const p of readPositions(state, metaTables(entry, meta))) {
      if (p.cross) pool.mmW += p.mmW;
      else if (unified) pool.collateral -= p.marginUsed;
      held.push(p);
      heldPools.push(pool);
      // Every key in output order (a spread would add the last four one by one).
      outs.push({
        coin: '',
        marginMode: 'cross',
        side: 'long',
        size: '',
        markPrice: '',
        maintenanceMargin: '',
        liquidationPrice: null,
        exchangeLiquidationPrice: null,
        distance: null,
        dex,
        collateralToken: pool.token,
        agreesWithExchange: null,
        reason: null,
      });
    }
  }
  for (const pool of pools.values())
    if (unified) pool.collateral += spot.get(pool.token as number)?.total ?? 0n;

  let marginRatio: Fixed | null = null;
  const poolList = [...pools.values()].map((pool) => {
    pool.mm = pool.mmW / WAD; // exact: each term is a multiple of WAD
    pool.free = pool.collateral * WAD - pool.mmW;
    const ratio = pool.collateral > 0n ? div(pool.mm, pool.collateral) : null;
    if (ratio !== null && (marginRatio === null || ratio > marginRatio)) marginRatio = ratio;
    return {
      token: pool.token,
      dexes: pool.dexes,
      maintenanceMargin: format18(pool.mm),
      collateral: format18(pool.collateral),
      marginRatio: ratio === null ? null : format18(ratio),
    };
  });
  return {
    abstraction,
    positions: outs.map((out, i) => {
      const p = held[i]!;
      const pool = heldPools[i]!;
      const unsolved = pm && p.cross;
      // Not solved at all when not output (`liquidationPrice` and `distance` stay null). A cross
      // position's collateral beside the others' maintenance, C − (M − m), is passed as (C − M) + m
      // (at WAD², as the solver uses it).
      const ours = positionRisk(
        p,
        p.cross ? pool.free + p.mmW : p.marginUsed * WAD,
        out,
        !unsolved,
      );
      const raw = p.exchangeRaw;
      let agrees: boolean | null = (ours === null) === (raw === null);
      if (unsolved) agrees = null;
      else if (ours !== null && raw !== null) agrees = agreesWithin(ours, raw);
      out.agreesWithExchange = agrees;
      out.reason = unsolved
        ? 'portfolioMargin'
        : ours !== null
          ? null
          : p.szi < 0n
            ? 'belowMaintenance'
            : 'noLiquidationPrice';
      return out;
    }),
    pools: poolList,
    marginRatio: marginRatio === null ? null : format18(marginRatio),
    portfolioMargin: pm ? portfolio(spotNode!, spot, pools, params.prices ?? {}) : null,
  };
}

/**
 * `|ours − theirs|·10⁴ ≤ theirs` for `theirs` the decimal string `raw` (WAD-parsed). Decided in float64
 * when the float difference is clear of the float errors (< 1e-11 relative, ~1e-14 absolute; the slack is
 * 1e-9 relative + 1e-9), else exactly: no parse, subtraction or multiplication for a clear verdict.
 */
export function agreesWithin(ours: Fixed, raw: string): boolean {
  const t = Number(raw);
  const o = Number(ours) / 1e18;
  const f = Math.abs(o - t) * 1e4 - t;
  const slack = (Math.abs(o) + t) * 1e-9 + 1e-9;
  if (t > 0 && (f > slack || f < -slack)) return f < 0;
  const theirs = parseDecimal(raw);
  return (ours > theirs ? ours - theirs : theirs - ours) * 10_000n <= theirs;
}

/** The documented portfolio margin ratio (see {@link analyzeHyperliquidAccount}). */
function portfolio(
  spotNode: Node,
  spot: Map<number, SpotRow>,
  pools: Map<unknown, Pool>,
  prices: Readonly<Record<string, DecimalString>>,
): HyperliquidPortfolioMargin {
  let missing = false;
  // `amount` of `token` in USDC; a price is needed (and read) only for a non-zero amount.
  const usdc = (amount: Fixed, token: number | null): Fixed => {
    if (!token || !amount) return amount; // USDC, or nothing to price
    const coin = spot.get(token)?.coin ?? '';
    const p = prices[coin];
    if (p === undefined) missing = true;
    return p === undefined ? 0n : mul(amount, parsePositive(p, `prices.${coin}`));
  };
  let requirement = 20n * WAD;
  for (const pool of pools.values()) requirement += usdc(pool.mm, pool.token);
  const collateral: HyperliquidPortfolioMargin['collateral'] = [];
  let pledged = 0n;
  for (const [token, row] of spot) {
    const ltv = row.ltv ?? LTV[row.coin];
    if (!ltv || row.total <= 0n) continue;
    const threshold = WAD / 2n + ltv / 2n;
    const cap = SUPPLY_CAP[row.coin];
    pledged += mul(usdc(cap !== undefined && cap < row.total ? cap : row.total, token), threshold);
    collateral.push({
      token,
      coin: row.coin,
      ltv: format18(ltv),
      liquidationThreshold: format18(threshold),
    });
  }
  let ratio: Fixed | null = null;
  for (const b of [0, 268]) {
    const row = spot.get(b);
    if (b && !row) continue;
    const cap = usdc(BORROW_CAP[b]!, b);
    const value = usdc(row?.total ?? 0n, b) + (cap < pledged ? cap : pledged);
    const r = value > 0n ? div(requirement + usdc(row?.borrowed ?? 0n, b), value) : null;
    if (r !== null && (ratio === null || r > ratio)) ratio = r;
  }
  const exchange = spotNode.v.portfolioMarginRatio;
  return {
    ratio: missing || ratio === null ? null : format18(ratio),
    exchangeRatio: exchange == null ? null : format18(dec(spotNode, 'portfolioMarginRatio')),
    liquidatableAbove: '0.95',
    collateral,
  };
}
