// Throughput benchmark of the hot paths, run against the built dist/ (`pnpm bench` builds first).
// Each case runs ROUNDS timed rounds of a fixed number of calls after a warm-up; the median ops/s is
// printed (SPEC §6: liquidation solve with a 3-tier table ≥ 1,000,000/s; premium/annualize ≥ 5,000,000/s;
// analyzeHyperliquidAccount on a 34-position unified account over 3 dexes ≥ 20,000/s).
//
// The VM is shared (load average 6–17 on 2 cores while other agents test), so wall-clock medians swing
// 2×. The account line is also printed as a ratio to the pre-parsed solver in the same run; that ratio is
// not load-proof either (the allocation-heavy account loses more to a loaded machine than the solver),
// and it moves when the solver itself gets faster.
//
// The account line, history (same 16 accounts):
// - perf pass 1 (commit cfa42d0): 15,154/s on a quiet VM (load 0.2), solver 2.42 M/s, ratio 6.27e-3;
//   14,581/s at load 0.9 on 2026-12-06 21:14 (solver 2.26 M/s, ratio 6.46e-3).
// - perf pass 2 (2026-12-06, branch wip-mathperf): 19,341/s at load 6.2 (solver 2.34 M/s, ratio
//   8.26e-3; this solver is 1.15× the old one: signs decide a non-positive root before any
//   division). No quiet run was possible. Old and new dist/ in one process, interleaved, CPU time
//   (process.cpuUsage, 101 rounds): new/old 1.21–1.23× (load 6–17); new account / old solver
//   7.0–7.4e-3 (old account 5.8–6.0e-3), i.e. 17.0–17.9 k/s at the old solver's quiet 2.42 M/s (the
//   same scaling puts the old build at 14.1–14.5 k/s against its measured 15.15 k, so it reads ~5 %
//   low). callgrind (`node --single-threaded`, 2,000 vs 6,000 calls): 803 k → 621 k instructions
//   per analysis (1.29×). Quiet estimate 15,154 × 1.21–1.29 ≈ 18.3–19.5 k/s: the 20,000/s target is
//   still not met.
// - perf pass 3 (2026-12-06, branch wip-mathperf2): callgrind 610–622 k → 597–605 k instructions per
//   analysis (≈ 1.02–1.03×; two runs each, 2,000 vs 6,000 calls); interleaved CPU time new/old 0.995–1.023
//   (noise level). Same-minute runs at load 3.6–5.5: old build 19,341 and 19,365/s (ratio 7.41–7.45e-3),
//   new build 18,805, 20,081 and 20,594/s (ratio 7.04–7.78e-3) — so the pass-2 build already reads
//   ~19.4 k/s under load and the quiet estimate above is pessimistic, but no quiet run was possible and
//   the target is not shown met. Printing is ~20 % of the instructions (603 k → 485 k with format18 and
//   pointAt stubbed out), BigInt toString ~1,100 instructions per 2-word value however it is spelled.
// - quiet run of the merged build (2026-12-06 22:43–22:50, load 0.6–0.95, nothing else running), nine
//   runs: 19,793 19,797 20,178 20,242 20,274 20,441 20,637 20,736 21,169/s (median 20,274), solver
//   2.72–2.76 M/s, ratio 7.23–7.55e-3. Met at the median, thin margin (2 of 9 below).
import { readFileSync } from 'node:fs';
import {
  analyzeHyperliquidAccount,
  annualizeRate,
  annualizeRateFixed,
  hyperliquidMarginTable,
  liquidationPrice,
  parseDecimal,
  premiumIndex,
  premiumIndexFixed,
  solveLiquidationPrice,
} from '../dist/index.js';

const ROUNDS = 15;
let sink = 0n;

const medians = {};

function bench(name, callsPerRound, target, fn) {
  for (let i = 0; i < 3; i++) fn(callsPerRound); // warm-up (JIT)
  const rates = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    fn(callsPerRound);
    const ns = Number(process.hrtime.bigint() - t0);
    rates.push((callsPerRound * 1e9) / ns);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)];
  medians[name] = median;
  const verdict =
    target === null
      ? ''
      : median >= target
        ? `  ≥ ${target.toLocaleString('en')} ok`
        : `  < ${target.toLocaleString('en')} BELOW TARGET`;
  console.log(
    `${name.padEnd(58)} ${Math.round(median).toLocaleString('en').padStart(12)} ops/s (median of ${ROUNDS})${verdict}`,
  );
  return median >= (target ?? 0);
}

