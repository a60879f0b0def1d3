import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vector from '../../test/vectors/risk-l2book-btc.json' with { type: 'json' };
import { bookDepth } from './bookDepth.js';
import { bookSpread } from './bookSpread.js';
import type { L2Book } from './l2Book.js';
import { takerDepthRatio } from './takerDepthRatio.js';

// Real HL mainnet BTC book (20 levels a side), source in the vector file.
const btc = vector.book as unknown as L2Book;

describe('bookSpread', () => {
  it('matches the real BTC book (best 64900.0 / 64901.0, HL reports spread "1.0")', () => {
    const s = bookSpread(btc);
    expect(s).not.toBeNull();
    expect(s?.bestBid).toBe('64900');
    expect(s?.bestAsk).toBe('64901');
    expect(s?.mid).toBe('64900.5');
    expect(s?.spread).toBe(vector.book.spread.replace(/\.0$/, ''));
    // 1 / 64900.5 × 10,000 = 0.154082017858… bps (Python Decimal)
    expect(s?.spreadBps).toBeCloseTo(0.1540820178581059, 14);
  });

  it('is null when a side is empty', () => {
    expect(bookSpread({ levels: [[{ px: '1', sz: '1', n: 1 }], []] })).toBeNull();
  });

  it('rejects crossed and unsorted books', () => {
    expect(() =>
      bookSpread({ levels: [[{ px: '101', sz: '1', n: 1 }], [{ px: '100', sz: '1', n: 1 }]] }),
    ).toThrow(expect.objectContaining({ name: 'Math.InvalidBookError' }));
    expect(() =>
      bookSpread({
        levels: [
          [
            { px: '99', sz: '1', n: 1 },
            { px: '99.5', sz: '1', n: 1 },
          ],
          [],
        ],
      }),
    ).toThrow(
      expect.objectContaining({ name: 'Math.InvalidBookError', parameter: 'book.levels[0][1].px' }),
    );
    expect(() => bookSpread({ levels: [[], [{ px: '0', sz: '1', n: 1 }]] })).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'book.levels[1][0].px',
      }),
    );
    expect(() => bookSpread({ levels: [[{ px: '1', sz: '-2', n: 1 }], []] })).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'book.levels[0][0].sz',
      }),
    );
  });
});

