import type { AevoPageAccount, AevoPagePosition } from '../model.js';
import { findTable, normaliseLabel, parseDisplayedNumber } from './findTable.js';

/**
 * Header labels of Aevo's positions table. UNVERIFIED: guessed from note 2's formula terms, not read
 * from a capture of app.aevo.xyz (test/snapshots/README.md); replace with evidence when it exists.
 */
export const AEVO_COLUMNS = {
  required: {
    instrument: [/^(instrument|market|asset|contract|symbol)$/],
    size: [/^(size|position|position size|contracts|amount|qty)$/],
  },
  optional: {
    side: [/^(side|direction)$/],
    mark: [/^(mark|mark price|mark px)$/],
    liq: [/^(liq\.? price|liquidation price|est\.? liq\.? price|liq\.? px|liquidation)$/],
  },
} as const;

/** Account-panel labels of the health inputs `AB + UP − OO − MM`. */
export const AEVO_ACCOUNT_LABELS = {
  balance: [/^(account balance|balance|collateral balance)$/],
  unrealizedPnl: [/^(unrealized pnl|unrealized p&l|unrealised pnl|upnl)$/],
  openOrdersMargin: [/^(open orders margin|open orders|order margin)$/],
  maintenanceMargin: [/^(maintenance margin|maint\.? margin|mm)$/],
} as const;

/** Row of the positions table with the parsed position and its instrument cell (badge anchor). */
export interface AevoRow {
  readonly position: AevoPagePosition;
  readonly anchor: Element;
}

/**
 * Reads positions from app.aevo.xyz (its API needs keys, SPEC §5): the table with an instrument
 * and a size column; side from a Side column or the size's sign. Read-only; null when absent.
 */
export function readAevoPositions(root: ParentNode): AevoRow[] | null {
  const t = findTable(root, AEVO_COLUMNS.required, AEVO_COLUMNS.optional);
  if (!t) return null;
  const out: AevoRow[] = [];
  for (const r of t.rows) {
    const cell = (i: number) => (i >= 0 ? r.cells[i] : undefined);
    const anchor = cell(t.columns.instrument);
    const instrument = (anchor?.textContent ?? '').trim().split(/\s+/)[0] ?? '';
    const sizeRaw = parseDisplayedNumber(cell(t.columns.size)?.textContent);
    if (!anchor || !/^[A-Z0-9]{1,20}(-[A-Z0-9]{1,20})*$/i.test(instrument) || sizeRaw === null)
      continue;
    const sideText = normaliseLabel(cell(t.columns.side)?.textContent);
    const side =
      sideText.startsWith('short') || sideText === 'sell' || sizeRaw.startsWith('-')
        ? 'short'
        : 'long';
    out.push({
      anchor,
      position: {
        instrument,
        side,
        size: sizeRaw.replace(/^-/, ''),
        markPx: parseDisplayedNumber(cell(t.columns.mark)?.textContent),
        liqPx: parseDisplayedNumber(cell(t.columns.liq)?.textContent),
      },
    });
  }
  return out;
}

/**
 * Reads the account panel's health inputs: an element whose whole text is a known label, and the
 * value in its next element sibling. Missing values are null (health is then not shown).
 */
export function readAevoAccount(root: ParentNode): AevoPageAccount {
  const out: Record<keyof AevoPageAccount, string | null> = {
    balance: null,
    unrealizedPnl: null,
    openOrdersMargin: null,
    maintenanceMargin: null,
  };
  // Labels are leaf-ish elements (dt, span, div) — scan those with no element children.
  for (const el of Array.from(root.querySelectorAll('dt, span, div, th, td, label, p'))) {
    if (el.childElementCount > 0) continue;
    const label = normaliseLabel(el.textContent);
    if (label.length > 40) continue;
    for (const [key, patterns] of Object.entries(AEVO_ACCOUNT_LABELS) as [
      keyof AevoPageAccount,
      readonly RegExp[],
    ][]) {
      if (out[key] !== null || !patterns.some((p) => p.test(label))) continue;
      out[key] = parseDisplayedNumber(el.nextElementSibling?.textContent);
    }
  }
  return out;
}
