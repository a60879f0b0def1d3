import type { Snapshot } from '../model.js';
import {
  chainIsStale,
  emptyPositionsText,
  formatChain,
  formatFundingPerDay,
  formatHaltPlan,
  formatMarket,
  formatPct,
  freshnessOf,
} from '../ui/formatBadge.js';
import {
  type BadgeItem,
  Overlay,
  type OverlayOptions,
  type PanelLayout,
  type PanelLine,
} from '../ui/Overlay.js';
import { type PageAccountHint, type ShownAccount, shownAccount } from './pageAccount.js';

/** Timer functions (WXT's `ctx` in the extension so they stop when the script is invalidated). */
export interface Timers {
  setTimeout(cb: () => void, ms: number): number;
  setInterval(cb: () => void, ms: number): number;
}

/** What a site contributes: how to get data and how to find anchors. */
export interface SiteAdapter {
  /** Name shown in the panel title. */
  readonly name: string;
  /** Venue whose positions this site shows (chain guidance follows its dependencies). */
  readonly venue: 'hyperliquid' | 'aevo';
  /** Whether the user switched this site on (from the snapshot's settings echo). */
  enabled(snap: Snapshot): boolean;
  /** Chain ids whose badge is shown on this site. */
  chainIds(snap: Snapshot): readonly string[] | null;
  /** Fetches a fresh snapshot (via the background). */
  fetchSnapshot(doc: Document): Promise<Snapshot>;
  /**
   * Reads the page (no writes) and returns badge items, or null when no positions table is
   * recognised. `nowMs` judges freshness.
   */
  readBadges(doc: Document, snap: Snapshot, nowMs: number): BadgeItem[] | null;
  /** Perp market the page is about (for the market line); null on spot and other pages. */
  focusCoin(doc: Document): string | null;
  /** Page areas the floating panel must not cover by default (the venue's margin summary). */
  keepClear?(doc: Document): DOMRect[];
  /**
   * What the page says about the account it shows (URL, header), read-only. Sites whose positions
   * are per address (Hyperliquid) have it: badges then follow that account (issue 18).
   */
  pageAccount?(doc: Document): PageAccountHint | null;
}

/** How often renders re-read the page's account hint (ms); at once after a navigation. */
export const ACCOUNT_HINT_EVERY_MS = 1_000;

/** What an open exchange tab shows after the extension was updated or reloaded. */
export const UPDATED_TEXT = 'perpscope was updated — reload this page to see its badges again.';

/** How often renders re-place the floating panel around the page's margin summary (ms). */
export const PLACE_EVERY_MS = 5_000;

/** Minimum gap between two renders caused by page mutations (ms). */
export const RENDER_THROTTLE_MS = 200;

/**
 * Runs one site's overlay: polls the background every `pollMs` while the tab is visible, renders
 * badges next to anchored rows (floating panel when no anchor), re-renders after page mutations
 * at most every {@link RENDER_THROTTLE_MS}, and on SPA navigation. Never throws into the page.
 */
export class PageController {
  readonly #doc: Document;
  readonly #site: SiteAdapter;
  readonly #timers: Timers;
  readonly #overlay: Overlay;
  readonly #now: () => number;
  #snapshot: Snapshot | null = null;
  #renderPending = false;
  #observer: MutationObserver | null = null;
  #polling = false;
  /** Set by {@link showUpdated}: a poll still in flight must not render over the hint. */
  #invalidated = false;
  #placedAt = 0;
  #hint: { at: number; href: string; value: PageAccountHint | null } | null = null;

  constructor(params: {
    doc: Document;
    site: SiteAdapter;
    timers: Timers;
    /** Clock for the age of numbers (default `Date.now`). */
    now?: () => number;
    /** Called when the user collapses, expands or moves the panel (to remember it per site). */
    onPanelLayout?: (layout: PanelLayout) => void;
  }) {
    this.#doc = params.doc;
    this.#site = params.site;
    this.#timers = params.timers;
    this.#now = params.now ?? Date.now;
    const site = params.site;
    const options: OverlayOptions = {
      ...(params.onPanelLayout && { onLayout: params.onPanelLayout }),
      ...(site.keepClear && { keepClear: () => site.keepClear?.(params.doc) ?? [] }),
    };
    this.#overlay = new Overlay(params.doc, options);
  }

