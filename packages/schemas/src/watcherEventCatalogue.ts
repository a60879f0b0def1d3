import { z } from 'zod';
import { BlockRef, ChainFlags, ChainStatus, HaltPhase } from './chains.js';
import { Hip3MarketStatus, Hip3ReasonCode } from './hip3.js';
import { KnownPositionLevel } from './positions.js';
import { IncidentSeverity } from './severity.js';

/** `chain.status`: a sequencer's status changed (one per transition). */
export const ChainStatusEventPayload = z
  .strictObject({
    chainId: z.number().int(),
    name: z.string(),
    from: ChainStatus,
    to: ChainStatus,
    phase: HaltPhase.nullable(),
    /** What a trader should do in the new status (SPEC §0 note 1); empty for `up` and `unknown`. */
    guidance: z.array(z.string()),
    reasons: z.array(z.string()),
    flags: ChainFlags,
    head: BlockRef.nullable(),
  })
  .meta({ id: 'ChainStatusEventPayload' });

/** `chain.flags`: a flag (reorg, safe lag, feed down, idle) went on or off. */
export const ChainFlagsEventPayload = z
  .strictObject({
    chainId: z.number().int(),
    flags: ChainFlags,
    /** The flags that changed. */
    changed: z.array(ChainFlags.keyof()),
  })
  .meta({ id: 'ChainFlagsEventPayload' });

/** `chain.reorg`: stored blocks were replaced. */
export const ChainReorgEventPayload = z
  .strictObject({
    chainId: z.number().int(),
    /** Stored blocks whose hash changed. */
    depth: z.number().int().nonnegative(),
    fromNumber: z.number().int().nonnegative(),
    /** The replaced blocks: number and the hash it had. */
    replaced: z.array(z.strictObject({ number: z.number().int(), hash: z.string() })),
    newHash: z.string(),
  })
  .meta({ id: 'ChainReorgEventPayload' });

/** `market.listed`, `market.delisted`, `market.relisted`: a HIP-3 market appeared or its delisting changed. */
export const MarketListingEventPayload = z
  .strictObject({ dex: z.string() })
  .meta({ id: 'MarketListingEventPayload' });

/** `market.status`: a HIP-3 market's status changed (one per transition). */
export const MarketStatusEventPayload = z
  .strictObject({
    from: Hip3MarketStatus,
    to: Hip3MarketStatus,
    reasons: z.array(
      z.strictObject({ code: Hip3ReasonCode, severity: Hip3MarketStatus, message: z.string() }),
    ),
  })
  .meta({ id: 'MarketStatusEventPayload' });

/** `hip3.stream`: the `allDexsAssetCtxs` stream went silent (`up: false`) or came back. */
export const Hip3StreamEventPayload = z
  .strictObject({
    up: z.boolean(),
    /** When it was noticed, ms since the epoch (watcher clock). */
    at: z.number(),
  })
  .meta({ id: 'Hip3StreamEventPayload' });

/** `incident.opened`, `incident.escalated`, `incident.closed`: the incident after the change. */
export const IncidentEventPayload = z
  .strictObject({
    incidentId: z.number().int().positive(),
    /** Stable per subject: `sequencer`, `reorg`, `safe-lag`, `feed-down`, `no-data`, `hip3-status`... */
    kind: z.string(),
    severity: IncidentSeverity,
    state: z.enum(['open', 'closed']),
    title: z.string(),
    /** Ms since the epoch (watcher clock). */
    startedAt: z.number(),
    endedAt: z.number().nullable(),
    /** Peak metrics so far (`maxSecondsSinceNewHead`, `maxReorgDepth`, ...). */
    peak: z.record(z.string(), z.number()),
  })
  .meta({ id: 'IncidentEventPayload' });

/**
 * A guarded position as the guard stored it at a read (decimal strings; `observedAt` ms). Fields
 * added after the guard first shipped are optional: `lastKnown`/`previous` come from stored rows.
 */
export const GuardedPositionSnapshot = z
  .object({
    coin: z.string(),
    dex: z.string(),
    side: z.enum(['long', 'short']),
    size: z.string(),
    marginMode: z.enum(['cross', 'isolated']),
    markPrice: z.string(),
    liquidationPrice: z.string().nullable(),
    venueLiquidationPrice: z.string().nullable(),
    distancePct: z.string().nullable(),
    distanceFrom: z.enum(['ours', 'venue']).nullable().optional(),
    distanceSigmas: z.number().nullable().optional(),
    reasons: z.array(z.string()),
    warnPct: z.number(),
    criticalPct: z.number(),
    multiplier: z.number(),
    unrealizedPnl: z.string().nullable(),
    fundingSinceOpen: z.string().nullable(),
    fundingLastHour: z.string().nullable().optional(),
    fundingHourMark: z.object({ hour: z.number(), sinceOpen: z.string() }).nullable().optional(),
    observedAt: z.number(),
  })
  .meta({ id: 'GuardedPositionSnapshot' });

const accountFields = { label: z.string(), addressHash: z.string(), coin: z.string() };

/** `position.level`: the level judged on current data crossed (`from` → `to`); one per crossing. */
export const PositionLevelEventPayload = z
  .strictObject({
    ...accountFields,
    from: KnownPositionLevel,
    to: KnownPositionLevel,
    /** Shared by the alerts of one `ok` → warn/critical → `ok` episode. */
    episodeId: z.string().nullable(),
    position: GuardedPositionSnapshot,
    previous: GuardedPositionSnapshot.nullable(),
  })
  .meta({ id: 'PositionLevelEventPayload' });

