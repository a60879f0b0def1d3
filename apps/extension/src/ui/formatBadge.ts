import type {
  ChainView,
  DisplayLevel,
  Freshness,
  GuardView,
  HaltPlan,
  MarketView,
  PositionView,
  Snapshot,
} from '../model.js';
import { HYPERLIQUID_FRONT_ENDS } from '../sites.js';

/** Text of a position badge, a longer accessible label, and the level to colour it with. */
export interface BadgeText {
  readonly text: string;
  readonly label: string;
  /** The position's risk level, or `stale` (grey) when its inputs are old: the colour is withheld. */
  readonly level: DisplayLevel;
}

/** The clock and threshold a number's freshness is judged by. */
export interface FreshnessOptions {
  /** Now, epoch ms. */
  readonly nowMs: number;
  /** Age past which a number is stale (ms). */
  readonly staleAfterMs: number;
}

/** Formats a percentage with 2 decimals below 10 %, 1 above (`7.35%`, `23.4%`). */
export function formatPct(pct: number): string {
  return `${pct.toFixed(Math.abs(pct) < 10 ? 2 : 1)}%`;
}

/** Age as the UI shows it: `42 s`, `5 min`, `3 h`; `never` for data never fetched. */
export function formatAge(ms: number, dataAt: number): string {
  if (dataAt <= 0) return 'never';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/**
 * Whether a number with this freshness is stale: its last refresh failed or was skipped, or its
 * inputs are older than the threshold. Returns the age text either way.
 */
export function freshnessOf(
  f: Freshness,
  opts: FreshnessOptions,
): { readonly stale: boolean; readonly age: string } {
  const ageMs = opts.nowMs - f.dataAt;
  return {
    stale: f.dataAt <= 0 || f.staleReason !== null || ageMs > opts.staleAfterMs,
    age: formatAge(ageMs, f.dataAt),
  };
}

/**
 * A price as Hyperliquid's page prints it (research/venues.md §1: `5,535.1`, `3,438.8`, `66,344`):
 * 5 significant figures, whole numbers from 100,000, thousands separators.
 */
export function formatVenuePrice(px: string): string {
  const x = Number(px);
  if (!Number.isFinite(x)) return px;
  if (Math.abs(x) >= 100_000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(5)).toLocaleString('en-US', { maximumFractionDigits: 10 });
}

/**
 * Badge text of a position: `Liq 7.35% · 2.1σ · 2 s`. When two liquidation prices disagree the
 * headline uses the nearer one and names it (`HL liq 2,866.2 (nearer), ours 2,901.5`); when ours
 * is not computable (account mode unknown, an input missing, a portfolio-margin cross position)
 * it uses HL's price and says why (`HL liq only (account mode unknown)`). Past the freshness threshold
 * (or after a failed refresh) the badge reads `stale · 42 s · …` and is grey.
 *
 * @example
 * formatBadge(p, { nowMs: Date.now(), staleAfterMs: 9000 }).text // 'Liq 4.01% · 1.8σ · 1 s'
 */
export function formatBadge(p: PositionView, opts: FreshnessOptions): BadgeText {
  // The text depends on the position and on its freshness only, and the age is shown in whole
  // seconds (or minutes, hours): renders within the same second reuse the last result.
  const { stale, age } = freshnessOf(p, opts);
  const memo = badgeMemo.get(p);
  if (memo && memo.stale === stale && memo.age === age) return memo.out;
  const out = composeBadge(p, stale, age);
  badgeMemo.set(p, { stale, age, out });
  return out;
}

/**
 * Last badge per position (snapshot objects are immutable: a new poll brings new objects, and
 * the old ones are collected with their entries).
 */
const badgeMemo = new WeakMap<
  PositionView,
  { readonly stale: boolean; readonly age: string; readonly out: BadgeText }
>();

function composeBadge(p: PositionView, stale: boolean, age: string): BadgeText {
  const venue = p.venue === 'hyperliquid' ? 'HL' : 'venue';
  let body: string;
  if (p.distancePct === null) body = p.liqCheck === 'none' ? 'No liq' : 'Liq n/a';
  else {
    body = `Liq ${formatPct(p.distancePct)}`;
    // σ appears once there is enough price history for a volatility; "σ n/a" told nothing.
    if (p.distanceSigma !== null) body += ` · ${p.distanceSigma.toFixed(1)}σ`;
  }
  if (p.liqCheck === 'disagree') {
    const ours = p.liqPx === null ? 'none' : formatVenuePrice(p.liqPx);
    const theirs = p.venueLiqPx === null ? 'none' : formatVenuePrice(p.venueLiqPx);
    body +=
      p.headline === 'venue'
        ? ` · ${venue} liq ${theirs} (nearer), ours ${ours}`
        : ` · our liq ${ours} (nearer), ${venue} ${theirs}`;
  }
  if (p.liqCheck === 'not-computable')
    body += ` · ${venue} liq only (${p.liqReason ?? (p.accountMode === null ? 'account mode unknown' : `${p.accountMode} account`)})`;
  if (p.healthBufferUsd !== null) body += ` · health ${p.healthBufferUsd.toFixed(2)}`;
  const text = stale ? `stale · ${age} · ${body}` : `${body} · ${age}`;
  const label =
    `${p.coin} ${p.side} ${p.size}: ` +
    (p.distancePct === null
      ? 'no liquidation distance'
      : `${formatPct(p.distancePct)} from liquidation`) +
    (stale
      ? `, stale: inputs ${age} old${p.staleReason ? ` (${p.staleReason})` : ''}`
      : `, level ${p.level}, inputs ${age} old`) +
    (p.liqCheck === 'disagree'
      ? `, our liquidation price ${p.liqPx ?? 'none'} and the venue's ${p.venueLiqPx ?? 'none'} differ; the ${p.headline === 'venue' ? "venue's" : 'our'} nearer one is used`
      : '') +
    (p.liqCheck === 'not-computable'
      ? `, account mode ${p.accountMode ?? 'unknown'}: ours not computable (${p.liqReason ?? 'perp state alone'}), the venue's price is used`
      : '') +
    (p.haltMultiplied ? ', thresholds multiplied for a chain halt' : '');
  return { text, label, level: stale ? 'stale' : p.level };
}

/** Collateral token a position's funding is paid in (HIP-3 dexes per research/venues.md §3). */
export function collateralOf(p: Pick<PositionView, 'venue' | 'dex'>): string {
  if (p.venue === 'aevo' || p.dex === '') return 'USDC';
  return HYPERLIQUID_FRONT_ENDS.find((f) => f.dexes.includes(p.dex))?.collateral ?? 'USD';
}

/**
 * Funding a position pays or receives per day at the current hourly rate, and who pays:
 * `funding −12.34 USDC/day (you pay)`. Hyperliquid charges `size × oracle price × rate` each hour
 * (positive rate: longs pay shorts), so a day is `APR / 365` of the notional at the oracle price
 * (mark when there is no oracle price). Null when the market's rate or price is unknown.
 */
export function formatFundingPerDay(p: PositionView, m: MarketView | undefined): string | null {
  const px = Number(m?.oraclePx ?? p.markPx ?? Number.NaN);
  if (!m || m.fundingApr === null || !Number.isFinite(px)) return null;
  const perDay = (Math.abs(Number(p.size)) * px * m.fundingApr) / 365;
  const unit = `${collateralOf(p)}/day`;
  if (Math.abs(perDay) < 0.005) return `funding 0.00 ${unit}`;
  const pays = m.fundingApr > 0 === (p.side === 'long');
  const amount = Math.abs(perDay).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return `funding ${pays ? '−' : '+'}${amount} ${unit} (${pays ? 'you pay' : 'you receive'})`;
}

/**
 * A decimal string as an amount with thousands separators, as given (no float): `1240.5` →
 * `1,240.50`, at most two decimals (callers round first).
 */
export function formatAmount(decimal: string): string {
  const [int = '0', frac = ''] = decimal.replace(/^-/, '').split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = frac === '' ? '' : `.${frac.padEnd(2, '0').slice(0, 2)}`;
  return `${decimal.startsWith('-') ? '−' : ''}${grouped}${cents}`;
}

/**
 * The remedy part of a halt line: `add 1,240.17 USDC or cut 38%`, `add 12 USDC` (no cut for an
 * isolated position), or null when the plan has no amount (its note goes to the tooltip).
 */
export function formatHaltPlan(plan: HaltPlan | null): string | null {
  if (plan === null) return null;
  const add =
    plan.addCollateral === null
      ? null
      : `add ${formatAmount(plan.addCollateral)} ${plan.collateralSymbol}`;
  const cut = plan.cutPct === null ? null : `cut ${plan.cutPct}%`;
  if (add && cut) return `${add} or ${cut}`;
  return add ?? cut;
}

/** `0x0000…00a1`: an address short enough for a sentence. */
export function shortAddress(a: string): string {
  return a.length > 12 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a;
}

/**
 * What to say when a venue shows no watched position, naming exactly what is missing: no address
 * in the options, data not read yet, the read failing, or simply no open position on the
 * watched addresses.
 */
export function emptyPositionsText(snap: Snapshot): string {
  const n = snap.addresses.length;
  if (n === 0)
    return 'No address watched: add the address you trade from in the perpscope options (Accounts).';
  const who = `${shortAddress(snap.addresses[0] ?? '')}${n > 1 ? ` and ${n - 1} more` : ''}`;
  if (snap.updatedAt === 0)
    return snap.problems.length > 0
      ? `Positions of ${who} could not be read: ${snap.problems[0]}`
      : `Reading the positions of ${who}…`;
  return `No open positions on ${who}. Badges appear next to a position once one is open.`;
}

/**
 * A position badge whose market's oracle is critical or halted (HIP-3, from the watcher): the
 * liquidation distance is computed from a mark that may be wrong, so the badge says so first and
 * takes the critical colour instead of staying calm. A stale badge stays grey.
 */
export function withOracleStatus(badge: BadgeText, market: MarketView | undefined): BadgeText {
  const s = market?.oracleStatus;
  if ((s !== 'critical' && s !== 'halted') || badge.level === 'stale') return badge;
  return {
    text: `oracle ${s} · ${badge.text}`,
    label: `${badge.label}, oracle ${s}: the mark and the distance may be wrong`,
    level: 'critical',
  };
}

/** One-line market status: `BTC funding 10.95% APR · oracle ok · 2 s`, or stale. */
export function formatMarket(m: MarketView, opts: FreshnessOptions): string {
  const apr =
    m.fundingApr === null ? 'funding n/a' : `funding ${formatPct(m.fundingApr * 100)} APR`;
  const dev = m.markOracleDevPct === null ? '' : ` · mark−oracle ${formatPct(m.markOracleDevPct)}`;
  const market = freshnessOf(m, { nowMs: opts.nowMs, staleAfterMs: m.staleAfterMs });
  const oracle =
    m.oracleAt > 0 && (m.oracleStaleReason !== null || opts.nowMs - m.oracleAt > opts.staleAfterMs)
      ? `oracle stale · ${formatAge(opts.nowMs - m.oracleAt, m.oracleAt)} (${m.oracleStatus})`
      : `oracle ${m.oracleStatus}`;
  return market.stale
    ? `${m.coin} stale · ${market.age} (${apr}${dev}) · ${oracle}`
    : `${m.coin} ${apr}${dev} · ${oracle} · ${market.age}`;
}

/** One-line chain badge: `Arbitrum One: halted — during a halt`, or `…: stale · 42 s (halted — …)`. */
export function formatChain(c: ChainView, opts: FreshnessOptions): string {
  const { stale, age } = freshnessOf(c, opts);
  return stale
    ? `${c.name}: stale · ${age} (${c.status} — ${c.phase})`
    : `${c.name}: ${c.status} — ${c.phase} · ${age}`;
}

/**
 * The popup's line about the watcher's 24/7 guard of an address (issue 16); `null` = show nothing
 * (no watcher configured). "Guard on" is said only from a fresh answer: a stale one says its age
 * and what it last said.
 */
export function formatGuard(g: GuardView | null, opts: FreshnessOptions): string | null {
  if (g === null) return null;
  const { stale, age } = freshnessOf(g, opts);
  if (g.dataAt <= 0) return `Guard unknown — ${g.staleReason ?? 'watcher not reached yet'}`;
  if (stale) return `Guard stale · ${age} (last: ${g.on ? 'on' : 'not guarded by your watcher'})`;
  if (!g.on) return 'Not guarded by your watcher';
  const level = g.level ? ` · ${g.level}` : '';
  const t = g.thresholds
    ? ` · warn ${g.thresholds.warnPct}% / critical ${g.thresholds.criticalPct}%`
    : '';
  return `Guard on — the watcher alerts you even with the browser closed${level}${t} · ${age}`;
}

/** Whether a chain line is stale (grey, its status colour withheld). */
export function chainIsStale(c: ChainView, opts: FreshnessOptions): boolean {
  return freshnessOf(c, opts).stale;
}
