import type { Snapshot } from '../model.js';
import { compareRiskLevels } from '../risk/riskLevel.js';
import type { Alert } from './dedupeAlerts.js';

/** A multiplier as the user typed it: `3×`, `2.5×`. */
export function formatMultiplier(x: number): string {
  return `${Number(x.toFixed(2))}×`;
}

/**
 * Alerts raised by a new snapshot: a position whose level worsened into `warn`/`critical`
 * (threshold crossing), a chain that is halted, a market whose oracle is critical or halted.
 * Repeats are removed by {@link dedupeAlerts} with the user's cool-down.
 */
export function alertsFor(prev: Snapshot, next: Snapshot): Alert[] {
  const alerts: Alert[] = [];
  const before = new Map(prev.positions.map((p) => [p.key, p.level]));
  for (const p of next.positions) {
    const worsened = compareRiskLevels(p.level, before.get(p.key) ?? 'ok') > 0;
    if (worsened && (p.level === 'warn' || p.level === 'critical')) {
      const dist = p.distancePct === null ? '' : ` ${p.distancePct.toFixed(1)}% from liquidation`;
      alerts.push({
        key: `liq|${p.key}|${p.level}`,
        title: `${p.coin} ${p.side}: ${p.level === 'critical' ? 'liquidation close' : 'liquidation distance low'}`,
        message: `${p.venue}${dist}${p.haltMultiplied ? ` (chain halt: thresholds ${formatMultiplier(next.thresholds.haltMultiplier)})` : ''}`,
        critical: p.level === 'critical',
      });
    }
  }
  for (const c of next.chains) {
    if (c.status !== 'halted') continue;
    alerts.push({
      key: `chain|${c.id}|halted`,
      title: `${c.name} sequencer halted`,
      // What the halt means for the watched venues (venues.md §6); the watcher's text otherwise.
      message:
        c.impacts.length > 0
          ? c.impacts
              .map((i) => (i.kind === 'prices' ? c.guidance || i.guidance : i.guidance))
              .join(' ')
          : c.guidance,
      critical: true,
    });
  }
  for (const m of next.markets) {
    if (m.oracleStatus !== 'critical' && m.oracleStatus !== 'halted') continue;
    alerts.push({
      key: `oracle|${m.coin}|${m.oracleStatus}`,
      title: `${m.coin} oracle ${m.oracleStatus}`,
      message: m.oracleReason ?? '',
      critical: true,
    });
  }
  return alerts;
}
