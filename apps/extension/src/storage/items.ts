import {
  ChainDependencyKind,
  ChainStatus,
  Hip3MarketStatus,
  PositionLevel,
} from '@perpscope/schemas';
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import type { HaltMemory } from '../background/DataService.js';
import type { DedupeState } from '../background/dedupeAlerts.js';
import { EMPTY_SNAPSHOT, type Snapshot } from '../model.js';
import type { PriceSample } from '../risk/computePositionRisk.js';

/** Last snapshot, read by the popup (and by pages before the background answers). */
export const snapshotItem = storage.defineItem<Snapshot>('local:snapshot', {
  fallback: EMPTY_SNAPSHOT,
  version: 1,
});
/** When each alert key last notified (survives service-worker restarts). */
export const alertStateItem = storage.defineItem<DedupeState>('local:alertState', {
  fallback: {},
  version: 1,
});
/** Halts remembered per chain, so the multiplier's hold survives service-worker restarts (session). */
export const haltMemoryItem = storage.defineItem<HaltMemory>('session:haltMemory', {
  fallback: {},
  version: 1,
});
/** Mark samples for realized volatility, per coin (session: cleared when the browser closes). */
export const samplesItem = storage.defineItem<Record<string, PriceSample[]>>('session:samples', {
  fallback: {},
  version: 1,
});

// Storage is an edge (another version of the extension, a manual edit, a corrupted profile): what
// is read back is validated before use. `satisfies` keeps each schema in step with its type.
const px = z.string().min(1).max(64);
const freshness = { dataAt: z.number().min(0), staleReason: z.string().nullable() };

/** Schema of a stored {@link Snapshot}. */
export const snapshotSchema = z.object({
  updatedAt: z.number().int().min(0),
  positions: z.array(
    z.object({
      key: z.string(),
      venue: z.enum(['hyperliquid', 'aevo']),
      account: z.string(),
      dex: z.string(),
      coin: z.string().min(1),
      side: z.enum(['long', 'short']),
      size: px,
      markPx: px.nullable(),
      liqPx: px.nullable(),
      venueLiqPx: px.nullable(),
      liqCheck: z.enum(['agree', 'disagree', 'not-computable', 'none', 'unchecked']),
      headline: z.enum(['ours', 'venue']).nullable(),
      accountMode: z.string().nullable(),
      liqReason: z.string().nullable().optional(),
      haltMultiplied: z.boolean(),
      ...freshness,
      marginMode: z.enum(['cross', 'isolated', 'unknown']),
      distancePct: z.number().nullable(),
      distanceSigma: z.number().nullable(),
      // The watcher's vocabularies come from `@perpscope/schemas`, never restated here.
      level: PositionLevel,
      healthBufferUsd: z.number().nullable(),
      basis: z
        .object({
          marginMode: z.enum(['cross', 'isolated']),
          side: z.enum(['long', 'short']),
          size: px,
          entryPx: px,
          markPx: px,
          collateral: px,
          otherMaintenanceMargin: px,
          leverage: z.number().positive(),
          maxLeverage: z.number().positive(),
          marginTiers: z
            .array(z.object({ lowerBound: px, maxLeverage: z.number().positive() }))
            .min(1)
            .max(10),
          collateralSymbol: z.string().min(1).max(16),
        })
        .nullable()
        .optional(),
      basisReason: z.string().nullable().optional(),
      haltPlan: z
        .object({
          keepPct: z.number(),
          addCollateral: px.nullable(),
          collateralSymbol: z.string().min(1).max(16),
          cutPct: z.number().nullable(),
          note: z.string().nullable(),
        })
        .nullable()
        .optional(),
    }),
  ),
  markets: z.array(
    z.object({
      coin: z.string().min(1),
      dex: z.string(),
      markPx: px.nullable(),
      oraclePx: px.nullable(),
      fundingApr: z.number().nullable(),
      markOracleDevPct: z.number().nullable(),
      oracleStatus: Hip3MarketStatus,
      oracleReason: z.string().nullable(),
      oracleAt: z.number().min(0),
      oracleStaleReason: z.string().nullable(),
      staleAfterMs: z.number().positive(),
      ...freshness,
    }),
  ),
  chains: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: ChainStatus,
      phase: z.string(),
      guidance: z.string(),
      impacts: z.array(
        z.object({
          venue: z.enum(['hyperliquid', 'aevo']),
          kind: ChainDependencyKind,
          guidance: z.string(),
          multiplied: z.boolean(),
        }),
      ),
      ...freshness,
    }),
  ),
  watcher: z.enum(['off', 'ok', 'error']),
  haltActive: z.boolean(),
  staleAfterMs: z.number().int().positive(),
  problems: z.array(z.string()),
  thresholds: z.object({
    warnPct: z.number(),
    criticalPct: z.number(),
    haltMultiplier: z.number(),
  }),
  addresses: z.array(z.string()),
  // A snapshot stored before the page-account line (issue 18) has no labels: read as none.
  labels: z.record(z.string(), z.string()).default({}),
  // A snapshot stored by a version before issue 16 has no guards: read as none.
  guards: z
    .record(
      z.string(),
      z
        .object({
          on: z.boolean(),
          label: z.string().nullable(),
          level: PositionLevel.nullable(),
          thresholds: z.object({ warnPct: z.number(), criticalPct: z.number() }).nullable(),
          ageSeconds: z.number().nullable(),
          ...freshness,
        })
        .nullable(),
    )
    .default({}),
  sites: z.object({ hyperliquid: z.boolean(), hip3: z.boolean(), aevo: z.boolean() }),
  siteChains: z.object({ hyperliquid: z.array(z.string()), aevo: z.array(z.string()) }),
}) satisfies z.ZodType<Snapshot>;

