// Types shared by the background, content scripts, popup and options. Types only: content
// scripts import this without pulling zod or any runtime code.
import type {
  ChainDependencyKind,
  Hip3MarketStatus,
  PositionLevel,
  ChainStatus as WatcherChainStatus,
} from '@perpscope/schemas';

/** Colour level of a badge: the guard's `PositionLevel` of `@perpscope/schemas`. */
export type RiskLevel = PositionLevel;

/** What the UI shows: the risk level, or `stale` (grey, risk colour withheld) when inputs are old. */
export type DisplayLevel = RiskLevel | 'stale';

/** How a venue depends on a chain (`@perpscope/schemas` `ChainDependencyKind`, venues.md §6). */
export type DependencyKind = ChainDependencyKind;

/**
 * How old the inputs of a displayed number are. The UI turns the number grey ("stale · 42 s")
 * when `staleReason` is set or the age exceeds the snapshot's `staleAfterMs`.
 */
export interface Freshness {
  /** Epoch ms when the inputs were fetched (0 = never). */
  readonly dataAt: number;
  /** Why the last refresh of these inputs failed or was skipped (`HTTP 429`, budget); null when it worked. */
  readonly staleReason: string | null;
}

/**
 * Whether the user's own watcher guards an address 24/7 (issue 16): read from its
 * `GET /v1/positions`, matched by address hash. Stale like every watcher line: when the watcher
 * stops answering, `staleReason` says why and the last answer keeps its age (`dataAt`).
 */
export interface GuardView extends Freshness {
  /** The watcher's last answer listed this address among its guarded accounts. */
  readonly on: boolean;
  /** The watcher's label of the account. */
  readonly label: string | null;
  /**
   * Worst current level of the account's positions on the watcher (`null`: no positions; `unknown`
   * also when the watcher's own reads of the account fail).
   */
  readonly level: PositionLevel | null;
  /** The watcher's thresholds in force (percent; of the closest position). */
  readonly thresholds: { readonly warnPct: number; readonly criticalPct: number } | null;
  /** Age of the watcher's own read of the account when it answered (s); `null` = never read. */
  readonly ageSeconds: number | null;
}

/** How our liquidation price relates to the venue's own. */
export type LiqCheck =
  /** Both computed and within tolerance. */
  | 'agree'
  /** Both computed and different beyond tolerance: shown as a flag on the badge. */
  | 'disagree'
  /**
   * Ours is not computable (`PositionView.liqReason` says why: the account mode is unknown, an
   * input is missing, a portfolio-margin cross position): the venue's price is the headline.
   */
  | 'not-computable'
  /** No liquidation price exists (fully collateralised). */
  | 'none'
  /** Only one side available (e.g. Aevo page shows no liq price). */
  | 'unchecked';

/** Sequencer / infrastructure phase from the watcher (SPEC §3.1, note 1's playbook). */
export type ChainStatus = WatcherChainStatus;

/** Oracle / market status from the watcher (SPEC §3.2): `Hip3MarketStatus` of `@perpscope/schemas`. */
export type MarketStatus = Hip3MarketStatus;

