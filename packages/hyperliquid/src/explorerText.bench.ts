/**
 * Benchmark (issue 15, not a test): one explorer poll of a writer of 375 markets whose answer
 * repeats 300 setOracle txs, 20 of them new (a 60 s poll at HL's ~3 s oracle cadence) — the whole
 * answer parsed then filtered, against the known txs cut out of its bytes as they arrive (64 KB
 * chunks, as a socket hands them over).
 * Run: pnpm --filter @perpscope/hyperliquid bench
 */
import { type BenchResult, test } from 'vitest';
import { createKnownTxFilter } from './explorerText.js';

const pxs = Array.from({ length: 375 }, (_, i) => [`flx:M${i}`, `${100 + i}.2512`]);
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const text = JSON.stringify({
  type: 'userDetails',
  txs: Array.from({ length: 300 }, (_, k) => ({
    action: { type: 'perpDeploy', setOracle: { dex: 'flx', oraclePxs: pxs, markPxs: [pxs] } },
    block: 1_000_000 - k,
    error: null,
    hash: hash(300 - k),
    time: 1_765_000_000_000 - k * 3000,
    user: '0x1234567890abcdef1234567890abcdef12345678',
  })),
});
const bytes = new TextEncoder().encode(text);
const known = new Set(Array.from({ length: 280 }, (_, i) => hash(i + 1)));
const isKnown = (h: string) => known.has(h);

const median = (result: BenchResult) =>
  console.log(`median ${result.name}: ${result.latency.p50.toFixed(2)} ms`);

test(`one explorer answer of ${(text.length / 1e6).toFixed(1)} MB, 20 of 300 txs new`, async ({
  bench,
}) => {
  median(
    await bench('JSON.parse, then skip the known txs', () => {
      const all = JSON.parse(text) as { txs: { hash: string }[] };
      if (all.txs.filter((tx) => !isKnown(tx.hash)).length !== 20) throw new Error('bad bench');
    }).run(),
  );
  median(
    await bench('decode, JSON.parse, then skip the known txs (from bytes)', () => {
      const all = JSON.parse(new TextDecoder().decode(bytes)) as { txs: { hash: string }[] };
      if (all.txs.filter((tx) => !isKnown(tx.hash)).length !== 20) throw new Error('bad bench');
    }).run(),
  );
  median(
    await bench('createKnownTxFilter over 64 KB chunks, then JSON.parse', () => {
      const filter = createKnownTxFilter(isKnown);
      for (let i = 0; i < bytes.length; i += 65_536) filter.push(bytes.subarray(i, i + 65_536));
      const kept = JSON.parse(filter.finish()) as { txs: unknown[] };
      if (kept.txs.length !== 20) throw new Error('bad bench');
    }).run(),
  );
});
