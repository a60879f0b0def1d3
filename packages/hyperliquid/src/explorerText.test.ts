import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HlUserDetails } from './explorerSchemas.js';
import { createKnownTxFilter, ExplorerTextError } from './explorerText.js';

const WRITER = '0x1234567890abcdef1234567890abcdef12345678';
const hashOf = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

/**
 * A `userDetails` answer of the shape the explorer sends (`{type, txs: [{action, block, error,
 * hash, time, user}]}`, research/hyperliquid.md §1.1 for the `setOracle` action): `count`
 * transactions of `markets` price pairs each, newest first.
 */
function answer(count: number, markets: number) {
  const pxs = Array.from({ length: markets }, (_, i) => [`flx:M${i}`, `${100 + i}.25`]);
  return {
    type: 'userDetails',
    txs: Array.from({ length: count }, (_, k) => ({
      action: {
        type: 'perpDeploy',
        setOracle: { dex: 'flx', oraclePxs: pxs, markPxs: [pxs], externalPerpPxs: [] },
      },
      block: 1000 - k,
      error: null,
      hash: hashOf(count - k),
      time: 1_765_000_000_000 - k * 3000,
      user: WRITER,
    })),
  };
}

/**
 * The filter's output for `text` pushed in chunks of the given sizes (cycled; the default, one
 * chunk), as the network might split it: anywhere, inside strings, escapes and UTF-8 sequences.
 */
type IsKnown = (hash: string, time: number | null) => boolean;

function filtered(text: string, isKnown: IsKnown, sizes: number[] = []): string {
  const bytes = new TextEncoder().encode(text);
  const filter = createKnownTxFilter(isKnown);
  if (sizes.length === 0) filter.push(bytes);
  else
    for (let i = 0, k = 0; i < bytes.length; k++) {
      const size = sizes[k % sizes.length] as number;
      filter.push(bytes.subarray(i, i + size));
      i += size;
    }
  return filter.finish();
}

/** What the function must be equivalent to: parse everything, then drop the known. */
function reference(text: string, isKnown: IsKnown) {
  const all = JSON.parse(text) as { txs: unknown[] };
  const hashOfTx = (tx: unknown) =>
    typeof tx === 'object' && tx !== null && !Array.isArray(tx)
      ? (tx as { hash?: unknown }).hash
      : undefined;
  return {
    ...all,
    txs: all.txs.filter((tx) => {
      const h = hashOfTx(tx);
      const t = typeof h === 'string' ? (tx as { time?: unknown }).time : null;
      return !(typeof h === 'string' && isKnown(h, typeof t === 'number' ? t : null));
    }),
  };
}

