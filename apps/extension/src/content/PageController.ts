import type { Snapshot } from '../model.js';
import { formatChain, formatMarket, formatPct } from '../ui/formatBadge.js';
import { type BadgeItem, Overlay, type PanelLine } from '../ui/Overlay.js';

/** Timer functions (WXT's `ctx` in the extension so they stop when the script is invalidated). */
export interface Timers {
  setTimeout(cb: () => void, ms: number): number;
  setInterval(cb: () => void, ms: number): number;
}

/** What a site contributes: how to get data and how to find anchors. */
export interface SiteAdapter {
  /** Name shown in the panel title. */
  readonly name: string;
  /** Whether the user switched this site on (from the snapshot's settings echo). */
  enabled(snap: Snapshot): boolean;
  /** Chain ids whose badge is shown on this site. */
  chainIds(snap: Snapshot): readonly string[] | null;
  /** Fetches a fresh snapshot (via the background). */
  fetchSnapshot(doc: Document): Promise<Snapshot>;
  /** Reads the page (no writes) and returns badge items, or null when no anchor table exists. */
  readBadges(doc: Document, snap: Snapshot): BadgeItem[] | null;
  /** Coin the page is about (for the market line), if any. */
  focusCoin(doc: Document): string | null;
}

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
  #snapshot: Snapshot | null = null;
  #renderPending = false;
  #observer: MutationObserver | null = null;
  #polling = false;

  constructor(params: { doc: Document; site: SiteAdapter; timers: Timers }) {
    this.#doc = params.doc;
    this.#site = params.site;
    this.#timers = params.timers;
    this.#overlay = new Overlay(params.doc);
  }

  /** Starts polling and observing. */
  start(pollMs: number): void {
    void this.poll();
    this.#timers.setInterval(() => {
      if (this.#doc.visibilityState !== 'hidden') void this.poll();
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
      // Background unreachable (extension updated/reloaded): keep the last render, log once.
      console.debug('perpscope: snapshot unavailable', error);
    } finally {
      this.#polling = false;
    }
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
    if (!snap) return;
    const perf = this.#doc.defaultView?.performance;
    const start = perf?.now() ?? 0;
    try {
      if (!this.#site.enabled(snap)) {
        this.#overlay.clear();
        return;
      }
      // Read phase.
      const badges = this.#site.readBadges(this.#doc, snap);
      const focus = this.#site.focusCoin(this.#doc);
      const chainIds = this.#site.chainIds(snap);
      // Write phase.
      this.#overlay.renderBadges(badges ?? []);
      this.#overlay.renderPanel(
        `perpscope · ${this.#site.name}`,
        panelLines(snap, { focus, chainIds, listPositions: badges === null }),
      );
      // User Timing entry: the overlay-update benchmark (e2e/perf.bench.spec.ts) reads it in Chromium.
      perf?.measure('perpscope:render', {
        start,
        end: perf.now(),
        detail: { badges: badges?.length ?? 0 },
      });
    } catch (error) {
      console.debug('perpscope: render failed', error);
    }
  }
}

/** True for mutations perpscope caused itself (inside its hosts, or adding/removing its hosts). */
function isOwnMutation(r: MutationRecord): boolean {
  if (Overlay.isOwn(r.target)) return true;
  if (r.type !== 'childList') return false;
  const nodes = [...Array.from(r.addedNodes), ...Array.from(r.removedNodes)];
  return nodes.length > 0 && nodes.every((n) => n instanceof Element && Overlay.isOwnHost(n));
}

/** Lines of the floating panel: chain badges with guidance, the market on screen, and (when no
 * table anchor was found) the positions themselves. */
export function panelLines(
  snap: Snapshot,
  opts: { focus: string | null; chainIds: readonly string[] | null; listPositions: boolean },
): PanelLine[] {
  const lines: PanelLine[] = [];
  for (const c of snap.chains) {
    if (opts.chainIds && !opts.chainIds.includes(c.id)) continue;
    lines.push({ kind: 'chain', text: formatChain(c), state: c.status });
    if (c.status !== 'up' && c.guidance) lines.push({ kind: 'guidance', text: c.guidance });
  }
  if (snap.watcher === 'off')
    lines.push({ kind: 'note', text: 'No watcher configured: chain and oracle badges off.' });
  if (snap.watcher === 'error')
    lines.push({ kind: 'note', text: 'Watcher unreachable: chain and oracle badges stale.' });
  if (snap.haltActive)
    lines.push({ kind: 'note', text: 'Halt in progress: liquidation thresholds multiplied.' });
  const market = opts.focus ? snap.markets.find((m) => m.coin === opts.focus) : undefined;
  if (market)
    lines.push({ kind: 'market', text: formatMarket(market), state: market.oracleStatus });
  if (opts.listPositions) {
    for (const p of snap.positions) {
      const dist = p.distancePct === null ? 'no liq' : `${formatPct(p.distancePct)} to liq`;
      lines.push({
        kind: 'pos',
        text: `${p.coin} ${p.side} ${p.size}: ${dist} (${p.level})`,
        state: p.level,
      });
    }
    if (snap.positions.length === 0)
      lines.push({ kind: 'note', text: 'No watched positions (add addresses in the options).' });
  }
  return lines;
}
