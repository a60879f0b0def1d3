import { z } from 'zod';
import {
  type ChainClassTraits,
  type ChainThresholds,
  chainClasses,
  classDefaults,
} from './chainClassDefaults.js';
import { chainRegistry, type UptimeFeedRef } from './chainRegistry.js';

const seconds = z.number().positive();

/** Why `user:password@` is refused in an RPC URL (file or environment). */
export const RPC_CREDENTIALS_MESSAGE =
  'must not contain user:password (fetch refuses credentials in URLs; providers take the key in the path or query: keep such URLs in rpcUrlsEnv)';

/** An RPC URL: http(s), without user info. */
export const RpcUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .refine((u) => {
    if (!URL.canParse(u)) return true; // already reported as not a URL
    const url = new URL(u);
    return url.username === '' && url.password === '';
  }, RPC_CREDENTIALS_MESSAGE);

/** Name of an environment variable that holds a secret. */
const EnvVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name like PERPSCOPE_ARB_RPC_URLS');

const ThresholdsInput = z
  .object({
    degradedAfterSeconds: seconds,
    haltedAfterSeconds: seconds,
    safeLagWarnSeconds: seconds.nullable(),
    safeLagCritSeconds: seconds.nullable(),
    recoveryGraceSeconds: z.number().nonnegative(),
    feedGraceSeconds: z.number().nonnegative(),
    blockGapWindowSeconds: seconds,
    slowBlockRatio: z.number().min(0).max(1),
    reorgFlagHoldSeconds: seconds,
    reorgCriticalDepth: z.number().int().positive(),
    lagToleranceBlocks: z.number().int().nonnegative(),
    noDataAfterSeconds: seconds,
  })
  .strict()
  .partial();

const TraitsInput = z
  .object({
    txDriven: z.boolean(),
    probe: z.boolean(),
    safeTags: z.boolean(),
    systemTxsPerBlock: z.number().int().nonnegative(),
  })
  .strict()
  .partial();

/**
 * One `chains[]` entry as written in the config file. `key` names a built-in registry chain (whose
 * fields become defaults) or a new chain, which must then give `chainId`, `name`, `class` and
 * `rpcUrls`. A bare string is short for `{ key }`.
 */
export const ChainEntryInput = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    chainId: z.number().int().positive().optional(),
    name: z.string().min(1).optional(),
    class: z.enum(chainClasses).optional(),
    blockTimeMs: z.number().positive().nullable().optional(),
    rpcUrls: z.array(RpcUrl).min(1, 'at least one RPC URL is required').optional(),
    /**
     * The environment variable holding this chain's RPC URLs (whitespace- or comma-separated), for
     * URLs that carry a provider key: secrets never live in the config file. Replaces `rpcUrls`;
     * resolved by `parseConfig` through the secret reader (env.ts).
     */
    rpcUrlsEnv: EnvVarName.optional(),
    uptimeFeed: z
      .object({
        kind: z.enum(['chainlink', 'linea']),
        address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 20-byte hex address'),
      })
      .strict()
      .nullable()
      .optional(),
    thresholds: ThresholdsInput.optional(),
    traits: TraitsInput.optional(),
    /** Head poll period on the watcher's clock. */
    pollIntervalMs: z.number().int().min(50).optional(),
    /** Per-RPC request timeout. */
    rpcTimeoutMs: z.number().int().min(50).optional(),
    /** Uptime-feed read period. */
    feedIntervalMs: z.number().int().min(50).optional(),
    /** How many recent blocks' hashes are kept for reorg detection. */
    keepBlocks: z.number().int().min(8).max(10_000).optional(),
  })
  .strict();
export type ChainEntryInput = z.infer<typeof ChainEntryInput>;

/** A fully resolved chain: registry + class defaults + config overrides. */
export type ChainConfig = {
  key: string;
  chainId: number;
  name: string;
  class: (typeof chainClasses)[number];
  blockTimeMs: number | null;
  rpcUrls: readonly string[];
  uptimeFeed: UptimeFeedRef | null;
  thresholds: ChainThresholds;
  traits: ChainClassTraits;
  pollIntervalMs: number;
  rpcTimeoutMs: number;
  feedIntervalMs: number;
  keepBlocks: number;
};

type Issue = { path: (string | number)[]; message: string };