// A 3-tier Hyperliquid-style table (40x / 20x / 10x), parsed once.
const table3 = hyperliquidMarginTable({
  id: 99,
  marginTables: [
    [
      99,
      {
        description: '3 tiers',
        marginTiers: [
          { lowerBound: '0', maxLeverage: 40 },
          { lowerBound: '150000000', maxLeverage: 20 },
          { lowerBound: '300000000', maxLeverage: 10 },
        ],
      },
    ],
  ],
});
const W = 10n ** 18n;
// Vary inputs per call so nothing is constant-folded; includes positions solved in tiers 1–3.
const inputs = Array.from({ length: 1024 }, (_, i) => ({
  side: i % 2 === 0 ? 1 : -1,
  size: (BigInt(1 + (i % 97)) * W) / 10n + BigInt(i),
  price: 60_000n * W + BigInt(i) * 1_000_000_000_000n,
  collateral: BigInt(200 + (i % 5000)) * W,
  otherMaintenanceMargin: BigInt(i % 50) * W,
  marginTable: table3,
}));
const big = Array.from({ length: 64 }, (_, i) => ({
  side: 1,
  size: 5_000n * W,
  price: 60_000n * W,
  collateral: BigInt(20_000_000 + i) * W,
  otherMaintenanceMargin: 0n,
  marginTable: table3,
}));
const liqStrings = Array.from({ length: 256 }, (_, i) => ({
  side: i % 2 === 0 ? 'long' : 'short',
  size: `0.${(i % 90) + 10}`,
  price: `6${i % 10}123.5`,
  collateral: `${1000 + i}.25`,
  marginTable: table3,
}));
const prem = Array.from({ length: 1024 }, (_, i) => [
  parseDecimal(`66${370 + (i % 40)}.0`),
  parseDecimal(`66${372 + (i % 40)}.5`),
  parseDecimal(`66${360 + (i % 50)}.0`),
]);
const rates = Array.from({ length: 1024 }, (_, i) => parseDecimal(`0.0000${100 + i}`));
const hours = [1n * W, 4n * W, 8n * W];

// A unified account: 20 positions on the main dex and 10 on xyz (real 2026-02-06 metas, so BTC & co.
// use their listed tier tables), 4 on a USDH dex; cross and isolated; 16 variants of marks and balances.
const vector = (f) =>
  JSON.parse(readFileSync(new URL(`../test/vectors/hyperliquid/${f}`, import.meta.url)));
const mainMeta = vector('info.metaAndAssetCtxs.main.mainnet.2026-02-06.json');
const xyzMeta = vector('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json');
const flxMeta = {
  universe: ['GOLD', 'SILVER', 'OIL', 'NVDA'].map((c) => ({ name: `flx:${c}`, maxLeverage: 20 })),
  marginTables: [],
  collateralToken: 360,
};
const coins = (meta, n) =>
  meta.universe
    .filter((a) => !a.isDelisted)
    .slice(0, n)
    .map((a) => a.name);