describe('createKnownTxFilter', () => {
  it('cuts the known transactions out of the text and keeps the rest as they were', () => {
    const text = JSON.stringify(answer(300, 20));
    const known = new Set(Array.from({ length: 290 }, (_, i) => hashOf(i + 1)));
    const kept = filtered(text, (h) => known.has(h), [65_536]);
    const parsed = HlUserDetails.parse(JSON.parse(kept));
    expect(parsed.txs.map((tx) => tx.hash)).toEqual(
      Array.from({ length: 10 }, (_, i) => hashOf(300 - i)),
    );
    expect(JSON.parse(kept)).toEqual(reference(text, (h) => known.has(h)));
    expect(kept.length).toBeLessThan(text.length / 20);
  });

  it('returns the same text when nothing is known (spaces between txs aside), an empty list when all is', () => {
    const text = JSON.stringify(answer(5, 3));
    expect(filtered(text, () => false, [1])).toBe(text);
    const spaced = JSON.stringify(answer(5, 3), null, 2);
    expect(JSON.parse(filtered(spaced, () => false, [3]))).toEqual(JSON.parse(spaced));
    expect(JSON.parse(filtered(spaced, () => true, [5]))).toEqual({
      type: 'userDetails',
      txs: [],
    });
  });

  it('reads only a transaction’s own hash: a `hash` inside its action or a non-string one is not it', () => {
    const text = JSON.stringify({
      txs: [
        { action: { type: 'other', hash: hashOf(1) }, hash: hashOf(2) },
        { hash: 7, action: { hash: hashOf(1) } },
        { action: ['positional', { hash: hashOf(1) }], user: WRITER },
        'not an object',
        { hash: hashOf(1) },
      ],
      type: 'userDetails',
    });
    const kept = JSON.parse(filtered(text, (h) => h === hashOf(1), [2])) as {
      txs: unknown[];
    };
    expect(kept.txs).toHaveLength(4);
    expect(kept).toEqual(reference(text, (h) => h === hashOf(1)));
    // Of two members of one name the last wins, as in JSON.parse.
    const twice = `{"txs":[{"hash":"${hashOf(1)}","hash":3},{"hash":4,"hash":"${hashOf(1)}"}]}`;
    expect(JSON.parse(filtered(twice, (h) => h === hashOf(1)))).toEqual({
      txs: [{ hash: 3 }],
    });
    // The time offered is the transaction's own, a number, the last of two.
    const times: (number | null)[] = [];
    filtered(
      `{"txs":[{"time":5,"hash":"a","action":{"time":1}},{"hash":"b","time":"6"},` +
        `{"time":7,"time":-8.5e3,"hash":"c"},{"time":9,"time":null,"hash":"d"},{"hash":"e"}]}`,
      (_, t) => {
        times.push(t);
        return false;
      },
      [4],
    );
    expect(times).toEqual([5, null, -8500, null, null]);
    // Only the top-level `txs` is edited.
    const nested = `{"a":{"txs":[{"hash":"${hashOf(1)}"}]},"txs":[{"hash":"${hashOf(1)}"}]}`;
    expect(JSON.parse(filtered(nested, (h) => h === hashOf(1)))).toEqual({
      a: { txs: [{ hash: hashOf(1) }] },
      txs: [],
    });
  });

  it('passes other answers through whole, for the caller’s JSON.parse and schema to judge', () => {
    for (const text of [
      '[]',
      '"busy"',
      '5',
      '{"type":"userDetails"}',
      '{"type":"userDetails","txs":null}',
      '{"type":"error","message":"unsupported"}',
    ])
      expect(filtered(text, () => true, [1])).toBe(text);
  });

  it('names the byte where the answer stops being JSON, wherever the chunks split it', () => {
    const cases: [string, string][] = [
      ['', 'unexpected end of the answer at byte 0'],
      ['<html>busy</html>', 'unexpected < at byte 0'],
      ['{"txs":[{"hash":"0x1"}', 'unexpected end of the answer at byte 22'],
      ['{"txs":[{"hash":"0x1"}]} trailing', 'unexpected text after the answer at byte 25'],
      [
        '{"txs":[{"hash":"0x1" "x":1}]}',
        'expected a comma or a closing bracket, found " at byte 22',
      ],
      ['{"txs":[{"hash" "0x1"}]}', 'expected a colon after the key at byte 16'],
      ['{"txs":[{"hash":"0x1\\"}]}', 'unterminated string at byte 25'],
      ['{"txs":[{"hash":"0x1"]}', 'unmatched ] at byte 21'],
      ['{"txs":[{"hash":"0x1"},]}', 'unexpected ] at byte 23'],
      ['{"txs":[{"hash":"0x1",}]}', 'expected a key at byte 22'],
      ['{"txs":[1 2]}', 'expected a comma or a closing bracket, found 2 at byte 10'],
      ['{} {}', 'unexpected text after the answer at byte 3'],
      // Inside a transaction's action only strings and brackets are followed.
      ['{"txs":[{"a":[1}]}', 'unmatched } at byte 15'],
      ['{"txs":[{"a":{"b":"]"]}]}', 'unmatched ] at byte 21'],
    ];
    for (const [text, message] of cases)
      for (const sizes of [[], [1], [3]]) {
        const error = (() => {
          try {
            filtered(text, () => true, sizes);
          } catch (e) {
            return e;
          }
        })();
        expect(error, `${text} in chunks of ${sizes}`).toBeInstanceOf(ExplorerTextError);
        expect((error as Error).message).toBe(`explorer answer is not JSON: ${message}`);
        // Whatever JSON.parse says of the same text, it also refuses it.
        expect(() => JSON.parse(text)).toThrow(SyntaxError);
      }
  });

  it('agrees with parse-then-filter on any JSON text: escapes, unicode, whitespace, member order', () => {
    const hash = fc.constantFrom(hashOf(1), hashOf(2), 'x"y\\', '\\"', '\u2028é');
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
      ),
      node: fc.oneof(
        { depthSize: 'small' },
        tie('leaf'),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('hash', 'time')), tie('node'), {
          maxKeys: 3,
        }),
      ),
    })).node;
    const time = fc.oneof(
      fc.integer({ min: -100, max: 100 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      value,
    );
    const tx = fc.oneof(
      fc.record({ hash, action: value, time }),
      fc.record({ time, action: value, hash: fc.oneof(hash, value) }),
      fc.record({ action: value, hash: fc.oneof(hash, value) }),
      value,
    );
    const body = fc.record({
      type: fc.string(),
      txs: fc.array(tx, { maxLength: 6 }),
      extra: value,
    });
    fc.assert(
      fc.property(
        body,
        fc.constantFrom(undefined, 1, '\t', ' \n '),
        fc.subarray([hashOf(1), 'x"y\\', '\\"', '\u2028é']),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }),
        fc.integer({ min: -50, max: 50 }),
        (b, indent, knownList, sizes, before) => {
          const text = JSON.stringify(b, null, indent);
          const known = new Set(knownList);
          // Known by hash, or older than `before` (a poller's backfill floor).
          const isKnown = (h: string, t: number | null) =>
            known.has(h) || (t !== null && t < before);
          expect(JSON.parse(filtered(text, isKnown, sizes))).toEqual(reference(text, isKnown));
        },
      ),
      { numRuns: 500 },
    );
  });
});