  /**
   * Places the panel again: the page may have rendered (or moved) its margin summary since. Reads
   * layout, so at most every {@link PLACE_EVERY_MS} from renders.
   */
  replacePanel(): void {
    this.#placedAt = this.#now();
    this.#overlay.replacePanel();
  }

  /** Applies the panel layout remembered for this site. */
  setPanelLayout(layout: PanelLayout): void {
    this.#overlay.setLayout(layout);
  }

  /** Starts polling and observing. */
  start(pollMs: number): void {
    void this.poll();
    this.#timers.setInterval(() => {
      if (this.#doc.visibilityState === 'hidden') return;
      // Re-render first: ages move on (and turn stale) even while a poll hangs or fails.
      this.render();
      void this.poll();
    }, pollMs);
    const view = this.#doc.defaultView as (Window & typeof globalThis) | null;
    // A page may have no <body> (yet): observe the root instead of throwing into the page.
    const target = this.#doc.body ?? this.#doc.documentElement;
    if (!view || !target) return;
    // Page-wide, but the callback is O(mutations) filtering + a throttled render; no DOM walk here.
    this.#observer = new view.MutationObserver((records) => {
      if (records.some((r) => !isOwnMutation(r))) this.scheduleRender();
    });
    this.#observer.observe(target, { childList: true, subtree: true, characterData: true });
  }

  /** Stops observing and removes the UI. */
  stop(): void {
    this.#observer?.disconnect();
    this.#overlay.clear();
  }

  /**
   * The extension was updated or reloaded: this script can no longer reach it and the browser
   * does not inject the new one into open tabs. Stops, removes the (now frozen) badges and leaves
   * one line saying what to do instead of silently going blank. Needs no extension API.
   */
  showUpdated(): void {
    this.#observer?.disconnect();
    this.#invalidated = true;
    this.#snapshot = null;
    this.#overlay.renderBadges([]);
    this.#overlay.renderPanel('perpscope', [{ kind: 'note', text: UPDATED_TEXT }]);
  }

  /**
   * Fetches a snapshot and renders it. A call while a poll is under way adds nothing, except
   * that a poll whose page changed meanwhile (SPA navigation to another market) asks again for
   * the market now on screen instead of leaving it unshown until the next interval.
   */
  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const focus = this.#site.focusCoin(this.#doc);
        this.#snapshot = await this.#site.fetchSnapshot(this.#doc);
        this.render();
        if (this.#site.focusCoin(this.#doc) === focus) break;
      }
    } catch (error) {
      // Background unreachable (extension updated/reloaded): the last numbers stay, aging into stale.
      console.debug('perpscope: snapshot unavailable', error);
      this.render();
    } finally {
      this.#polling = false;
    }
  }

  /**
   * Which watched account this page's badges follow. The page's hint (URL, header text) is re-read
   * at most every {@link ACCOUNT_HINT_EVERY_MS}, and at once when the URL changed.
   */
  #shownAccount(snap: Snapshot, nowMs: number): ShownAccount | null {
    const read = this.#site.pageAccount;
    if (!read) return null;
    const href = this.#doc.location?.href ?? '';
    const cached = this.#hint;
    if (!cached || cached.href !== href || nowMs - cached.at >= ACCOUNT_HINT_EVERY_MS)
      this.#hint = { at: nowMs, href, value: read(this.#doc) };
    return shownAccount({
      hint: this.#hint?.value ?? null,
      addresses: snap.addresses,
      labels: snap.labels,
    });
  }

  /** Coalesces renders triggered by page mutations. */
  scheduleRender(): void {
    if (this.#renderPending) return;
    this.#renderPending = true;
    this.#timers.setTimeout(() => {
      this.#renderPending = false;
      this.render();
    }, RENDER_THROTTLE_MS);
  }

  /** Renders the last snapshot: one read pass over the page, then one write pass. */
  render(): void {
    const snap = this.#snapshot;
    if (!snap || this.#invalidated) return;
    const perf = this.#doc.defaultView?.performance;
    const start = perf?.now() ?? 0;
    try {
      if (!this.#site.enabled(snap)) {
        this.#overlay.clear();
        return;
      }
      // Read phase.
      const nowMs = this.#now();
      const shown = this.#shownAccount(snap, nowMs);
      const view = shown ? snapshotForAccount(snap, this.#site.venue, shown) : snap;
      const badges = this.#site.readBadges(this.#doc, view, nowMs);
      const focus = this.#site.focusCoin(this.#doc);
      const chainIds = this.#site.chainIds(snap);
      const lines = panelLines(view, {
        venue: this.#site.venue,
        focus,
        chainIds,
        listPositions: badges === null,
        nowMs,
      });
      // Write phase.
      const written = perf?.now() ?? 0;
      this.#overlay.renderBadges(badges ?? []);
      this.#overlay.renderPanel(
        `perpscope · ${this.#site.name}`,
        shown?.line ? [{ kind: 'account', text: shown.line }, ...lines] : lines,
      );
      if (nowMs - this.#placedAt >= PLACE_EVERY_MS) this.replacePanel();
      // User Timing entry: the overlay-update benchmark (e2e/perf.bench.spec.ts) reads it in
      // Chromium; `readMs` is the read pass (page + formatting), the rest the write pass.
      perf?.measure('perpscope:render', {
        start,
        end: perf.now(),
        detail: { badges: badges?.length ?? 0, readMs: written - start },
      });
    } catch (error) {
      console.debug('perpscope: render failed', error);
    }
  }
}

/**
 * The snapshot as a page showing `shown` sees it: the venue's positions of that account only (none
 * when the page shows an account perpscope does not watch), and its address alone as the watched
 * one, so empty-state lines name it. Other venues' positions are left as they are.
 */
export function snapshotForAccount(
  snap: Snapshot,
  venue: SiteAdapter['venue'],
  shown: ShownAccount,
): Snapshot {
  if (shown.basis === 'none') return snap;
  return {
    ...snap,
    positions: snap.positions.filter((p) => p.venue !== venue || p.account === shown.address),
    addresses: shown.address === null ? [] : [shown.address],
  };
}

/** True for mutations perpscope caused itself (inside its hosts, or adding/removing its hosts). */
function isOwnMutation(r: MutationRecord): boolean {
  if (Overlay.isOwn(r.target)) return true;
  if (r.type !== 'childList') return false;
  const nodes = [...Array.from(r.addedNodes), ...Array.from(r.removedNodes)];
  return nodes.length > 0 && nodes.every((n) => n instanceof Element && Overlay.isOwnHost(n));
}

/** Options of {@link panelLines}. */
export interface PanelOptions {
  /** Venue of the site: chain lines carry the guidance of its dependency on each chain. */
  readonly venue: 'hyperliquid' | 'aevo';
  /** Perp market on screen, if any (spot pages have none: no perp line). */
  readonly focus: string | null;
  /** Chain ids shown on this site (null = all). */
  readonly chainIds: readonly string[] | null;
  /** No positions table was recognised: list the venue's positions in the panel and say so. */
  readonly listPositions: boolean;
  /** Now, epoch ms (freshness). */
  readonly nowMs: number;
}

/**
 * Lines of the floating panel: chain badges with the guidance for this venue's dependency on each
 * chain (venues.md §6), the market on screen, and (when no positions table was recognised) the
 * positions themselves. Every line carries its age and turns `stale` past the threshold.
 */
export function panelLines(snap: Snapshot, opts: PanelOptions): PanelLine[] {
  const lines: PanelLine[] = [];
  const fresh = { nowMs: opts.nowMs, staleAfterMs: snap.staleAfterMs };
  for (const c of snap.chains) {
    if (opts.chainIds && !opts.chainIds.includes(c.id)) continue;
    const stale = chainIsStale(c, fresh);
    lines.push({ kind: 'chain', text: formatChain(c, fresh), state: stale ? 'stale' : c.status });
    if (c.status === 'up' || c.status === 'unknown') continue;
    const impact = c.impacts.find((i) => i.venue === opts.venue);
    // The watcher's guidance is worded for venues whose prices run on the chain; show it only to
    // those. Other venues get their own dependency's text, or none when they do not depend on it.
    if (impact?.kind === 'prices' && c.guidance) lines.push({ kind: 'guidance', text: c.guidance });
    else if (impact)
      lines.push({
        kind: 'guidance',
        text:
          c.status === 'degraded'
            ? `${c.name} degraded: if it halts, ${impact.guidance}`
            : `${c.name} ${c.status}: ${impact.guidance}`,
      });
  }
  if (snap.watcher === 'off')
    lines.push({ kind: 'note', text: 'No watcher configured: chain and oracle badges off.' });
  if (snap.watcher === 'error')
    lines.push({ kind: 'note', text: 'Watcher unreachable: chain and oracle badges stale.' });
  const halted = snap.positions.filter((p) => p.venue === opts.venue && p.haltMultiplied);
  if (halted.length > 0)
    lines.push({
      kind: 'note',
      text: 'Halt of a chain this venue prices on: liquidation thresholds multiplied.',
    });
  // Per position, one line: where it is, the distance to keep during the halt (note 1) and what
  // gets it there (computed in the background, `src/risk/haltPlan.ts`).
  const keep = snap.thresholds.warnPct * snap.thresholds.haltMultiplier;
  for (const p of halted)
    if (p.distancePct !== null) {
      const kept = p.distancePct >= keep;
      const plan = kept ? null : formatHaltPlan(p.haltPlan ?? null);
      const title = kept ? undefined : (p.haltPlan?.note ?? undefined);
      lines.push({
        kind: 'pos',
        text: `${p.coin} ${formatPct(p.distancePct)} — during this halt keep ≥ ${formatPct(keep)}${kept ? ' (kept)' : plan ? `: ${plan}` : ''}`,
        state: freshnessOf(p, fresh).stale ? 'stale' : p.level,
        ...(title ? { title } : {}),
      });
    }
  const market = opts.focus ? snap.markets.find((m) => m.coin === opts.focus) : undefined;
  if (market) {
    const stale = freshnessOf(market, { ...fresh, staleAfterMs: market.staleAfterMs }).stale;
    lines.push({
      kind: 'market',
      text: formatMarket(market, fresh),
      state: stale ? 'stale' : market.oracleStatus,
    });
  }
  if (opts.listPositions) {
    const mine = snap.positions.filter((p) => p.venue === opts.venue);
    if (mine.length > 0)
      lines.push({
        kind: 'note',
        text: 'Positions table not recognised on this page: positions listed here.',
      });
    for (const p of mine) {
      const dist = p.distancePct === null ? 'no liq' : `${formatPct(p.distancePct)} to liq`;
      const { stale, age } = freshnessOf(p, fresh);
      const funding = formatFundingPerDay(
        p,
        snap.markets.find((m) => m.coin === p.coin),
      );
      lines.push({
        kind: 'pos',
        text: stale
          ? `${p.coin} ${p.side} ${p.size}: stale · ${age} (${dist})`
          : `${p.coin} ${p.side} ${p.size}: ${dist} (${p.level})${funding ? ` · ${funding}` : ''} · ${age}`,
        state: stale ? 'stale' : p.level,
      });
    }
    if (mine.length === 0) lines.push({ kind: 'note', text: emptyPositionsText(snap) });
  }
  return lines;
}
