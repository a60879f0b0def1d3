import { type BenchResult, test } from 'vitest';
import vector from '../../test/vectors/risk-l2book-btc.json' with { type: 'json' };
import { backtestMetrics } from './backtestMetrics.js';
import { bookDepth } from './bookDepth.js';
import { constantProductSwap } from './constantProductSwap.js';
import { depthSwings } from './depthSwings.js';
import { expectedFunding } from './expectedFunding.js';
import type { FundingSample } from './fundingSample.js';
import { fundingSurface } from './fundingSurface.js';
import { hip3StakeAssessment } from './hip3StakeAssessment.js';
import type { L2Book } from './l2Book.js';

const book = vector.book as unknown as L2Book; // real HL BTC book, 20 levels a side

// Deterministic pseudo-random series (no Math.random: reproducible runs).
let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const samples: FundingSample[] = Array.from({ length: 1000 }, (_, i) => ({
  symbol: ['BTC', 'ETH', 'SOL', 'DOGE'][i % 4] as string,
  timeMs: i * 900_000,
  rate: ((rand() - 0.4) / 10_000).toFixed(10),
  intervalHours: 1,
  volume: (rand() * 1e6).toFixed(2),
}));
const oneSymbol = samples.map((s) => ({ ...s, symbol: 'BTC' }));
const returns = Array.from({ length: 1000 }, () => (rand() - 0.48) / 50);
const snapshots = Array.from({ length: 500 }, (_, i) => ({
  timeMs: i * 1000,
  depth: (1e6 * (0.5 + rand())).toFixed(2),
}));

/** Prints the median latency, the figure reported for performance targets (the table shows mean/p75/p99). */
function median(result: BenchResult): void {
  console.log(`median ${result.name}: ${(result.latency.p50 * 1000).toFixed(2)} µs`);
}

// Vitest 5: `bench` is a test-context fixture; each `.run()` prints its latency/throughput table.
test('order book', async ({ bench }) => {
  median(
    await bench('bookDepth ±2 % on a 20-level book', () => {
      bookDepth({ book, bandFraction: '0.02' });
    }).run(),
  );
  median(
    await bench('depthSwings over 500 snapshots, 60 s window', () => {
      depthSwings({ snapshots, windowMs: 60_000 });
    }).run(),
  );
});

test('funding', async ({ bench }) => {
  median(
    await bench('expectedFunding EWMA over 1,000 samples', () => {
      expectedFunding({ samples: oneSymbol, estimator: { kind: 'ewma', alpha: 0.1 } });
    }).run(),
  );
  median(
    await bench('fundingSurface 1,000 samples × 4 symbols, hourly, SMA(24)', () => {
      fundingSurface({ samples, bucketMs: 3_600_000, estimator: { kind: 'sma', window: 24 } });
    }).run(),
  );
});

test('metrics and AMM', async ({ bench }) => {
  median(
    await bench('backtestMetrics over 1,000 returns', () => {
      backtestMetrics({ returns, periodHours: 1 });
    }).run(),
  );
  median(
    await bench('constantProductSwap', () => {
      constantProductSwap({ reserveIn: '5', reserveOut: '10', amountIn: '1' });
    }).run(),
  );
  median(
    await bench('hip3StakeAssessment, 1 market, default scenarios', () => {
      hip3StakeAssessment({
        stakeHype: '500000',
        markets: [
          {
            coin: 'xyz:TSLA',
            openInterestUsd: '30000000',
            volume24hUsd: '20000000',
            maxLeverage: 20,
            depthUsd: '3000000',
            session: 'marketHours',
            oracle: { lastUpdateAgeMs: 3_000, markDeviation: 0.01 },
          },
        ],
      });
    }).run(),
  );
});
