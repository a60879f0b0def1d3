import { describe, expect, it } from 'vitest';
import { HYPERLIQUID_FRONT_ENDS, SITE_MATCHES } from '../sites.js';
import { pageFromUrl } from './pageFromUrl.js';

describe('pageFromUrl', () => {
  it.each([
    ['https://app.hyperliquid.xyz/trade/BTC', { kind: 'perp', coin: 'BTC' }],
    ['https://app.hyperliquid.xyz/trade/xyz:TSLA', { kind: 'perp', coin: 'xyz:TSLA' }],
    ['https://app.hyperliquid.xyz/trade/HYPE/USDC', { kind: 'spot', market: 'HYPE/USDC' }],
    ['https://app.hyperliquid.xyz/trade/@107', { kind: 'spot', market: '@107' }],
    ['https://app.hyperliquid.xyz/portfolio', { kind: 'portfolio' }],
    ['https://app.hyperliquid.xyz/vaults', { kind: 'other' }],
    ['https://app.hyperliquid.xyz/trade/%E0%A4%A', { kind: 'other' }],
    ['https://app.trade.xyz/trade/GOLD?ref=abc', { kind: 'perp', coin: 'xyz:GOLD' }],
    ['https://app.trade.xyz/?market=PURR/USDC', { kind: 'spot', market: 'PURR/USDC' }],
    ['not a url', { kind: 'other' }],
  ])('%s', (href, page) => {
    expect(pageFromUrl(href)).toEqual(page);
  });

  it('derives the manifest matches from the front-end data, without the sunset ventuals front-end', () => {
    expect(SITE_MATCHES.hip3).toEqual(
      HYPERLIQUID_FRONT_ENDS.filter((f) => f.site === 'hip3').map((f) => `https://${f.host}/*`),
    );
    expect(JSON.stringify(SITE_MATCHES)).not.toMatch(/ventuals|\/\/usefelix/);
  });
});