/** One watched position, ready to display. Prices are decimal strings as the venue sent them. */
export interface PositionView extends Freshness {
  /** Stable key: `venue|account|coin`. */
  readonly key: string;
  readonly venue: 'hyperliquid' | 'aevo';
  /** The address (HL) or `page` (Aevo, read from the page). */
  readonly account: string;
  /** HIP-3 dex name, `''` for the main Hyperliquid dex. */
  readonly dex: string;
  /** Full coin name as the venue names it (`BTC`, `xyz:TSLA`, `ETH-PERP`). */
  readonly coin: string;
  readonly side: 'long' | 'short';
  readonly size: string;
  readonly markPx: string | null;
  /** Our liquidation price (math package); null when none exists or not computable. */
  readonly liqPx: string | null;
  /** The venue's liquidation price (HL `liquidationPx`, Aevo page). */
  readonly venueLiqPx: string | null;
  readonly liqCheck: LiqCheck;
  /**
   * Which liquidation price the distance uses: the nearer of ours and the venue's (SPEC §5), the
   * venue's when ours is not computable; null when neither exists.
   */
  readonly headline: 'ours' | 'venue' | null;
  /** HL account mode (`userAbstraction`); null when unknown (lookup failed or skipped). */
  readonly accountMode: string | null;
  /**
   * Why our liquidation price is not computable (`liqCheck: 'not-computable'`): `account mode
   * unknown`, `spot balances not fetched`, `portfolio margin: cross positions not solved`, …
   */
  readonly liqReason?: string | null | undefined;
  /** Thresholds multiplied because a chain this venue depends on for `prices` is (or was) halted. */
  readonly haltMultiplied: boolean;
  readonly marginMode: 'cross' | 'isolated' | 'unknown';
  /** `|mark − liq| / mark` in percent; null when there is no liquidation price. */
  readonly distancePct: number | null;
  /** Distance in σ of 1-day realized volatility; null until enough samples. */
  readonly distanceSigma: number | null;
  readonly level: RiskLevel;
  /** Aevo cross-margin health buffer `AB + UP − OO − MM` (USD), when the page shows the inputs. */
  readonly healthBufferUsd: number | null;
  /**
   * The inputs of our liquidation price, for the popup's what-if line and the halt amounts;
   * null (absent in older snapshots) when they cannot be given exactly, `basisReason` says why.
   */
  readonly basis?: PositionBasis | null | undefined;
  /** Why there is no {@link PositionBasis} (`not available for portfolioMargin accounts`). */
  readonly basisReason?: string | null | undefined;
  /**
   * While thresholds are multiplied for a halt: what brings the position to the halt distance
   * (`src/risk/haltPlan.ts`); absent when no halt applies.
   */
  readonly haltPlan?: HaltPlan | null | undefined;
}

/**
 * The inputs `@perpscope/math` solves a Hyperliquid position's liquidation price from, for its
 * account mode (cross: the collateral pool of the mode — a dex's account value, the USDC dexes
 * together under DEX abstraction, a token's spot balance under unified; isolated: its margin).
 * Decimal strings, quote currency = the position's collateral token.
 */
export interface PositionBasis {
  readonly marginMode: 'cross' | 'isolated';
  readonly side: 'long' | 'short';
  /** Size magnitude (base units). */
  readonly size: string;
  readonly entryPx: string;
  /** Mark the collateral is valued at (`positionValue / |szi|`, 18 dp). */
  readonly markPx: string;
  /** Cross: the pool's equity at mark; isolated: the position's `marginUsed` (incl. its uPnL). */
  readonly collateral: string;
  /** Cross: maintenance margin of the other cross positions of the pool; isolated: `'0'`. */
  readonly otherMaintenanceMargin: string;
  /** The position's leverage setting (`leverage.value`). */
  readonly leverage: number;
  /** The market's maximum leverage (first tier). */
  readonly maxLeverage: number;
  /** The market's margin tiers as Hyperliquid sends them (`meta.marginTables`). */
  readonly marginTiers: readonly { readonly lowerBound: string; readonly maxLeverage: number }[];
  /** Collateral token symbol (`USDC`, `USDH`). */
  readonly collateralSymbol: string;
}

/**
 * What brings a position back to the halt distance (`warn × halt multiplier`), computed exactly
 * from its {@link PositionBasis}; an amount is null when it cannot be computed exactly, with why.
 */
export interface HaltPlan {
  /** The distance to keep during the halt (percent). */
  readonly keepPct: number;
  /** Collateral to add (decimal string, rounded up to 0.01), `'0'` when already kept; null: see note. */
  readonly addCollateral: string | null;
  readonly collateralSymbol: string;
  /** Percent of the position to cut (whole percent, rounded up); null: see note. */
  readonly cutPct: number | null;
  /** Why an amount is missing (shown as a tooltip); null when both are given. */
  readonly note: string | null;
}

