import { type Hip3MarketStatus, isMarketVerdict, marketSeverity } from '@perpscope/schemas';
import type { IncidentSeverity } from '../../db/queries/incidents.js';
import type { EventLog, EventWriter } from '../../events/eventLog.js';
import { HIP3_WRITER } from '../../runtime/marketWithWriteFailure.js';
import type { MarketEvaluation } from './evaluateMarket.js';
import type { Hip3Pending } from './hip3Markets.js';

/**
 * The severity of a status's `hip3-status` incident: verdicts at `warning` or above on the one
 * scale (`warn`, `critical`); `halted` and `unknown` are no verdict (their own incidents).
 */
function incidentSeverityOf(status: Hip3MarketStatus): IncidentSeverity | null {
  const severity = isMarketVerdict(status) ? marketSeverity(status) : null;
  return severity === 'warning' || severity === 'critical' ? severity : null;
}

/** A market state row to (re)write: the evaluation and since when its status holds. */
export type Hip3StateWrite = {
  coin: string;
  ev: MarketEvaluation;
  since: number;
  lastSample: number | null;
};

/** A status transition to record (with its event and incident changes). */
export type Hip3Transition = { coin: string; ev: MarketEvaluation; from: Hip3MarketStatus };

/** Parameters of {@link recordHip3Changes}. */
export type RecordHip3ChangesParameters = {
  eventLog: EventLog;
  now: number;
  pending: Hip3Pending;
  stateWrites: readonly Hip3StateWrite[];
  transitions: readonly Hip3Transition[];
  /** The `owner` of the market rows (`cluster.owner`; default `'local'`). */
  owner?: string;
};

/**
 * The HIP-3 subject's only writer of market data: commits, in one event-log transaction, the
 * discovered dexes, changed samples, oracle updates, meta changes, stream gaps, derived states and
 * the status transitions with their `market.*` events and `hip3-status`/`hip3-halt` incidents.
 * Does nothing (no transaction) when there is nothing to write.
 *
 * @returns whether a transaction was committed.
 */
export async function recordHip3Changes(params: RecordHip3ChangesParameters): Promise<boolean> {
  const { pending: p, now } = params;
  if (
    p.dexRows.length +
      p.samples.length +
      p.oracle.length +
      p.gaps.length +
      p.metas.length +
      p.events.length +
      params.stateWrites.length +
      params.transitions.length ===
    0
  ) {
    return false;
  }
  await params.eventLog.write(
    async (w) => {
      const { hip3 } = w.q;
      if (p.dexRows.length > 0) await hip3.upsertHip3Dexes(p.dexRows, now);
      for (const m of p.metas)
        await hip3.upsertHip3MarketMeta({
          ...m,
          now,
          ...(params.owner !== undefined && { owner: params.owner }),
        });
      await hip3.writeBatch({ samples: p.samples, oracleUpdates: p.oracle, marketStates: [] });
      for (const g of p.gaps) await hip3.insertHip3StreamGap(g);
      for (const e of p.events) await e(w);
      await hip3.writeBatch({
        samples: [],
        oracleUpdates: [],
        marketStates: params.stateWrites.map((sw) => ({
          coin: sw.coin,
          status: sw.ev.status,
          statusSince: sw.since,
          reasonsJson: JSON.stringify(sw.ev.reasons),
          metricsJson: JSON.stringify(sw.ev.metrics),
          lastSampleAt: sw.lastSample,
          updatedAt: now,
        })),
      });
      for (const c of params.transitions) {
        await hip3.insertHip3Transition({
          coin: c.coin,
          at: now,
          fromStatus: c.from,
          toStatus: c.ev.status,
          reasonsJson: JSON.stringify(c.ev.reasons),
        });
        await w.emit(
          'market.status',
          { type: 'market', id: c.coin },
          {
            from: c.from,
            to: c.ev.status,
            reasons: c.ev.reasons.map((r) => ({
              code: r.code,
              severity: r.severity,
              message: r.message,
            })),
          },
        );
        await recordIncidents(w, c);
      }
    },
    { writer: HIP3_WRITER },
  );
  return true;
}

/** Opens, escalates or closes the market's `hip3-status` and `hip3-halt` incidents. */
async function recordIncidents(w: EventWriter, { coin, ev, from }: Hip3Transition) {
  const subject = { type: 'market', id: coin };
  const sev = incidentSeverityOf(ev.status);
  const top = ev.reasons.find((r) => r.severity === ev.status) ?? ev.reasons[0];
  const peak: Record<string, number> = {};
  const dev = ev.metrics.markDeviation.value;
  if (dev !== null) peak.absMarkDeviation = Math.abs(dev);
  if (ev.metrics.oracle.lastChangeAgeSeconds !== null) {
    peak.oracleAgeSeconds = ev.metrics.oracle.lastChangeAgeSeconds;
  }
  if (sev) {
    const inc = await w.openIncident({
      subject,
      kind: 'hip3-status',
      severity: sev,
      title: `${coin}: ${top?.message ?? ev.status}`,
      peak,
      context: { reasons: ev.reasons.map((r) => r.code) },
    });
    await w.touchIncident(
      await w.escalateIncident(inc, sev, `${coin}: ${top?.message ?? ev.status}`),
      { peak },
    );
  } else if (ev.status === 'ok' || ev.status === 'watch' || ev.status === 'halted') {
    const open = await w.findOpenIncident(subject, 'hip3-status');
    if (open) await w.closeIncident(open, { resolvedTo: ev.status });
  }
  // A market already delisted when first seen is history, not an incident.
  if (ev.status === 'halted' && from !== 'halted' && from !== 'unknown') {
    await w.openIncident({
      subject,
      kind: 'hip3-halt',
      severity: 'warning',
      title: `${coin}: ${top?.message ?? 'halted'}`,
    });
  } else if (from === 'halted' && ev.status !== 'halted') {
    const open = await w.findOpenIncident(subject, 'hip3-halt');
    if (open) await w.closeIncident(open, { resolvedTo: ev.status });
  }
}

/** Records the ctx stream going silent (`no-data` incident) or coming back. */
export async function recordHip3StreamChange(
  eventLog: EventLog,
  up: boolean,
  atMs: number,
): Promise<void> {
  const subject = { type: 'hip3-stream', id: 'allDexsAssetCtxs' };
  await eventLog.write(
    async (w) => {
      await w.emit('hip3.stream', subject, { up, at: atMs });
      const open = await w.findOpenIncident(subject, 'no-data');
      if (!up && !open) {
        await w.openIncident({
          subject,
          kind: 'no-data',
          severity: 'warning',
          title: 'Hyperliquid ctx stream silent; falling back to REST within budget',
        });
      } else if (up && open) {
        await w.closeIncident(open);
      }
    },
    { writer: HIP3_WRITER },
  );
}
