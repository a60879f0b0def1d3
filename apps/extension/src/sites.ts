// Sites as data (research/venues.md §2–3). Content scripts import this file: keep it free of
// runtime dependencies (no zod, no math).

/** A Hyperliquid front-end: the host, the perp dexes its URLs name, and its collateral token. */
export interface HyperliquidFrontEnd {
  readonly host: string;
  /** `'hyperliquid'` for app.hyperliquid.xyz, `'hip3'` for a HIP-3 deployer's own front-end. */
  readonly site: 'hyperliquid' | 'hip3';
  /**
   * Dexes whose markets this front-end trades. A bare symbol in its URL (`/trade/GOLD`,
   * `?market=GOLD`) is the first dex's market (`xyz:GOLD`); `''` is Hyperliquid's main dex.
   */
  readonly dexes: readonly string[];
  /** Collateral token of those dexes as `allPerpMetas` lists it (null: several). */
  readonly collateral: string | null;
  /** URL forms seen in public links (documentation for the next person; venues.md §3). */
  readonly urlForms: readonly string[];
}

/**
 * Hyperliquid and HIP-3 front-ends (research/venues.md §3). app.ventuals.com (dex `vntl`) is not
 * listed: it serves a sunset page. Dexes themselves are discovered from `perpDexs` at run time;
 * a front-end whose dex the API no longer lists shows its market as unavailable.
 */
export const HYPERLIQUID_FRONT_ENDS: readonly HyperliquidFrontEnd[] = [
  {
    host: 'app.hyperliquid.xyz',
    site: 'hyperliquid',
    dexes: [''],
    collateral: null,
    urlForms: ['/trade/BTC', '/trade/xyz:TSLA', '/trade/HYPE/USDC (spot)', '/trade/@107 (spot)'],
  },
  {
    host: 'app.trade.xyz',
    site: 'hip3',
    dexes: ['xyz'],
    collateral: 'USDC',
    urlForms: ['/trade/GOLD?ref=…', '/trade?market=XYZ100', '/?market=SPCX'],
  },
  {
    host: 'trade.usefelix.xyz',
    site: 'hip3',
    dexes: ['flx'],
    collateral: 'USDH',
    urlForms: ['/trade/COPPER (assumed: not evidenced)'],
  },
  {
    host: 'app.hyena.trade',
    site: 'hip3',
    dexes: ['hyna'],
    collateral: 'USDE',
    urlForms: ['/trade/BTC (assumed: not evidenced)'],
  },
  {
    host: 'trade.dreamcash.xyz',
    site: 'hip3',
    dexes: ['cash'],
    collateral: 'USDT0',
    urlForms: ['/trade/AMZN (assumed: not evidenced)'],
  },
  {
    host: 'markets.xyz',
    site: 'hip3',
    dexes: ['km'],
    collateral: 'USDH',
    urlForms: ['/trade/AAPL (assumed: not evidenced)'],
  },
];

const matchesOf = (site: HyperliquidFrontEnd['site']) =>
  HYPERLIQUID_FRONT_ENDS.filter((f) => f.site === site).map((f) => `https://${f.host}/*`);

/**
 * Content-script match patterns per site (SPEC §5: content scripts only on the target sites).
 * Adding a front-end means a new manifest `matches` entry, which Chrome shows to the user on
 * update. Each site can be switched off in the options.
 */
export const SITE_MATCHES = {
  hyperliquid: matchesOf('hyperliquid'),
  hip3: matchesOf('hip3'),
  aevo: ['https://app.aevo.xyz/*'],
} as const;

/** How often a visible exchange tab asks the background for fresh data (ms). */
export const PAGE_POLL_MS = 3000;
