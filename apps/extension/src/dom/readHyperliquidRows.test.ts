// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchCoin, readHyperliquidRows } from './readHyperliquidRows.js';

const load = (name: string) => {
  document.body.innerHTML = readFileSync(resolve(process.cwd(), 'test/snapshots', name), 'utf8');
  return document;
};
const COINS = ['BTC', 'ETH', 'xyz:TSLA'];

describe('readHyperliquidRows', () => {
  it('finds rows by header text with <td> headers and matches coin cells (HIP-3 by dex tag)', () => {
    const rows = readHyperliquidRows(load('hl-positions.html'), COINS);
    expect(rows?.map((r) => r.coin)).toEqual(['BTC', 'ETH', 'xyz:TSLA']);
    // The anchor is the coin cell of the right row.
    expect(rows?.[1]?.anchor.textContent).toContain('ETH');
    expect(rows?.[1]?.row.textContent).toContain('-4.2 ETH');
  });

  it('handles a renamed coin column ("Asset"), <th> headers with sort arrows', () => {
    const rows = readHyperliquidRows(load('hl-positions-renamed.html'), COINS);
    expect(rows?.map((r) => r.coin)).toEqual(['BTC', 'ETH']);
  });

  it('reads an ARIA div grid with a "Market" column', () => {
    const rows = readHyperliquidRows(load('hl-positions-divgrid.html'), COINS);
    expect(rows?.map((r) => r.coin)).toEqual(['xyz:TSLA', 'BTC']);
    expect(rows?.[0]?.anchor.getAttribute('role')).toBe('cell');
  });

  it('returns null when there is no positions table (floating panel case)', () => {
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
      <tr><td>Coin</td><td>Size</td></tr>
      <tr><td><a>BTC</a><span>20x</span></td><td>0.5 BTC</td></tr>
      <tr><td><a>BTC</a><span>hyna</span><span>10x</span></td><td>0.1 BTC</td></tr>
    </table>`;
    const rows = readHyperliquidRows(document, ['BTC', 'hyna:BTC']);
    expect(rows?.map((r) => [r.coin, r.row.textContent?.includes('0.1 BTC')])).toEqual([
      ['BTC', false],
      ['hyna:BTC', true],
    ]);
  });
});
