import { hip3OracleTiers } from '@perpscope/math';
import { z } from 'zod';

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const WsUrl = z.url({ protocol: /^wss?$/, error: 'must be a ws(s) URL' });
const seconds = z.number().positive();
const fraction = z.number().positive().max(1);

/**
 * Thresholds that must be ordered: `[lower, higher, strict, why]` (`strict`: `lower < higher`,
 * otherwise `lower ≤ higher`).
 */
const ORDERED = [
  ['fallbackAfterSeconds', 'deadAfterSeconds', true, 'the oracle falls back before it is dead'],
  [
    'sampleStaleSeconds',
    'deadAfterSeconds',
    false,
    'a silent stream must read as no data before the oracle could read as dead',
  ],
  ['l1Fraction', 'l2Fraction', true, 'L2 is the higher deviation tier'],
  ['l2HoldSeconds', 'l3HoldSeconds', true, 'L3 is L2 persisting longer'],
] as const;

/**
 * Thresholds of the HIP-3 rules (SPEC §3.2): seconds and fractions. Defaults follow the protocol:
 * 10 s fallback, 60 s dead, 1 % clamp, L1 3 %, L2 5 % held 30 s, L3 5 % held 5 min. Tiers must be
 * ordered (`fallbackAfterSeconds` < `deadAfterSeconds`, `sampleStaleSeconds` ≤ `deadAfterSeconds`,
 * `l1Fraction` < `l2Fraction`, `l2HoldSeconds` < `l3HoldSeconds`); a violation names the higher
 * field.
 */
export const Hip3ThresholdsConfig = z
  .object({
    fallbackAfterSeconds: seconds.default(hip3OracleTiers.fallbackAfterMs / 1000),
    deadAfterSeconds: seconds.default(hip3OracleTiers.deadAfterMs / 1000),
    jumpFraction: fraction.default(0.01),
    jumpHoldSeconds: seconds.default(60),
    l1Fraction: fraction.default(hip3OracleTiers.l1Fraction),
    l2Fraction: fraction.default(hip3OracleTiers.l2Fraction),
    l2HoldSeconds: seconds.default(hip3OracleTiers.l2HoldMs / 1000),
    l3HoldSeconds: seconds.default(hip3OracleTiers.l3HoldMs / 1000),
    sampleStaleSeconds: seconds.default(15),
    oiNearCapFraction: fraction.default(0.9),
    wideSpreadFraction: fraction.default(0.01),
    depthCollapseFraction: fraction.default(0.2),
    /** Spoofing heuristic: window in which alternating depth swings are counted. */
    spoofWindowSeconds: seconds.default(60),
    /** Spoofing heuristic: a swing is a depth change of at least this fraction. */
    spoofSwingFraction: fraction.default(0.3),
    /** Spoofing heuristic: direction-alternating swings within the window that flag `spoofing`. */
    spoofMinSwings: z.number().int().min(2).default(4),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (const [lower, higher, strict, why] of ORDERED) {
      if (strict ? t[higher] <= t[lower] : t[higher] < t[lower]) {
        ctx.addIssue({
          code: 'custom',
          path: [higher],
          message: `must be ${strict ? 'greater than' : 'at least'} ${lower} (${t[lower]}): ${why}`,
        });
      }
    }
  })
  .prefault({});

/**
 * The `hip3` section: the HIP-3 oracle watch against the Hyperliquid API. Off unless enabled (so
 * nothing reaches the internet by accident); `demo` enables it against the local replay server.
 */
export const Hip3Config = z
  .object({
    enabled: z.boolean().default(false),
    apiUrl: HttpUrl.default('https://api.hyperliquid.xyz'),
    wsUrl: WsUrl.default('wss://api.hyperliquid.xyz/ws'),
    /** Explorer host (`POST {explorerUrl}/explorer`, `userDetails`). */
    explorerUrl: HttpUrl.default('https://rpc.hyperliquid.xyz'),
    /** Dex names to watch; omitted = every dex `perpDexs` lists. */
    dexes: z
      .array(z.string().regex(/^[a-z0-9]{1,16}$/, 'must be a dex name'))
      .nullable()
      .default(null),
    /** Also watch the main (validator) dex's markets (BTC, ETH...) for funding and oracle age. */
    includeMainDex: z.boolean().default(false),
    /** REST weight this watcher may spend per minute (HL allows 1200 per IP). */
    weightBudgetPerMinute: z.number().int().positive().max(1200).default(1000),
    discoveryIntervalSeconds: seconds.default(300),
    /** `perpDexLimits` + `perpsAtOpenInterestCap` per dex. */
    limitsIntervalSeconds: seconds.default(120),
    /** While the stream is down: poll `metaAndAssetCtxs` round-robin, budget permitting. */
    restFallbackIntervalSeconds: seconds.default(5),
    /** No WS frame for longer → reconnect and fall back to REST. */
    wsStaleSeconds: seconds.default(10),
    wsKeepAliveSeconds: seconds.max(55).default(20),
    /** Coins whose `l2Book` is polled for depth ±3 %, spread and swings. */
    bookCoins: z.array(z.string().min(1)).max(200).default([]),
    bookIntervalSeconds: seconds.default(5),
    /**
     * Exact setOracle times from the explorer's `userDetails` for each oracle writer: each writer is
     * polled once per `intervalSeconds`, the writers spread evenly over it.
     */
    explorer: z
      .object({
        enabled: z.boolean().default(true),
        intervalSeconds: seconds.default(60),
        /**
         * How far before the watcher's start the first polls reach back. Every answer repeats the
         * writer's last ~300 txs (~15 minutes at HL's ~3 s cadence); the txs older than this
         * are skipped unread, so a restart fills a gap of up to this long and does not stage
         * the whole window at once (at 3,000 markets ~900,000 rows in the first minute;
         * `ARCHITECTURE.md`, run J). Up to 900 (the explorer's whole window).
         */
        backfillSeconds: z.number().int().min(0).max(900).default(120),
      })
      .strict()
      .prefault({}),
    evaluateIntervalSeconds: seconds.default(1),
    thresholds: Hip3ThresholdsConfig,
  })
  .strict()
  .prefault({});
export type Hip3Config = z.output<typeof Hip3Config>;