/** `position.freshness`: the position's data went stale (level `unknown`) or is current again. */
export const PositionFreshnessEventPayload = z
  .union([
    z.strictObject({
      ...accountFields,
      stale: z.literal(true),
      lastKnownLevel: KnownPositionLevel,
      reason: z.string(),
    }),
    z.strictObject({ ...accountFields, stale: z.literal(false), level: KnownPositionLevel }),
  ])
  .meta({ id: 'PositionFreshnessEventPayload' });

/** `position.liquidated`: a liquidation fill of the guarded account (once per fill id). */
export const PositionLiquidatedEventPayload = z
  .strictObject({
    ...accountFields,
    tid: z.number().int(),
    /** Fill time, ms since the epoch. */
    time: z.number().int(),
    px: z.string(),
    sz: z.string(),
    side: z.enum(['B', 'A']),
    startPosition: z.string(),
    closedPnl: z.string(),
    markPx: z.string().nullable(),
    method: z.string().nullable(),
    lastKnown: GuardedPositionSnapshot.nullable(),
    lastKnownLevel: KnownPositionLevel.nullable(),
  })
  .meta({ id: 'PositionLiquidatedEventPayload' });

/** `position.closed`: the position is gone (closed, or liquidated in full). */
export const PositionClosedEventPayload = z
  .strictObject({
    ...accountFields,
    episodeId: z.string().nullable(),
    liquidated: z.boolean(),
    lastKnownLevel: KnownPositionLevel,
  })
  .meta({ id: 'PositionClosedEventPayload' });

/** The subject types events are about (`subject.type`). */
export const SubjectType = z.enum(['chain', 'market', 'hip3-stream', 'position']);
export type SubjectType = z.infer<typeof SubjectType>;

/**
 * Every event kind the watcher emits, with the subject type it is about (`null`: any — incidents
 * follow their subject) and the zod schema of its payload. The event log's writer, the SSE stream
 * (`GET /v1/events`, documented per kind in the OpenAPI), the alerts and the status page are typed
 * by it: an unknown kind or a wrong payload is a type error, and the event log validates every
 * payload before it commits.
 */
export const watcherEventCatalogue = {
  'chain.status': { subject: 'chain', payload: ChainStatusEventPayload },
  'chain.flags': { subject: 'chain', payload: ChainFlagsEventPayload },
  'chain.reorg': { subject: 'chain', payload: ChainReorgEventPayload },
  'market.listed': { subject: 'market', payload: MarketListingEventPayload },
  'market.delisted': { subject: 'market', payload: MarketListingEventPayload },
  'market.relisted': { subject: 'market', payload: MarketListingEventPayload },
  'market.status': { subject: 'market', payload: MarketStatusEventPayload },
  'hip3.stream': { subject: 'hip3-stream', payload: Hip3StreamEventPayload },
  'incident.opened': { subject: null, payload: IncidentEventPayload },
  'incident.escalated': { subject: null, payload: IncidentEventPayload },
  'incident.closed': { subject: null, payload: IncidentEventPayload },
  'position.level': { subject: 'position', payload: PositionLevelEventPayload },
  'position.freshness': { subject: 'position', payload: PositionFreshnessEventPayload },
  'position.liquidated': { subject: 'position', payload: PositionLiquidatedEventPayload },
  'position.closed': { subject: 'position', payload: PositionClosedEventPayload },
} as const satisfies Record<
  string,
  { subject: SubjectType | null; payload: z.ZodType<Record<string, unknown>> }
>;

type Catalogue = typeof watcherEventCatalogue;

/** An event kind of the catalogue (`chain.status`, `incident.opened`, ...). */
export type WatcherEventKind = keyof Catalogue;

/** Every kind of the catalogue, in catalogue order. */
export const watcherEventKinds = Object.keys(watcherEventCatalogue) as WatcherEventKind[];

/** The payload type of an event kind. */
export type WatcherEventPayload<K extends WatcherEventKind> = z.infer<Catalogue[K]['payload']>;

/** Whether `kind` is an event kind of the catalogue. */
export function isWatcherEventKind(kind: string): kind is WatcherEventKind {
  return Object.hasOwn(watcherEventCatalogue, kind);
}

/** Thrown by {@link parseWatcherEvent} for an unknown kind or a payload that does not match. */
export class WatcherEventError extends Error {
  override name = 'Schemas.WatcherEventError';
}

/**
 * Checks an event against the catalogue: the kind must exist, the subject type match and the
 * payload parse. Returns the payload as given (not a parsed copy).
 *
 * @throws {WatcherEventError} naming the kind and the first offending field.
 */
export function parseWatcherEvent<K extends WatcherEventKind>(
  kind: K,
  subject: { type: string; id: string },
  payload: unknown,
): WatcherEventPayload<K> {
  if (!isWatcherEventKind(kind)) {
    throw new WatcherEventError(`unknown event kind "${String(kind)}"`);
  }
  const entry: { subject: SubjectType | null; payload: z.ZodType } = watcherEventCatalogue[kind];
  if (entry.subject !== null && entry.subject !== subject.type) {
    throw new WatcherEventError(
      `${kind}: subject type "${subject.type}", expected "${entry.subject}"`,
    );
  }
  const result = entry.payload.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue && issue.path.length > 0 ? `payload.${issue.path.join('.')}` : 'payload';
    throw new WatcherEventError(`${kind}: ${path}: ${issue?.message ?? 'invalid'}`);
  }
  return payload as WatcherEventPayload<K>;
}
