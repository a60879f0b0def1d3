import { chainDependency } from '@perpscope/schemas';
import { z } from 'zod';

/** An EVM address as Hyperliquid accounts are written; stored lowercase. */
const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 40-hex-digit address')
  .transform((a) => a.toLowerCase() as `0x${string}`);

/** Venues whose positions the guard can follow (today: Hyperliquid and its HIP-3 dexes). */
export const guardVenues = ['hyperliquid'] as const;
export type GuardVenue = (typeof guardVenues)[number];

/** Liquidation-distance thresholds in percent of mark (`10` = liquidation 10 % away). */
export const GuardThresholds = z
  .object({
    /** Distance below this → `warn`. */
    warnPct: z.number().positive().max(100),
    /** Distance below this → `critical`; must be below `warnPct`. */
    criticalPct: z.number().positive().max(100),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.criticalPct >= t.warnPct)
      ctx.addIssue({
        code: 'custom',
        path: ['criticalPct'],
        message: `must be less than warnPct (${t.warnPct}): critical is the closer distance`,
      });
  });
export type GuardThresholds = z.output<typeof GuardThresholds>;

/**
 * How an operator declares that a venue depends on a chain the built-in venue ↔ chain table
 * (`@perpscope/schemas` `VENUE_CHAIN_IMPACT`) does not list for it — the extension's per-site
 * "dependencies" option, here for the watcher. `prices`: a halt (or the recovery after one) of that
 * chain multiplies the thresholds by `haltMultiplier`; `bridge` / `settlement`: it does not.
 */
export const guardDependencyKinds = ['prices', 'bridge', 'settlement'] as const;
export type GuardDependencyKind = (typeof guardDependencyKinds)[number];

/** Chain key (as in `chains[].key`) → kind, per venue. */
const DependencyMap = z.record(
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a chains[].key (lower-case letters, digits, dashes)'),
  z.enum(guardDependencyKinds),
);

/** One guarded account. */
export const GuardedAccountConfig = z
  .object({
    address: Address,
    /** Operator's name for the account; shown in alerts, logs, the API and the status page. */
    label: z
      .string()
      .min(1)
      .max(40)
      .regex(/^[^\r\n]+$/, 'one line'),
    venues: z.array(z.enum(guardVenues)).min(1).default(['hyperliquid']),
    /** Overrides `positions.thresholds` for this account. */
    thresholds: GuardThresholds.optional(),
    /** Alert sink names (from `alerts.sinks`) for this account; omitted = every sink. */
    sinks: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type GuardedAccountConfig = z.output<typeof GuardedAccountConfig>;

/**
 * The `positions` section: the position guard (SPEC §3.4). Off while `accounts` is empty. REST goes
 * to `hip3.apiUrl` and is charged to the same weight budget as the HIP-3 watch.
 *
 * @example
 * ```yaml
 * positions:
 *   accounts:
 *     - { address: "0xabc…", label: main, thresholds: { warnPct: 15, criticalPct: 7 }, sinks: [phone] }
 * ```
 */
export const PositionsConfig = z
  .object({
    accounts: z.array(GuardedAccountConfig).max(1000).default([]),
    /** Default thresholds of every account. */
    thresholds: GuardThresholds.prefault({ warnPct: 10, criticalPct: 5 }),
    /** A level is left only once the distance is this many percentage points beyond its threshold. */
    hysteresisPct: z.number().nonnegative().max(50).default(1),
    /** Thresholds × this while a chain the venue depends on for prices is halted or recovering. */
    haltMultiplier: z.number().min(1).max(10).default(2),
    /**
     * Extra venue ↔ chain dependencies, per venue: `{ hyperliquid: { <chains[].key>: prices | bridge |
     * settlement } }`, for chains the built-in table does not list for the venue (it wins; a
     * declaration contradicting it is rejected). Only `prices` turns the halt multiplier on.
     */
    dependencies: z
      .object({ hyperliquid: DependencyMap.default({}) })
      .strict()
      .prefault({}),
    /**
     * Marks from the HIP-3 watch's ctx stream (`hip3.enabled`; the main dex only with
     * `hip3.includeMainDex`) younger than this value a position instead of the account state's
     * `positionValue / |szi|`; older or absent → the account state's mark.
     */
    ctxMarkMaxAgeSeconds: z.number().positive().max(600).default(15),
    /**
     * How positions are read. `ws` (default): one `allDexsClearinghouseState` subscription per account on
     * `hip3.wsUrl` covers every dex; REST `clearinghouseState` only while the stream is down, has not
     * sent its snapshot yet, or its last push is older than two poll intervals. `rest`: REST only.
     */
    transport: z.enum(['ws', 'rest']).default('ws'),
    /** One pass over every account (each account's positions, balances and mode). */
    pollIntervalSeconds: z.number().positive().default(15),
    /** Every dex is scanned for new positions this often; between scans only dexes with positions. */
    dexScanIntervalSeconds: z.number().positive().default(600),
    /** `userAbstraction` (the account mode, weight 20) is re-read this often. */
    modeRefreshSeconds: z.number().positive().default(600),
    /** Margin tables (`meta`, weight 20 per dex) are re-read this often. */
    metaRefreshSeconds: z.number().positive().default(600),
    /** Hourly candles per coin (σ of the distance, weight 20) are re-read this often, budget permitting. */
    volatilityRefreshSeconds: z.number().positive().default(3600),
    /** No successful read for longer (e.g. the budget deferred it) → the account's positions are `unknown`. */
    staleAfterSeconds: z.number().positive().default(60),
  })
  .strict()
  .prefault({});
export type PositionsConfig = z.output<typeof PositionsConfig>;

/**
 * Cross-section checks: every account's `sinks` must name a configured alert sink, an address is
 * guarded once, and a declared dependency names a watched chain without contradicting the built-in
 * venue ↔ chain table. Returned as zod issues under `positions.accounts[i]…`.
 */
export function positionsCrossIssues(config: {
  positions: PositionsConfig;
  alerts: { sinks: readonly { name: string }[] };
  chains: readonly { key: string }[];
}): { path: (string | number)[]; message: string }[] {
  const names = new Set(config.alerts.sinks.map((s) => s.name));
  const issues: { path: (string | number)[]; message: string }[] = [];
  const chainKeys = new Set(config.chains.map((c) => c.key));
  for (const venue of guardVenues) {
    for (const [chain, kind] of Object.entries(config.positions.dependencies[venue])) {
      const path = ['positions', 'dependencies', venue, chain];
      const builtIn = chainDependency({ venue, chain });
      if (builtIn && builtIn.kind !== kind)
        issues.push({
          path,
          message: `${venue} depends on ${chain} as "${builtIn.kind}" in the built-in venue ↔ chain table (VENUE_CHAIN_IMPACT); a declaration cannot change it`,
        });
      else if (!chainKeys.has(chain))
        issues.push({ path, message: `no chain with key "${chain}" in chains[]` });
    }
  }
  const seen = new Set<string>();
  config.positions.accounts.forEach((a, i) => {
    if (seen.has(a.address))
      issues.push({ path: ['positions', 'accounts', i, 'address'], message: 'guarded twice' });
    seen.add(a.address);
    a.sinks?.forEach((s, j) => {
      if (!names.has(s))
        issues.push({
          path: ['positions', 'accounts', i, 'sinks', j],
          message: `no alert sink named "${s}" in alerts.sinks`,
        });
    });
  });
  return issues;
}
