// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchCoin, readHyperliquidRows } from './readHyperliquidRows.js';

// Snapshots: test/snapshots/README.md (cell strings and column order of research/venues.md §1).
const load = (name: string) => {
  document.body.innerHTML = readFileSync(resolve(process.cwd(), 'test/snapshots', name), 'utf8');
  return document;
};
const COINS = ['BTC', 'ETH', 'xyz:TSLA'];

describe('readHyperliquidRows', () => {
  it('finds the positions table (headers in the first <td> row) and matches coin cells (HIP-3 by dex tag)', () => {
    const rows = readHyperliquidRows(load('hl-positions.html'), COINS);
    expect(rows?.map((r) => r.coin)).toEqual(['ETH', 'BTC', 'xyz:TSLA']);
    // The anchor is the coin cell of the right row.
    expect(rows?.[0]?.anchor.textContent).toContain('ETH');
    expect(rows?.[0]?.row.textContent).toContain('9.3792 ETH');
  });

  it('reads the side from the colour of the coin/size cell, never from a sign the page does not print', () => {
    const rows = readHyperliquidRows(load('hl-positions.html'), COINS);
    // ETH: unsigned "9.3792 ETH" with entry 3,438.8 > mark 3,143.3 and a profit: a short, in red.
    expect(rows?.map((r) => [r.coin, r.side])).toEqual([
      ['ETH', 'short'],
      ['BTC', 'long'],
      ['xyz:TSLA', 'long'],
    ]);
  });

  it('handles a <thead> with <th> headers and sort arrows', () => {
    const rows = readHyperliquidRows(load('hl-positions-thead.html'), COINS);
    expect(rows?.map((r) => [r.coin, r.side])).toEqual([
      ['BTC', 'long'],
      ['ETH', 'short'],
    ]);
  });

  it.each(['hl-trade-history.html', 'hl-open-orders.html', 'hl-funding-history.html'])(
    'never takes %s for the positions table, though it has Coin and Size columns and the same coins',
    (name) => {
      const doc = load(name);
      // The snapshot really holds rows of the watched coins under Coin and Size headers.
      expect(doc.body.textContent).toMatch(/Coin[\s\S]*Size[\s\S]*BTC[\s\S]*ETH/);
      expect(readHyperliquidRows(doc, COINS)).toBeNull();
    },
  );

  it('does not recognise a table whose positions-only headers were renamed (floating panel case)', () => {
    expect(readHyperliquidRows(load('hl-positions-renamed.html'), COINS)).toBeNull();
  });

  it('returns null when there is no positions table', () => {
    expect(readHyperliquidRows(load('hl-no-positions.html'), COINS)).toBeNull();
  });

  it('ignores rows of coins that are not watched', () => {
    const rows = readHyperliquidRows(load('hl-positions.html'), ['SOL']);
    expect(rows?.map((r) => r.coin)).toEqual(['SOL']);
  });
});

describe('matchCoin', () => {
  it('prefers exact names, then dex-tagged bare symbols, then unambiguous bare symbols', () => {
    expect(matchCoin('BTC 20x', ['BTC', 'xyz:BTC'])).toBe('BTC');
    expect(matchCoin('TSLA xyz 10x', ['xyz:TSLA', 'flx:TSLA'])).toBe('xyz:TSLA');
    expect(matchCoin('TSLA 10x', ['xyz:TSLA', 'flx:TSLA'])).toBeNull();
    expect(matchCoin('TSLA 10x', ['xyz:TSLA'])).toBe('xyz:TSLA');
    expect(matchCoin('BTCUSD', ['BTC'])).toBeNull();
  });

  it('gives a HIP-3 row with a dex tag its own coin when the main dex has the same symbol', () => {
    // e.g. BTC on the main dex and hyna:BTC (a HIP-3 dex listing crypto) held at the same time.
    expect(matchCoin('BTC hyna 20x', ['BTC', 'hyna:BTC'])).toBe('hyna:BTC');
    expect(matchCoin('BTC 20x', ['BTC', 'hyna:BTC'])).toBe('BTC');
    expect(matchCoin('hyna:BTC 20x', ['BTC', 'hyna:BTC'])).toBe('hyna:BTC');
    document.body.innerHTML = `<table>
      <tr><td>Coin</td><td>Size</td><td>Position Value</td><td>Liq. Price</td></tr>
      <tr><td><a>BTC</a><span>20x</span></td><td>0.5 BTC</td><td>1 USDC</td><td>1</td></tr>
      <tr><td><a>BTC</a><span>hyna</span><span>10x</span></td><td>0.1 BTC</td><td>1 USDC</td><td>1</td></tr>
    </table>`;
    const rows = readHyperliquidRows(document, ['BTC', 'hyna:BTC']);
    expect(rows?.map((r) => [r.coin, r.row.textContent?.includes('0.1 BTC')])).toEqual([
      ['BTC', false],
      ['hyna:BTC', true],
    ]);
  });
});
