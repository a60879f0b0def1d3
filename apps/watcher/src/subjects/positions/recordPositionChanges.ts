import type { HlUserFill } from '@perpscope/hyperliquid';
import type { PositionLevel, WatcherEventKind } from '@perpscope/schemas';
import type { GuardedPositionRow } from '../../db/queries/positions.js';
import type { EventLog } from '../../events/eventLog.js';
import type { DistanceLevel } from './evaluatePosition.js';

/** Event kinds of the position guard (SSE, event log, the position alerter). */
export const positionEventKinds = {
  /** The level judged on current data changed (`from` → `to`); one per crossing. */
  level: 'position.level',
  /** The position's data went stale (`stale: true`, level `unknown`) or current again. */
  freshness: 'position.freshness',
  /** A liquidation fill of the account (alerted at once). */
  liquidated: 'position.liquidated',
  /** The position is gone (closed, or liquidated in full). */
  closed: 'position.closed',
} as const satisfies Record<string, WatcherEventKind>;

/** Where a guarded position's mark comes from (see {@link StoredPositionState}). */
export type MarkSourceKind = 'ctxStream' | 'ctxRest' | 'accountState';

/** What is stored (`state_json`) and presented for one position. */
export type StoredPositionState = {
  coin: string;
  dex: string;
  side: 'long' | 'short';
  size: string;
  marginMode: 'cross' | 'isolated';
  markPrice: string;
  /**
   * Where `markPrice` comes from: the HIP-3 watch's ctx stream (`ctxStream`), its REST fallback
   * (`ctxRest`) or the account state (`accountState`, `positionValue / |szi|`). Absent in rows
   * stored before it existed (= `accountState`).
   */
  markSource?: MarkSourceKind;
  /** Age of `markPrice` at `observedAt` (ms). */
  markAgeMs?: number;
  liquidationPrice: string | null;
  venueLiquidationPrice: string | null;
  distancePct: string | null;
  /** Whose liquidation price `distancePct` measures: the nearer of ours and the venue's. */
  distanceFrom?: 'ours' | 'venue' | null;
  /** Distance in σ of the coin's 24-hour move (realized volatility of hourly closes), when known. */
  distanceSigmas: number | null;
  reasons: string[];
  warnPct: number;
  criticalPct: number;
  multiplier: number;
  unrealizedPnl: string | null;
  fundingSinceOpen: string | null;
  /**
   * Funding paid per hour, from the change of `fundingSinceOpen` between the first reads of two
   * funding hours (HL pays on the hour), averaged when more than one hour passed; `null` until then.
   */
  fundingLastHour: string | null;
  /** `fundingSinceOpen` at the first read of the hour (ms since the epoch / 3,600,000). */
  fundingHourMark: { hour: number; sinceOpen: string } | null;
  /** Ms of the read the figures come from. */
  observedAt: number;
};

/** One evaluated position of a successful read. */
export type EvaluatedPosition = {
  state: StoredPositionState;
  baseLevel: DistanceLevel;
  level: DistanceLevel;
};

/** The guarded account the observation is about. */
export type GuardedAccountRef = { addressHash: string; label: string };

/** A successful read of one account. */
export type AccountObserved = {
  kind: 'observed';
  account: GuardedAccountRef;
  mode: string;
  /** `not-computable` when the math rejects the account's payloads (the error names the JSON path). */
  status: 'ok' | 'not-computable';
  reason: string | null;
  positions: readonly EvaluatedPosition[];
  /** Liquidation fills of this account found in this read (may repeat earlier ones: deduped by tid). */
  liquidations: readonly HlUserFill[];
  fillsCheckedTo: number | null;
  accountState: Record<string, unknown>;
};

/** A failed (or too old) read of one account: its positions become `unknown`. */
export type AccountUnknown = {
  kind: 'unknown';
  account: GuardedAccountRef;
  mode: string | null;
  reason: string;
  lastSuccessAt: number | null;
  fillsCheckedTo: number | null;
  accountState: Record<string, unknown>;
};

/** Parameters of {@link recordPositionChanges}. */
export type RecordPositionChangesParameters = {
  eventLog: EventLog;
  observation: AccountObserved | AccountUnknown;
  /** The account's position rows before this read (read by the loop; this is the only writer). */
  previous: readonly GuardedPositionRow[];
  /** The `owner` of the account row (`cluster.owner`; default `'local'`). */
  owner?: string;
};

/** What changed, for the loop's logs and tests. */
export type PositionChanges = { levelChanges: number; liquidations: number; closed: number };

const subjectOf = (hash: string, coin: string) => ({ type: 'position', id: `${hash}:${coin}` });

/**
 * The position guard's only writer: one event-log transaction per account read with the account
 * row, every position row and the events of what changed — a level crossing (`position.level`,
 * once per crossing: levels are persisted, so a restart or a stale spell does not repeat it),
 * a liquidation fill (`position.liquidated`, once per fill id), a closed position and a freshness
 * change. Episodes (`ok` → warn/critical → `ok`) get an id that the alerts of the episode share.
 */
