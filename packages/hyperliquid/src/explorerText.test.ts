import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HlUserDetails } from './explorerSchemas.js';
import { dropKnownExplorerTxs } from './explorerText.js';

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

/** What the function must be equivalent to: parse everything, then drop the known. */
function reference(text: string, isKnown: (hash: string) => boolean) {
  const all = JSON.parse(text) as { txs: unknown[] };
  const hashOfTx = (tx: unknown) =>
    typeof tx === 'object' && tx !== null && !Array.isArray(tx)
      ? (tx as { hash?: unknown }).hash
      : undefined;
  return {
    ...all,
    txs: all.txs.filter((tx) => {
      const h = hashOfTx(tx);
      return !(typeof h === 'string' && isKnown(h));
    }),
  };
}

describe('dropKnownExplorerTxs', () => {
  it('cuts the known transactions out of the text and keeps the rest as they were', () => {
    const text = JSON.stringify(answer(300, 20));
    const known = new Set(Array.from({ length: 290 }, (_, i) => hashOf(i + 1)));
    const kept = dropKnownExplorerTxs(text, (h) => known.has(h));
    const parsed = HlUserDetails.parse(JSON.parse(kept));
    expect(parsed.txs.map((tx) => tx.hash)).toEqual(
      Array.from({ length: 10 }, (_, i) => hashOf(300 - i)),
    );
    expect(JSON.parse(kept)).toEqual(reference(text, (h) => known.has(h)));
    expect(kept.length).toBeLessThan(text.length / 20);
  });

  it('returns the very same text when nothing is known, and an empty list when all is', () => {
    const text = JSON.stringify(answer(5, 3), null, 2);
    expect(dropKnownExplorerTxs(text, () => false)).toBe(text);
    expect(JSON.parse(dropKnownExplorerTxs(text, () => true))).toEqual({
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
    const kept = JSON.parse(dropKnownExplorerTxs(text, (h) => h === hashOf(1))) as {
      txs: unknown[];
    };
    expect(kept.txs).toHaveLength(4);
    expect(kept).toEqual(reference(text, (h) => h === hashOf(1)));
    // Of two members of one name the last wins, as in JSON.parse.
    const twice = `{"txs":[{"hash":"${hashOf(1)}","hash":3},{"hash":4,"hash":"${hashOf(1)}"}]}`;
    expect(JSON.parse(dropKnownExplorerTxs(twice, (h) => h === hashOf(1)))).toEqual({
      txs: [{ hash: 3 }],
    });
  });

  it('gives back text it cannot read as it is (the caller’s JSON.parse or schema reports it)', () => {
    for (const text of [
      'not json',
      '',
      '[]',
      '{"type":"userDetails"}',
      '{"type":"userDetails","txs":null}',
      '{"txs":[{"hash":"0x1"}',
      '{"txs":[{"hash":"0x1"}]} trailing',
      '{"txs":[{"hash":"0x1" "x":1}]}',
      '{"txs":[{"hash":"0x1\\"}]}',
    ])
      expect(dropKnownExplorerTxs(text, () => true)).toBe(text);
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
        fc.dictionary(fc.oneof(fc.string(), fc.constant('hash')), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    const tx = fc.oneof(
      fc.record({ hash, action: value, time: fc.integer() }),
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
        (b, indent, knownList) => {
          const text = JSON.stringify(b, null, indent);
          const known = new Set(knownList);
          const isKnown = (h: string) => known.has(h);
          expect(JSON.parse(dropKnownExplorerTxs(text, isKnown))).toEqual(reference(text, isKnown));
        },
      ),
      { numRuns: 500 },
    );
  });
});
