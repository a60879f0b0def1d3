// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  type CoinRow,
  HyperliquidRowReader,
  matchCoin,
  readHyperliquidRows,
} from './readHyperliquidRows.js';

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

describe('HyperliquidRowReader (rows kept while they are the same nodes)', () => {
  /** Coin, coin cell and row of each match, as indexes into the page (identity, not look-alike). */
  const view = (rows: CoinRow[] | null) => {
    const cells = [...document.querySelectorAll('td, th')];
    const trs = [...document.querySelectorAll('tr')];
    return (
      rows?.map((r) => [
        r.coin,
        cells.indexOf(r.anchor),
        trs.indexOf(r.row as HTMLTableRowElement),
      ]) ?? null
    );
  };
  const rowsOf = () => [...document.querySelectorAll('tr')];
  const coinCell = (coin: string) =>
    rowsOf().find((tr) => tr.cells[0]?.textContent?.includes(coin))
      ?.cells[0] as HTMLTableCellElement;

  it('reads as a fresh read after every kind of page change, and skips the work while rows are the same', () => {
    const doc = load('hl-positions.html');
    const reader = new HyperliquidRowReader();
    const same = (coins = COINS) => {
      const got = view(reader.read(doc, coins));
      expect(got).toEqual(view(readHyperliquidRows(doc, coins)));
      return got;
    };
    expect(same()?.map((r) => r[0])).toEqual(['ETH', 'BTC', 'xyz:TSLA']);
    const first = reader.read(doc, COINS);
    // Another column's text changes (marks, PNL): the rows are the same nodes, nothing is re-read.
    const pnl = rowsOf()[1]?.cells[2] as HTMLTableCellElement;
    pnl.textContent = '1.00 USDC';
    const spy = vi.spyOn(Element.prototype, 'querySelectorAll');
    const again = reader.read(doc, COINS);
    expect(spy.mock.calls.length).toBeLessThanOrEqual(1); // the table's rows, no per-row queries
    spy.mockClear();
    readHyperliquidRows(doc, COINS);
    expect(spy.mock.calls.length).toBeGreaterThan(3); // a fresh read queries each row's cells
    spy.mockRestore();
    expect(again).toEqual(first);
    expect(again?.[0]).toBe(first?.[0]);
    // A coin cell's text changes in place: that row is matched again.
    const eth = coinCell('ETH');
    eth.textContent = 'SOL 20x';
    expect(same()?.map((r) => r[0])).toEqual(['BTC', 'xyz:TSLA']);
    // The snapshot's SOL row matches too once SOL is watched.
    expect(same(['SOL', 'BTC'])?.map((r) => r[0])).toEqual(['SOL', 'BTC', 'SOL']);
    eth.textContent = 'ETH 20x';
    expect(same()?.map((r) => r[0])).toEqual(['ETH', 'BTC', 'xyz:TSLA']);
    // The header row relabelled in place (a tab switch that keeps the nodes): not positions.
    const header = rowsOf()[0] as HTMLTableRowElement;
    const labels = [...header.cells].map((c) => c.textContent);
    for (const c of header.cells)
      c.textContent = c.textContent === 'Liq. Price' ? 'Price' : c.textContent;
    for (const c of header.cells)
      if (/position value|pnl|entry/i.test(c.textContent ?? '')) c.textContent = 'Fee';
    expect(same()).toBeNull();
    [...header.cells].forEach((c, i) => {
      c.textContent = labels[i] ?? '';
    });
    expect(same()?.map((r) => r[0])).toEqual(['ETH', 'BTC', 'xyz:TSLA']);
    // Rows reordered and replaced by new nodes (a re-render of the table).
    const body = header.parentElement as HTMLElement;
    const data = rowsOf().slice(1);
    for (const tr of data.reverse()) body.append(tr.cloneNode(true));
    for (const tr of data) tr.remove();
    expect(same()?.map((r) => r[0])).toEqual(['xyz:TSLA', 'BTC', 'ETH']);
    // A cell added to a row (columns moved), then the table gone.
    // The BTC row's coin cell is no longer under the Coin header: the row gets no badge.
    coinCell('BTC').parentElement?.prepend(document.createElement('td'));
    expect(same()?.map((r) => r[0])).toEqual(['xyz:TSLA', 'ETH']);
    doc.querySelector('table')?.remove();
    expect(same()).toBeNull();
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
