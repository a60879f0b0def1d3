import { coinName, parseCoin } from '@perpscope/hyperliquid';
import { HYPERLIQUID_FRONT_ENDS } from '../sites.js';

/** What a Hyperliquid (or HIP-3 front-end) page is about, read from its URL. */
export type HyperliquidPage =
  /** A perp market; `coin` as the API names it (`BTC`, `xyz:TSLA`). */
  | { readonly kind: 'perp'; readonly coin: string }
  /** A spot market (`/trade/HYPE/USDC`, `/trade/@107`): no perp line belongs there. */
  | { readonly kind: 'spot'; readonly market: string }
  | { readonly kind: 'portfolio' }
  /** Any other page of the site (landing, vaults, …). */
  | { readonly kind: 'other' };

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const DEX = /^[a-z0-9]{1,16}$/i;

/**
 * Reads the page kind from a front-end URL (research/venues.md §2–3): `/trade/<coin>` is a perp,
 * `/trade/<base>/<quote>` and `/trade/@<index>` are spot, `?market=<symbol>` names a market on
 * HIP-3 front-ends; a bare symbol on a HIP-3 front-end is its dex's market (`GOLD` → `xyz:GOLD`).
 * An unknown host reads as app.hyperliquid.xyz. Never throws.
 *
 * @example
 * pageFromUrl('https://app.trade.xyz/trade?market=XYZ100') // { kind: 'perp', coin: 'xyz:XYZ100' }
 */
export function pageFromUrl(href: string): HyperliquidPage {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return { kind: 'other' };
  }
  const front =
    HYPERLIQUID_FRONT_ENDS.find((f) => f.host === url.hostname) ?? HYPERLIQUID_FRONT_ENDS[0];
  const dex = front?.dexes[0] ?? '';
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return '';
      }
    });
  if (segments[0] === 'portfolio') return { kind: 'portfolio' };
  const fromPath = segments[0] === 'trade' ? segments.slice(1) : [];
  const queried = url.searchParams.get('market');
  const parts = fromPath.length > 0 ? fromPath : queried ? queried.split('/') : [];
  const [first, second] = parts;
  if (!first) return { kind: 'other' };
  if (second !== undefined || first.startsWith('@'))
    return { kind: 'spot', market: parts.join('/') };
  const named = parseCoin(first);
  if (named.dex !== '' && DEX.test(named.dex) && SYMBOL.test(named.symbol))
    return { kind: 'perp', coin: coinName(named) };
  if (!SYMBOL.test(first)) return { kind: 'other' };
  return { kind: 'perp', coin: coinName({ dex, symbol: first }) };
}
