import type { HlUserFill } from '@perpscope/hyperliquid';
import type { GuardedAccount, GuardedLiquidation, GuardedPosition } from '@perpscope/schemas';
import type {
  GuardedAccountRow,
  GuardedLiquidationRow,
  GuardedPositionRow,
} from '../../db/queries/positions.js';
import type { StoredPositionState } from './recordPositionChanges.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** One stored position as the API serves it; `unknown` (stale) whenever the last read failed. */
export function presentGuardedPosition(row: GuardedPositionRow, nowMs: number): GuardedPosition {
  const s = JSON.parse(row.stateJson) as StoredPositionState;
  const stale = row.level === 'unknown';
  return {
    coin: s.coin,
    dex: s.dex,
    side: s.side,
    size: s.size,
    marginMode: s.marginMode,
    markPrice: s.markPrice,
    markSource: s.markSource ?? 'accountState',
    markAgeSeconds: Math.max(0, Math.round(((s.markAgeMs ?? 0) + nowMs - s.observedAt) / 1000)),
    liquidationPrice: s.liquidationPrice,
    venueLiquidationPrice: s.venueLiquidationPrice,
    distancePct: s.distancePct,
    distanceFrom: s.distanceFrom ?? null,
    distanceSigmas: s.distanceSigmas ?? null,
    level: row.level as GuardedPosition['level'],
    lastKnownLevel: row.knownLevel as GuardedPosition['lastKnownLevel'],
    reasons: s.reasons,
    thresholds: { warnPct: s.warnPct, criticalPct: s.criticalPct, multiplier: s.multiplier },
    unrealizedPnl: s.unrealizedPnl,
    fundingSinceOpen: s.fundingSinceOpen,
    fundingLastHour: s.fundingLastHour ?? null,
    observedAt: iso(s.observedAt),
    ageSeconds: Math.max(0, Math.round((nowMs - s.observedAt) / 1000)),
    stale,
  };
}

/** A stored liquidation fill as the API serves it. */
export function presentGuardedLiquidation(row: GuardedLiquidationRow): GuardedLiquidation {
  const f = JSON.parse(row.fillJson) as HlUserFill;
  const liq = typeof f.liquidation === 'object' ? f.liquidation : null;
  return {
    coin: f.coin,
    at: iso(f.time),
    px: f.px,
    sz: f.sz,
    side: f.side,
    closedPnl: f.closedPnl,
    markPx: liq?.markPx ?? null,
    method: liq?.method ?? null,
  };
}

/** One guarded account with its positions and latest liquidations. */
export function presentGuardedAccount(p: {
  account: GuardedAccountRow;
  positions: readonly GuardedPositionRow[];
  liquidations: readonly GuardedLiquidationRow[];
  nowMs: number;
}): GuardedAccount {
  const { account: a } = p;
  const state = JSON.parse(a.stateJson) as { addressMasked?: string; venues?: string[] };
  return {
    label: a.label,
    addressHash: a.addressHash,
    addressMasked: state.addressMasked ?? '',
    venues: state.venues ?? ['hyperliquid'],
    mode: a.mode,
    status: a.status as GuardedAccount['status'],
    reason: a.reason,
    lastSuccessAt: a.lastSuccessAt === null ? null : iso(a.lastSuccessAt),
    positions: p.positions.map((r) => presentGuardedPosition(r, p.nowMs)),
    liquidations: p.liquidations.map(presentGuardedLiquidation),
  };
}
