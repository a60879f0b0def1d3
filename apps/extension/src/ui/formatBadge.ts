import type { ChainView, MarketView, PositionView } from '../model.js';

/** Text of a position badge plus a longer accessible label. Text only, never HTML. */
export interface BadgeText {
  readonly text: string;
  readonly label: string;
}

/** Formats a percentage with 2 decimals below 10 %, 1 above (`7.35%`, `23.4%`). */
export function formatPct(pct: number): string {
  return `${pct.toFixed(Math.abs(pct) < 10 ? 2 : 1)}%`;
}

/**
 * Badge text of a position: `Liq 7.35% · 2.1σ`, plus a flag when our liquidation price disagrees
 * with the venue's (`≠HL 2866.2`) or cannot be computed from perp state (unified accounts).
 *
 * @example
 * formatBadge(p).text // 'Liq 4.01% · 1.8σ'
 */
export function formatBadge(p: PositionView): BadgeText {
  let text: string;
  if (p.distancePct === null) text = p.liqCheck === 'none' ? 'No liq' : 'Liq n/a';
  else {
    text = `Liq ${formatPct(p.distancePct)}`;
    text += p.distanceSigma === null ? ' · σ n/a' : ` · ${p.distanceSigma.toFixed(1)}σ`;
  }
  if (p.liqCheck === 'disagree') text += ` · ≠HL ${p.venueLiqPx ?? 'none'}`;
  if (p.liqCheck === 'not-computable') text += ' · unified acct: HL liq only';
  if (p.healthBufferUsd !== null) text += ` · health ${p.healthBufferUsd.toFixed(2)}`;
  const label =
    `${p.coin} ${p.side} ${p.size}: ` +
    (p.distancePct === null
      ? 'no liquidation distance'
      : `${formatPct(p.distancePct)} from liquidation`) +
    `, level ${p.level}` +
    (p.liqCheck === 'disagree'
      ? `, our liquidation price ${p.liqPx ?? 'none'} differs from the venue's ${p.venueLiqPx ?? 'none'}`
      : '') +
    (p.liqCheck === 'not-computable'
      ? ', unified or portfolio-margin account: not computable from perp state'
      : '');
  return { text, label };
}

/** One-line market status: `BTC funding 10.95% APR · oracle ok`. */
export function formatMarket(m: MarketView): string {
  const apr =
    m.fundingApr === null ? 'funding n/a' : `funding ${formatPct(m.fundingApr * 100)} APR`;
  const dev = m.markOracleDevPct === null ? '' : ` · mark−oracle ${formatPct(m.markOracleDevPct)}`;
  return `${m.coin} ${apr}${dev} · oracle ${m.oracleStatus}`;
}

/** One-line chain badge: `Arbitrum One: halted — during a halt`. */
export function formatChain(c: ChainView): string {
  return `${c.name}: ${c.status} — ${c.phase}`;
}
