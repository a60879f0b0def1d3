/**
 * The one severity scale of perpscope and where every other status scale sits on it. Kept free of
 * zod (types only) so the status page's bundle can import it without the schema library.
 *
 * @module
 */

import type { ChainStatus } from './chains.js';
import type { Hip3MarketStatus } from './hip3.js';
import type { PositionLevel } from './positions.js';

/**
 * The one severity scale of perpscope, lowest first: incidents use `warning` and `critical`; alerts
 * add `info` for resolve and test messages. Compare with {@link severityRank}, never by string.
 */
export const severities = ['info', 'warning', 'critical'] as const;

/** A severity on the one scale ({@link severities}). */
export type Severity = (typeof severities)[number];

/**
 * Position of a severity on the scale (`info` 0, `warning` 1, `critical` 2); `null` — nothing to
 * report (`ok`, `up`) — ranks below every severity (-1).
 *
 * @example severityRank('critical') > severityRank('warning') // true
 * @example severityRank(marketSeverity('ok')) // -1
 */
export function severityRank(severity: Severity | null): number {
  return severity === null ? -1 : severities.indexOf(severity);
}

const MARKET_SEVERITY: Readonly<Record<Hip3MarketStatus, Severity | null>> = {
  ok: null,
  watch: 'info',
  warn: 'warning',
  critical: 'critical',
  // Not verdicts on the oracle (see isMarketVerdict); warnings like their incidents
  // (`hip3-halt`, `no-data`).
  halted: 'warning',
  unknown: 'warning',
};

/**
 * Where a HIP-3 market status sits on the one scale: `ok` → none, `watch` → `info`, `warn` →
 * `warning`, `critical` → `critical`; `halted` and `unknown` → `warning` (the severity of their
 * incidents). Used to sort, colour and raise incidents; see {@link isMarketVerdict} for how
 * `halted`/`unknown` combine with verdicts.
 *
 * @example marketSeverity('warn') // 'warning'
 */
export function marketSeverity(status: Hip3MarketStatus): Severity | null {
  return MARKET_SEVERITY[status];
}

/**
 * Whether a market status is a verdict on the oracle (`ok`, `watch`, `warn`, `critical`) rather
 * than a state that leaves no verdict (`halted`: no trading; `unknown`: no trustworthy data). Those
 * two override verdicts when reasons combine (`halted` first), open no `hip3-status` incident and
 * come after live oracle problems on the status page's charts.
 */
export function isMarketVerdict(status: Hip3MarketStatus): boolean {
  return status !== 'halted' && status !== 'unknown';
}

const CHAIN_SEVERITY: Readonly<Record<ChainStatus, Severity | null>> = {
  up: null,
  recovering: 'info',
  degraded: 'warning',
  unknown: 'warning',
  halted: 'critical',
};

/**
 * Where an L2 sequencer status sits on the one scale: `up` → none, `recovering` → `info`,
 * `degraded` and `unknown` → `warning`, `halted` → `critical` (the severities of the sequencer and
 * `no-data` incidents).
 *
 * @example chainSeverity('halted') // 'critical'
 */
export function chainSeverity(status: ChainStatus): Severity | null {
  return CHAIN_SEVERITY[status];
}

const POSITION_LEVEL_SEVERITY: Readonly<Record<PositionLevel, Severity | null>> = {
  ok: null,
  // No current data: worth a look, but no level was judged.
  unknown: 'info',
  warn: 'warning',
  critical: 'critical',
};

/**
 * Where a liquidation-distance level (the watcher's position guard, the extension's risk level)
 * sits on the one scale: `ok` → none, `unknown` → `info`, `warn` → `warning`, `critical` →
 * `critical`.
 *
 * @example severityRank(positionLevelSeverity('critical')) > severityRank(positionLevelSeverity('warn')) // true
 */
export function positionLevelSeverity(level: PositionLevel): Severity | null {
  return POSITION_LEVEL_SEVERITY[level];
}