/** Schema of the stored price samples per coin. */
export const samplesSchema = z.record(
  z.string(),
  z.array(z.object({ t: z.number(), px: z.string().min(1).max(64) })),
) satisfies z.ZodType<Record<string, PriceSample[]>>;

/** Schema of the stored halt memory (chain → when last halted, since when up again). */
export const haltMemorySchema = z.record(
  z.string(),
  z.object({ haltSeenAt: z.number(), upSince: z.number().nullable() }),
) satisfies z.ZodType<HaltMemory>;

/**
 * Reads the stored halt memory, validated: `{}` when it does not match {@link haltMemorySchema}.
 *
 * @throws when the storage read itself fails.
 */
export async function readHaltMemory(): Promise<HaltMemory> {
  const parsed = haltMemorySchema.safeParse(await haltMemoryItem.getValue());
  return parsed.success ? parsed.data : {};
}

/** Schema of the stored alert dedupe state (alert key → epoch ms). */
export const alertStateSchema = z.record(z.string(), z.number()) satisfies z.ZodType<DedupeState>;

/**
 * Reads the stored snapshot, validated: null when there is none or it does not match
 * {@link snapshotSchema} (an invalid snapshot is never shown; the caller fetches a new one).
 *
 * @throws when the storage read itself fails.
 */
export async function readSnapshot(): Promise<Snapshot | null> {
  const parsed = snapshotSchema.safeParse(await snapshotItem.getValue());
  if (parsed.success) return parsed.data;
  console.warn('perpscope: dropped an invalid stored snapshot', parsed.error.issues[0]);
  return null;
}

/**
 * Reads the stored price samples, validated: `{}` when they do not match {@link samplesSchema}.
 *
 * @throws when the storage read itself fails.
 */
export async function readSamples(): Promise<Record<string, PriceSample[]>> {
  const parsed = samplesSchema.safeParse(await samplesItem.getValue());
  return parsed.success ? parsed.data : {};
}

/**
 * Reads the stored alert dedupe state, validated: `{}` when it does not match
 * {@link alertStateSchema} (at worst an alert repeats once before its cool-down).
 *
 * @throws when the storage read itself fails.
 */
export async function readAlertState(): Promise<DedupeState> {
  const parsed = alertStateSchema.safeParse(await alertStateItem.getValue());
  return parsed.success ? parsed.data : {};
}
