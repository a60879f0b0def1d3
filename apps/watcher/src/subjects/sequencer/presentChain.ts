import type {
  ChainDetail,
  ChainSummary,
  RpcHealthStatus,
  StatusTransition,
} from '@perpscope/schemas';
import type { ChainConfig } from '../../config/chainsConfig.js';
import type { RpcHealthRow } from '../../db/queries/chains.js';
import { redactUrlSecrets, redactUrlsInText } from '../../security/redactSecrets.js';
import { type ChainStateRecord, initialChainState } from './chainStateRecord.js';
import { guidanceFor, phaseOf } from './guidance.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The API view of a chain. Ages are computed at `now` (the request time on the watcher clock) so they
 * keep growing between polls — a halted chain's head age is never frozen at the last poll.
 */
export function presentChainSummary(
  config: ChainConfig,
  stored: ChainStateRecord | null,
  now: number,
): ChainSummary {
  const s = stored ?? initialChainState(config.chainId, now);
  return {
    chainId: config.chainId,
    key: config.key,
    name: config.name,
    class: config.class,
    status: s.status,
    phase: phaseOf(s.status),
    guidance: [...guidanceFor(s.status)],
    // `idle` is newer than some persisted states.
    flags: { ...s.flags, idle: s.flags.idle ?? false },
    reasons: s.reasons,
    head: s.head,
    headAgeSeconds: s.head ? round3(Math.max(0, now / 1000 - s.head.timestamp)) : null,
    secondsSinceNewHead:
      s.lastIncreaseAt === null ? null : round3(Math.max(0, (now - s.lastIncreaseAt) / 1000)),
    statusSince: iso(s.statusSince),
    updatedAt: iso(s.updatedAt),
  };
}

/** The API detail view of a chain. */
export function presentChainDetail(params: {
  config: ChainConfig;
  state: ChainStateRecord | null;
  rpcs: readonly RpcHealthRow[];
  transitions: readonly { at: number; fromStatus: string; toStatus: string; reasonsJson: string }[];
  openIncidentIds: readonly number[];
  now: number;
}): ChainDetail {
  const { config, now } = params;
  const s = params.state ?? initialChainState(config.chainId, now);
  const tagged = (h: { number: number; timestamp: number } | null) =>
    h && s.head
      ? {
          number: h.number,
          timestamp: h.timestamp,
          lagSeconds: round3(Math.max(0, now / 1000 - h.timestamp)),
          lagBlocks: Math.max(0, s.head.number - h.number),
        }
      : null;
  return {
    ...presentChainSummary(config, params.state, now),
    blockTimeMs: config.blockTimeMs,
    blockGap: s.blockGap,
    safe: tagged(s.safe),
    finalized: tagged(s.finalized),
    rpcs: params.rpcs.map((r) => {
      // Quorum records are stored per position with the redacted URL, like the health rows.
      const q = s.rpcs?.[r.position] ?? null;
      return {
        // The read API is public: RPC URLs often carry provider API keys in the path or query.
        url: redactUrlSecrets(r.url),
        health: r.health as RpcHealthStatus,
        reasonCode: q?.reasonCode ?? null,
        reason: q?.reason ? redactUrlsInText(q.reason) : null,
        headNumber: r.headNumber,
        headAgeSeconds:
          q?.headTimestamp == null ? null : round3(Math.max(0, now / 1000 - q.headTimestamp)),
        secondsSinceNewHead:
          q?.changedAt == null ? null : round3(Math.max(0, (now - q.changedAt) / 1000)),
        latencyMs: r.latencyMs,
        lastOkAt: isoOrNull(r.lastOkAt),
        // Stored redacted already; the structural pass again costs little and covers old rows.
        lastError: r.lastError === null ? null : redactUrlsInText(r.lastError),
        consecutiveFailures: r.consecutiveFailures,
        malformedResponses: r.malformedResponses,
      };
    }),
    feed: config.uptimeFeed
      ? {
          kind: config.uptimeFeed.kind,
          address: config.uptimeFeed.address,
          state: s.feed?.state ?? 'unknown',
          answer: s.feed?.answer ?? null,
          startedAt: s.feed?.startedAt ?? null,
          updatedAt: s.feed?.updatedAt ?? null,
          graceEndsAt: isoOrNull(s.feed?.graceEndsAt ?? null),
          readAt: isoOrNull(s.feed?.readAt ?? null),
          error: s.feed?.error ?? null,
        }
      : null,
    probe: {
      enabled: config.traits.probe,
      lastResult: s.probe?.result ?? null,
      lastAt: isoOrNull(s.probe?.at ?? null),
      detail: s.probe?.detail ?? null,
    },
    thresholds: { ...config.thresholds },
    recentTransitions: params.transitions.map(
      (t): StatusTransition => ({
        at: iso(t.at),
        from: t.fromStatus as StatusTransition['from'],
        to: t.toStatus as StatusTransition['to'],
        reasons: JSON.parse(t.reasonsJson) as string[],
      }),
    ),
    openIncidentIds: [...params.openIncidentIds],
  };
}