/** Market data for one coin. Freshness is the venue's market data (mark, oracle, funding). */
export interface MarketView extends Freshness {
  readonly coin: string;
  readonly dex: string;
  readonly markPx: string | null;
  readonly oraclePx: string | null;
  /** Hourly funding rate annualized (8760 intervals/yr), as a fraction (0.1 = 10 %). */
  readonly fundingApr: number | null;
  /** `(mark − oracle)/oracle` in percent. */
  readonly markOracleDevPct: number | null;
  readonly oracleStatus: MarketStatus;
  readonly oracleReason: string | null;
  /** When the watcher's oracle status was fetched (0 = never / no watcher). */
  readonly oracleAt: number;
  /** Why the watcher's last answer failed (its oracle status is then stale); null when it worked. */
  readonly oracleStaleReason: string | null;
  /**
   * Age past which the market data is stale (ms): the snapshot's poll count × this data's own
   * refresh interval (market contexts are fetched every 15 s, not every poll).
   */
  readonly staleAfterMs: number;
}

/** One venue's dependency on a chain, with the guidance to show while the chain is not `up`. */
export interface ChainImpact {
  readonly venue: 'hyperliquid' | 'aevo';
  readonly kind: DependencyKind;
  readonly guidance: string;
  /** The halt multiplier is in force for this venue (a `prices` dependency halted, recovering or held). */
  readonly multiplied: boolean;
}

/** One chain's sequencer badge; freshness is that of the watcher's answer. */
export interface ChainView extends Freshness {
  readonly id: string;
  readonly name: string;
  readonly status: ChainStatus;
  /** Playbook phase label (note 1) and the watcher's guidance text for it. */
  readonly phase: string;
  readonly guidance: string;
  /** Venues that depend on this chain and how (venues.md §6); empty when none does. */
  readonly impacts: readonly ChainImpact[];
}

/** Everything the UI shows, built by the background and cached in storage. */
export interface Snapshot {
  /** Epoch ms of the last successful refresh (0 = never). */
  readonly updatedAt: number;
  readonly positions: readonly PositionView[];
  readonly markets: readonly MarketView[];
  readonly chains: readonly ChainView[];
  readonly watcher: 'off' | 'ok' | 'error';
  /** True when some position's thresholds are multiplied (a `prices` dependency halted, note 1). */
  readonly haltActive: boolean;
  /** Age past which a number is shown as stale (ms; settings: poll intervals × page poll). */
  readonly staleAfterMs: number;
  /** Human-readable problems of the last refresh (rate budget, network, bad payloads). */
  readonly problems: readonly string[];
  readonly thresholds: {
    readonly warnPct: number;
    readonly criticalPct: number;
    /** The user's halt multiplier (notification text says `3×`, never a fixed word). */
    readonly haltMultiplier: number;
  };
  /** The watched addresses (settings): empty states say whether an address is missing. */
  readonly addresses: readonly string[];
  /** Labels of the watched addresses (settings), by lower-case address: the panel names its account. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Per watched address: whether the configured watcher guards it (`null`: no watcher configured,
   * or a watcher never reached that has no answer to show).
   */
  readonly guards: Readonly<Record<string, GuardView | null>>;
  readonly sites: { readonly hyperliquid: boolean; readonly hip3: boolean; readonly aevo: boolean };
  /** Chain ids whose badge each site shows (from the settings). */
  readonly siteChains: {
    readonly hyperliquid: readonly string[];
    readonly aevo: readonly string[];
  };
}

/** Raw position read from the Aevo page (strings as displayed, cleaned of separators). */
export interface AevoPagePosition {
  readonly instrument: string;
  readonly side: 'long' | 'short';
  readonly size: string;
  readonly markPx: string | null;
  readonly liqPx: string | null;
}

/** Aevo account inputs of `AB + UP − OO − MM` as the page shows them (USD strings). */
export interface AevoPageAccount {
  readonly balance: string | null;
  readonly unrealizedPnl: string | null;
  readonly openOrdersMargin: string | null;
  readonly maintenanceMargin: string | null;
}

/** An empty snapshot for first start. */
export const EMPTY_SNAPSHOT: Snapshot = {
  updatedAt: 0,
  positions: [],
  markets: [],
  chains: [],
  watcher: 'off',
  haltActive: false,
  staleAfterMs: 9_000,
  problems: [],
  thresholds: { warnPct: 15, criticalPct: 7, haltMultiplier: 2 },
  addresses: [],
  labels: {},
  guards: {},
  sites: { hyperliquid: true, hip3: true, aevo: true },
  siteChains: { hyperliquid: [], aevo: [] },
};