export async function recordPositionChanges(
  p: RecordPositionChangesParameters,
): Promise<PositionChanges> {
  const { observation: o, previous } = p;
  const hash = o.account.addressHash;
  const changes: PositionChanges = { levelChanges: 0, liquidations: 0, closed: 0 };
  await p.eventLog.write(async (w) => {
    const now = w.now;
    const base = { label: o.account.label, addressHash: hash };
    if (o.kind === 'unknown') {
      await w.q.positions.upsertGuardedAccount(
        {
          addressHash: hash,
          label: o.account.label,
          mode: o.mode,
          status: 'unknown',
          reason: o.reason,
          lastSuccessAt: o.lastSuccessAt,
          lastAttemptAt: now,
          fillsCheckedTo: o.fillsCheckedTo,
          stateJson: JSON.stringify(o.accountState),
          updatedAt: now,
        },
        p.owner,
      );
      for (const row of previous) {
        if (row.level === 'unknown') continue;
        await w.q.positions.upsertGuardedPosition({ ...row, level: 'unknown', updatedAt: now });
        await w.emit(positionEventKinds.freshness, subjectOf(hash, row.coin), {
          ...base,
          coin: row.coin,
          stale: true,
          lastKnownLevel: row.knownLevel as DistanceLevel,
          reason: o.reason,
        });
      }
      return;
    }
    await w.q.positions.upsertGuardedAccount(
      {
        addressHash: hash,
        label: o.account.label,
        mode: o.mode,
        status: o.status,
        reason: o.reason,
        lastSuccessAt: now,
        lastAttemptAt: now,
        fillsCheckedTo: o.fillsCheckedTo,
        stateJson: JSON.stringify(o.accountState),
        updatedAt: now,
      },
      p.owner,
    );
    const liquidatedCoins = new Set<string>();
    for (const fill of o.liquidations) {
      const fresh = await w.q.positions.insertGuardedLiquidation({
        addressHash: hash,
        tid: String(fill.tid),
        coin: fill.coin,
        at: fill.time,
        fillJson: JSON.stringify(fill),
      });
      if (!fresh) continue;
      liquidatedCoins.add(fill.coin);
      changes.liquidations += 1;
      const prev = previous.find((r) => r.coin === fill.coin);
      await w.emit(positionEventKinds.liquidated, subjectOf(hash, fill.coin), {
        ...base,
        coin: fill.coin,
        tid: fill.tid,
        time: fill.time,
        px: fill.px,
        sz: fill.sz,
        side: fill.side,
        startPosition: fill.startPosition,
        closedPnl: fill.closedPnl,
        markPx: typeof fill.liquidation === 'object' ? fill.liquidation.markPx : null,
        method: typeof fill.liquidation === 'object' ? fill.liquidation.method : null,
        lastKnown: prev ? (JSON.parse(prev.stateJson) as StoredPositionState) : null,
        lastKnownLevel: (prev?.knownLevel ?? null) as DistanceLevel | null,
      });
    }
    const seen = new Set<string>();
    for (const next of o.positions) {
      const coin = next.state.coin;
      seen.add(coin);
      const prev = previous.find((r) => r.coin === coin);
      const from = (prev?.knownLevel ?? 'ok') as DistanceLevel;
      let episodeId = prev?.episodeId ?? null;
      if (next.level !== from) {
        if (from === 'ok') episodeId = `${hash}:${coin}:${now}`;
        await w.emit(positionEventKinds.level, subjectOf(hash, coin), {
          ...base,
          coin,
          from,
          to: next.level,
          episodeId,
          position: next.state,
          previous: prev ? (JSON.parse(prev.stateJson) as StoredPositionState) : null,
        });
        changes.levelChanges += 1;
        if (next.level === 'ok') episodeId = null;
      }
      if (prev?.level === 'unknown')
        await w.emit(positionEventKinds.freshness, subjectOf(hash, coin), {
          ...base,
          coin,
          stale: false,
          level: next.level,
        });
      const level: PositionLevel = o.status === 'not-computable' ? 'unknown' : next.level;
      await w.q.positions.upsertGuardedPosition({
        addressHash: hash,
        coin,
        dex: next.state.dex,
        level,
        knownLevel: next.level,
        baseLevel: next.baseLevel,
        episodeId,
        stateJson: JSON.stringify(next.state),
        updatedAt: now,
      });
    }
    for (const prev of previous) {
      if (seen.has(prev.coin)) continue;
      await w.q.positions.deleteGuardedPosition(hash, prev.coin);
      changes.closed += 1;
      await w.emit(positionEventKinds.closed, subjectOf(hash, prev.coin), {
        ...base,
        coin: prev.coin,
        episodeId: prev.episodeId,
        liquidated: liquidatedCoins.has(prev.coin),
        lastKnownLevel: prev.knownLevel as DistanceLevel,
      });
    }
  });
  return changes;
}
