import { describe, expect, it } from 'vitest';
import { hyperliquidSite } from './hyperliquidSite.js';

const site = (kind: 'hyperliquid' | 'hip3') =>
  hyperliquidSite({ send: async () => undefined, kind, pollMs: 3000 });
/** The adapter reads only `location` of the document. */
const at = (href: string) => ({ location: new URL(href) }) as unknown as Document;

describe('hyperliquidSite.focusCoin (URL model, research/venues.md §2–3)', () => {
  it.each([
    ['https://app.hyperliquid.xyz/trade/BTC', 'BTC'],
    ['https://app.hyperliquid.xyz/trade/xyz:TSLA', 'xyz:TSLA'],
    ['https://app.hyperliquid.xyz/trade/xyz%3ATSLA', 'xyz:TSLA'],
  ])('perp and HIP-3 pages on app.hyperliquid.xyz: %s → %s', (href, coin) => {
    expect(site('hyperliquid').focusCoin(at(href))).toBe(coin);
  });

  it.each([
    'https://app.hyperliquid.xyz/trade/HYPE/USDC',
    'https://app.hyperliquid.xyz/trade/PURR/USDC',
    'https://app.hyperliquid.xyz/trade/@107',
    'https://app.hyperliquid.xyz/portfolio',
  ])('spot and portfolio pages have no perp market: %s', (href) => {
    expect(site('hyperliquid').focusCoin(at(href))).toBeNull();
  });

  it.each([
    ['https://app.trade.xyz/trade/GOLD?ref=abc', 'xyz:GOLD'],
    ['https://app.trade.xyz/trade?market=XYZ100', 'xyz:XYZ100'],
    ['https://app.trade.xyz/?market=SPCX', 'xyz:SPCX'],
    ['https://trade.usefelix.xyz/trade/COPPER', 'flx:COPPER'],
    ['https://app.hyena.trade/trade/BTC', 'hyna:BTC'],
    ['https://trade.dreamcash.xyz/trade/AMZN', 'cash:AMZN'],
    ['https://markets.xyz/trade/AAPL', 'km:AAPL'],
  ])('HIP-3 front-ends name bare symbols; the site maps them to its dex: %s → %s', (href, coin) => {
    expect(site('hip3').focusCoin(at(href))).toBe(coin);
  });
});