const chState = (names, v) => ({
  marginSummary: { accountValue: '0', totalNtlPos: '0', totalRawUsd: '0', totalMarginUsed: '0' },
  crossMarginSummary: {
    accountValue: '0',
    totalNtlPos: '0',
    totalRawUsd: '0',
    totalMarginUsed: '0',
  },
  crossMaintenanceMarginUsed: '0',
  withdrawable: '0',
  assetPositions: names.map((coin, i) => ({
    type: 'oneWay',
    position: {
      coin,
      szi: `${i % 3 === 0 ? '-' : ''}${1 + (i % 7)}.${i + v}`,
      leverage:
        i % 5 === 4 ? { type: 'isolated', value: 3, rawUsd: '-900' } : { type: 'cross', value: 5 },
      entryPx: '100.0',
      positionValue: `${1000 + i * 137 + v}.${(i * 7 + v) % 100}`,
      unrealizedPnl: '0.0',
      returnOnEquity: '0.0',
      liquidationPx: `${90 + i}.5`,
      marginUsed: `${300 + i}.25`,
      maxLeverage: 20,
      cumFunding: { allTime: '0.0', sinceOpen: '0.0', sinceChange: '0.0' },
    },
  })),
  time: 1770000000000,
});
const accounts = Array.from({ length: 16 }, (_, v) => ({
  abstraction: 'unifiedAccount',
  spotClearinghouseState: {
    balances: [
      { coin: 'USDC', token: 0, total: `${50_000 + v}.5`, hold: '0.0', entryNtl: '0.0' },
      { coin: 'USDH', token: 360, total: `${9_000 + v}.5`, hold: '0.0', entryNtl: '0.0' },
    ],
  },
  dexes: [
    { dex: '', clearinghouseState: chState(coins(mainMeta[0], 20), v), meta: mainMeta },
    { dex: 'xyz', clearinghouseState: chState(coins(xyzMeta[0], 10), v), meta: xyzMeta },
    { dex: 'flx', clearinghouseState: chState(coins(flxMeta, 4), v), meta: flxMeta },
  ],
}));
if (analyzeHyperliquidAccount(accounts[0]).positions.length !== 34) throw new Error('34 positions');

const ok = [
  bench('analyzeHyperliquidAccount (unified, 34 positions, 3 dexes)', 2_000, 20_000, (n) => {
    for (let i = 0; i < n; i++)
      sink ^= BigInt(analyzeHyperliquidAccount(accounts[i & 15]).positions.length);
  }),
  bench('solveLiquidationPrice (pre-parsed, 3-tier table)', 200_000, 1_000_000, (n) => {
    for (let i = 0; i < n; i++) {
      const x = solveLiquidationPrice(inputs[i & 1023]);
      if (x !== null) sink ^= x;
    }
  }),
  bench(
    'solveLiquidationPrice (pre-parsed, 5,000 BTC, solved in the 2nd tier)',
    200_000,
    1_000_000,
    (n) => {
      for (let i = 0; i < n; i++) {
        const x = solveLiquidationPrice(big[i & 63]);
        if (x !== null) sink ^= x;
      }
    },
  ),
  bench('liquidationPrice (decimal strings in/out, 3-tier table)', 50_000, null, (n) => {
    for (let i = 0; i < n; i++) {
      const x = liquidationPrice(liqStrings[i & 255]);
      if (x !== null) sink ^= BigInt(x.length);
    }
  }),
  bench('premiumIndexFixed (pre-parsed)', 1_000_000, 5_000_000, (n) => {
    for (let i = 0; i < n; i++) {
      const p = prem[i & 1023];
      sink ^= premiumIndexFixed(p[0], p[1], p[2]);
    }
  }),
  bench('annualizeRateFixed (pre-parsed)', 1_000_000, 5_000_000, (n) => {
    for (let i = 0; i < n; i++) sink ^= annualizeRateFixed(rates[i & 1023], hours[i % 3]);
  }),
  bench('premiumIndex (decimal strings in/out)', 100_000, null, (n) => {
    for (let i = 0; i < n; i++)
      sink ^= BigInt(
        premiumIndex({ impactBid: '66371.0', impactAsk: '66372.0', indexPrice: `663${i & 7}3.0` })
          .length,
      );
  }),
  bench('annualizeRate (decimal strings in/out)', 100_000, null, (n) => {
    for (let i = 0; i < n; i++)
      sink ^= BigInt(annualizeRate({ rate: '0.0000125', intervalHours: (i & 7) + 1 }).length);
  }),
];
const ratio =
  medians['analyzeHyperliquidAccount (unified, 34 positions, 3 dexes)'] /
  medians['solveLiquidationPrice (pre-parsed, 3-tier table)'];
console.log(
  `analyzeHyperliquidAccount / solveLiquidationPrice (3-tier), same run: ${ratio.toExponential(2)} (load-independent-ish; see the note at the top)`,
);
console.log(
  `(sink ${sink & 1n}; node ${process.version}, ${(await import('node:os')).cpus().length} CPUs)`,
);
process.exitCode = ok.every(Boolean) ? 0 : 1;