describe('bookDepth', () => {
  it('sums the real BTC book within ±1 bp and ±2 % of mid (Python Decimal over the fixture)', () => {
    // mid 64900.5; ±0.01 % → [64894.00995, 64906.99005]: bids 64900…64895, asks 64901…64906.
    const narrow = bookDepth({ book: btc, bandFraction: '0.0001' });
    expect(narrow).toEqual({
      bid: { base: '20.92406', quote: '1357952.07206', levels: 6 },
      ask: { base: '10.40644', quote: '675417.97591', levels: 6 },
      totalQuote: '2033370.04797',
    });
    // Kaiko's ±2 % covers all 20 levels a side of this nSigFigs=5 snapshot.
    const kaiko = bookDepth({ book: btc, bandFraction: '0.02' });
    expect(kaiko?.bid).toEqual({ base: '100.59178', quote: '6527288.35291', levels: 20 });
    expect(kaiko?.ask).toEqual({ base: '110.82321', quote: '7193828.6872', levels: 20 });
    expect(kaiko?.totalQuote).toBe('13721117.04011');
  });

  it('matches its documentation example (mid 100, ±2 % → [98, 102])', () => {
    const d = bookDepth({
      book: {
        levels: [
          [
            { px: '99', sz: '1', n: 1 },
            { px: '97', sz: '5', n: 1 },
          ],
          [{ px: '101', sz: '2', n: 1 }],
        ],
      },
      bandFraction: '0.02',
    });
    expect(d).toEqual({
      bid: { base: '1', quote: '99', levels: 1 },
      ask: { base: '2', quote: '202', levels: 1 },
      totalQuote: '301',
    });
  });

  it('centres on a reference price and includes the band edges exactly', () => {
    const book: L2Book = {
      levels: [
        [
          { px: '98', sz: '1', n: 1 },
          { px: '97.99', sz: '5', n: 1 },
        ],
        [
          { px: '102', sz: '2', n: 1 },
          { px: '102.01', sz: '7', n: 1 },
        ],
      ],
    };
    // ref 100 ± 2 % = [98, 102]: both edge levels count, the next ones do not.
    const d = bookDepth({ book, bandFraction: '0.02', referencePx: '100' });
    expect(d?.bid).toEqual({ base: '1', quote: '98', levels: 1 });
    expect(d?.ask).toEqual({ base: '2', quote: '204', levels: 1 });
  });

  it('returns null sides for empty sides and null without any reference', () => {
    const oneSided: L2Book = { levels: [[{ px: '99', sz: '1', n: 1 }], []] };
    expect(bookDepth({ book: oneSided, bandFraction: '0.03' })).toBeNull();
    const d = bookDepth({ book: oneSided, bandFraction: '0.03', referencePx: '100' });
    expect(d?.ask).toBeNull();
    expect(d?.bid).toEqual({ base: '1', quote: '99', levels: 1 });
    expect(d?.totalQuote).toBe('99');
  });

  it('throws on band ≤ 0, a malformed decimal and a bad reference', () => {
    expect(() => bookDepth({ book: btc, bandFraction: '0' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'bandFraction' }),
    );
    expect(() => bookDepth({ book: btc, bandFraction: '-0.02' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError' }),
    );
    expect(() => bookDepth({ book: btc, bandFraction: '2%' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidDecimalError', parameter: 'bandFraction' }),
    );
    expect(() =>
      bookDepth({ book: { levels: [[{ px: '1,0', sz: '1', n: 1 }], []] }, bandFraction: '0.02' }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidDecimalError',
        parameter: 'book.levels[0][0].px',
      }),
    );
    expect(() => bookDepth({ book: btc, bandFraction: '0.02', referencePx: '0' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'referencePx' }),
    );
  });

  it('is monotone in the band width (property)', () => {
    const levels = (side: 1 | -1) =>
      fc
        .uniqueArray(fc.integer({ min: 1, max: 400 }), { maxLength: 20 })
        .chain((offsets) =>
          fc.tuple(
            fc.constant([...offsets].sort((a, b) => a - b)),
            fc.array(fc.integer({ min: 0, max: 10_000 }), {
              minLength: offsets.length,
              maxLength: offsets.length,
            }),
          ),
        )
        .map(([offsets, sizes]) =>
          offsets.map((o, i) => ({
            px: (1000 + side * o * 0.25).toFixed(2),
            sz: ((sizes[i] as number) / 1000).toFixed(3),
            n: 1,
          })),
        );
    fc.assert(
      fc.property(
        levels(-1),
        levels(1),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 2000 }),
        (bids, asks, a, b) => {
          const book: L2Book = { levels: [bids, asks] };
          const narrow = (Math.min(a, b) / 10_000).toFixed(4);
          const wide = (Math.max(a, b) / 10_000).toFixed(4);
          const dn = bookDepth({ book, bandFraction: narrow, referencePx: '1000' });
          const dw = bookDepth({ book, bandFraction: wide, referencePx: '1000' });
          return (
            Number(dn?.totalQuote) <= Number(dw?.totalQuote) &&
            (dn?.bid?.levels ?? 0) <= (dw?.bid?.levels ?? 0) &&
            (dn?.ask?.levels ?? 0) <= (dw?.ask?.levels ?? 0)
          );
        },
      ),
    );
  });
});

describe('takerDepthRatio', () => {
  it('divides taker volume by depth, null on an empty book', () => {
    expect(takerDepthRatio({ takerVolume: '1500000', depth: '500000' })).toBe(3);
    expect(takerDepthRatio({ takerVolume: '1', depth: '0' })).toBeNull();
    expect(() => takerDepthRatio({ takerVolume: '-1', depth: '5' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'takerVolume' }),
    );
  });
});