/** Drops keys whose value is `undefined` (zod's partial output) so spreading keeps the defaults. */
function defined<T extends object>(
  o: { [K in keyof T]?: T[K] | undefined } | undefined,
): Partial<T> {
  return Object.fromEntries(
    Object.entries(o ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

function resolveEntry(entry: ChainEntryInput, index: number, issues: Issue[]): ChainConfig | null {
  const base = chainRegistry.find((c) => c.key === entry.key);
  const chainId = entry.chainId ?? base?.chainId;
  const name = entry.name ?? base?.name;
  const chainClass = entry.class ?? base?.class;
  const rpcUrls = entry.rpcUrls ?? base?.rpcUrls;
  const missing = (field: string) =>
    issues.push({
      path: [index, field],
      message: `required: '${entry.key}' is not a built-in chain (known: ${chainRegistry.map((c) => c.key).join(', ')})`,
    });
  if (chainId === undefined) missing('chainId');
  if (name === undefined) missing('name');
  if (chainClass === undefined) missing('class');
  // With `rpcUrlsEnv`, parseConfig reports an unset or invalid variable itself.
  if (rpcUrls === undefined && entry.rpcUrlsEnv === undefined) missing('rpcUrls');
  if (chainId === undefined || name === undefined || chainClass === undefined || !rpcUrls) {
    return null;
  }
  const blockTimeMs =
    entry.blockTimeMs !== undefined ? entry.blockTimeMs : (base?.blockTimeMs ?? null);
  const defaults = classDefaults(chainClass, blockTimeMs);
  const thresholds: ChainThresholds = {
    ...defaults.thresholds,
    ...base?.thresholds,
    ...defined<ChainThresholds>(entry.thresholds),
  };
  // Unless set, no-data follows the chain's own halt threshold (also when only that is overridden).
  thresholds.noDataAfterSeconds =
    entry.thresholds?.noDataAfterSeconds ??
    base?.thresholds?.noDataAfterSeconds ??
    thresholds.haltedAfterSeconds;
  if (thresholds.haltedAfterSeconds <= thresholds.degradedAfterSeconds) {
    issues.push({
      path: [index, 'thresholds', 'haltedAfterSeconds'],
      message: `must be greater than degradedAfterSeconds (${thresholds.degradedAfterSeconds})`,
    });
  }
  const pollIntervalMs =
    entry.pollIntervalMs ?? Math.max(1000, Math.min(blockTimeMs ?? 2000, 5000));
  const uptimeFeed =
    entry.uptimeFeed !== undefined
      ? entry.uptimeFeed && {
          kind: entry.uptimeFeed.kind,
          address: entry.uptimeFeed.address as `0x${string}`,
        }
      : (base?.uptimeFeed ?? null);
  return {
    key: entry.key,
    chainId,
    name,
    class: chainClass,
    blockTimeMs,
    rpcUrls,
    uptimeFeed,
    thresholds,
    traits: { ...defaults.traits, ...defined<ChainClassTraits>(entry.traits) },
    pollIntervalMs,
    rpcTimeoutMs: entry.rpcTimeoutMs ?? Math.min(5000, Math.max(pollIntervalMs, 1000)),
    feedIntervalMs: entry.feedIntervalMs ?? 30_000,
    keepBlocks: entry.keepBlocks ?? 256,
  };
}

/**
 * `chains`: which L2s to watch. Omitted → the whole built-in registry (SPEC §3.1). Each entry is a
 * registry key (`'base'`) or an object overriding any field; unknown keys define new chains.
 *
 * @example
 * chains:
 *   - base
 *   - key: arbitrum-one
 *     rpcUrls: [https://my-node.example/arb]
 *     thresholds: { haltedAfterSeconds: 90 }
 */
export const ChainsConfig = z
  .preprocess(
    (v) => (Array.isArray(v) ? v.map((e) => (typeof e === 'string' ? { key: e } : e)) : v),
    z.array(ChainEntryInput),
  )
  .optional()
  .transform((entries, ctx): ChainConfig[] => {
    const list = entries ?? chainRegistry.map((c) => ({ key: c.key }));
    const issues: Issue[] = [];
    const resolved = list.map((e, i) => resolveEntry(e, i, issues));
    const seen = new Map<number, number>();
    const seenKeys = new Map<string, number>();
    resolved.forEach((c, i) => {
      if (!c) return;
      // Two entries with one key would collapse into one metric series and one status-page row.
      const prevKey = seenKeys.get(c.key);
      if (prevKey !== undefined) {
        issues.push({
          path: [i, 'key'],
          message: `duplicate key "${c.key}" (also chains[${prevKey}])`,
        });
      }
      seenKeys.set(c.key, i);
      const prev = seen.get(c.chainId);
      if (prev !== undefined) {
        issues.push({
          path: [i, 'chainId'],
          message: `duplicate chainId ${c.chainId} (also chains[${prev}])`,
        });
      }
      seen.set(c.chainId, i);
    });
    for (const issue of issues)
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return issues.length > 0 ? [] : resolved.filter((c): c is ChainConfig => c !== null);
  });
export type ChainsConfig = z.output<typeof ChainsConfig>;
