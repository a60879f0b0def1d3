import {
  chainSeverity,
  marketSeverity,
  positionLevelSeverity,
  type Severity,
  severityRank,
} from '@perpscope/schemas';
import type { ChainStatus, DisplayLevel, MarketStatus, RiskLevel } from '../model.js';
import { BADGE_CSS, PANEL_CSS } from './styles.js';

/** Tag of a badge host element (one per anchored row). */
export const BADGE_TAG = 'perpscope-badge';
/** Tag of the floating panel host element. */
export const PANEL_TAG = 'perpscope-panel';

/** A badge to show next to `anchor`. */
export interface BadgeItem {
  readonly anchor: Element;
  readonly key: string;
  readonly text: string;
  readonly label: string;
  /** Risk level, or `stale` (grey: the risk colour is withheld). */
  readonly level: DisplayLevel;
}

/** What every line of the floating panel has. */
interface PanelLineBase {
  readonly text: string;
  /** Tooltip (e.g. why a halt line gives no amount). */
  readonly title?: string;
}

/**
 * One line of the floating panel. Its `state` (the `data-status` / `data-level` value for colouring)
 * is the watcher's word for its kind, or `stale` when the line's inputs are old: a chain's
 * `ChainStatus`, a market's `Hip3MarketStatus`, a position's level. `account` says which watched
 * account the badges show (issue 18); `account`, `guidance` and `note` lines carry no state.
 */
export type PanelLine = PanelLineBase &
  (
    | { readonly kind: 'chain'; readonly state: ChainStatus | 'stale' }
    | { readonly kind: 'market'; readonly state: MarketStatus | 'stale' }
    | { readonly kind: 'pos'; readonly state: RiskLevel | 'stale' }
    | { readonly kind: 'account' | 'guidance' | 'note'; readonly state?: undefined }
  );

/**
 * Where the user put the floating panel and whether it is collapsed to a pill; remembered per site.
 * `left`/`top` are viewport pixels of its top-left corner, null = the default corner.
 */
export interface PanelLayout {
  readonly collapsed: boolean;
  readonly left: number | null;
  readonly top: number | null;
}

/** Options of {@link Overlay}. */
export interface OverlayOptions {
  /** Called after the user collapses, expands or drops the panel (to persist it). */
  readonly onLayout?: (layout: PanelLayout) => void;
  /**
   * Page areas the panel must not cover in its default corner (the venue's margin summary):
   * read only when the panel is (re)placed, never on every render.
   */
  readonly keepClear?: () => readonly DOMRect[];
}

/** Gap kept between the panel and the viewport edge or a keep-clear area (px). */
const GAP = 12;

/**
 * Where a panel line's state sits on perpscope's one severity scale (`@perpscope/schemas`): a
 * chain's status by `chainSeverity`, a market's by `marketSeverity`, a position's level by
 * `positionLevelSeverity`; `null` (nothing to report) for `ok`/`up`, `stale` and lines without a state.
 */
export function lineSeverity(line: PanelLine): Severity | null {
  if (line.state === undefined || line.state === 'stale') return null;
  switch (line.kind) {
    case 'chain':
      return chainSeverity(line.state);
    case 'market':
      return marketSeverity(line.state);
    case 'pos':
      return positionLevelSeverity(line.state);
    default:
      return null;
  }
}

/**
 * The state a collapsed panel (the pill) names: that of the first line most severe on the one scale;
 * when no line has a severity, `stale` if a line is stale, else `ok`.
 *
 * @example worstState([{ kind: 'chain', text: '', state: 'recovering' }, { kind: 'pos', text: '', state: 'critical' }]) // 'critical'
 */
export function worstState(lines: readonly PanelLine[]): string {
  let worst: PanelLine | null = null;
  for (const line of lines) {
    const rank = severityRank(lineSeverity(line));
    if (rank >= 0 && (worst === null || rank > severityRank(lineSeverity(worst)))) worst = line;
  }
  if (worst?.state !== undefined) return worst.state;
  return lines.some((l) => l.state === 'stale') ? 'stale' : 'ok';
}

/** A badge and the values last written to it (compared instead of reading the DOM back). */
interface Badge {
  readonly host: HTMLElement;
  readonly el: HTMLElement;
  key: string;
  text: string;
  level: string;
  label: string;
}

/** The expanded panel's list items and the lines last written to them (updated in place). */
interface PanelList {
  readonly items: HTMLLIElement[];
  lines: readonly PanelLine[];
}

const sheets = new WeakMap<Document, Map<string, CSSStyleSheet | null>>();

/** Applies `css` to a shadow root: a shared constructable sheet (CSP-proof), else a `<style>`. */
function applyCss(doc: Document, shadow: ShadowRoot, css: string): void {
  let perDoc = sheets.get(doc);
  if (!perDoc) {
    perDoc = new Map();
    sheets.set(doc, perDoc);
  }
  let sheet = perDoc.get(css);
  if (sheet === undefined) {
    try {
      const view = doc.defaultView as (Window & { CSSStyleSheet: typeof CSSStyleSheet }) | null;
      sheet = view ? new view.CSSStyleSheet() : null;
      sheet?.replaceSync(css);
    } catch {
      sheet = null;
    }
    perDoc.set(css, sheet);
  }
  if (sheet && 'adoptedStyleSheets' in shadow) {
    shadow.adoptedStyleSheets = [sheet];
    return;
  }
  const style = doc.createElement('style');
  style.textContent = css;
  shadow.append(style);
}

/**
 * perpscope's on-page UI: badges next to anchored rows and a floating panel, each in its own open
 * shadow root. Writes text only (`textContent`), never HTML from data. Updates are incremental:
 * an unchanged badge or panel line costs a few string comparisons with what was last written and
 * no DOM access; a changed one writes only its changed text or attribute (ages change at most once
 * a second).
 */
export class Overlay {
  readonly #doc: Document;
  readonly #badges = new Map<Element, Badge>();
  /**
   * `signature` is what a rebuild depends on: the pill's worst state, or the expanded panel's
   * title and line kinds (with the layout). Lines whose kinds are unchanged are updated in place.
   */
  #panel: {
    host: HTMLElement;
    box: HTMLElement;
    signature: string;
    list: PanelList | null;
  } | null = null;
  #layout: PanelLayout = { collapsed: false, left: null, top: null };
  #last: { title: string; lines: readonly PanelLine[] } | null = null;
  readonly #options: OverlayOptions;

  constructor(doc: Document, options: OverlayOptions = {}) {
    this.#doc = doc;
    this.#options = options;
  }

  /** Applies a remembered layout (read from storage after the first render). */
  setLayout(layout: PanelLayout): void {
    this.#layout = layout;
    if (this.#panel && this.#last) {
      this.#panel.signature = '';
      this.renderPanel(this.#last.title, this.#last.lines);
      this.#place(this.#panel.host);
    }
  }

  /** Places the panel again (the page resized, or its keep-clear areas moved). */
  replacePanel(): void {
    if (this.#panel) this.#place(this.#panel.host);
  }

  /** The panel's current layout. */
  get layout(): PanelLayout {
    return this.#layout;
  }

  /** Shows exactly `items` (removes badges of rows no longer listed). */
  renderBadges(items: readonly BadgeItem[]): void {
    const keep = new Set<Element>();
    for (const item of items) {
      keep.add(item.anchor);
      let badge = this.#badges.get(item.anchor);
      if (badge && badge.host.parentNode !== item.anchor) {
        this.#badges.delete(item.anchor);
        badge = undefined;
      }
      if (!badge) {
        badge = this.#createBadge();
        item.anchor.append(badge.host);
        this.#badges.set(item.anchor, badge);
      }
      // Compared with what was last written, not read back from the DOM (a read per attribute
      // cost more than the rest of the write pass): a badge whose values are unchanged costs no
      // DOM access at all.
      if (badge.text !== item.text) {
        badge.text = item.text;
        badge.el.textContent = item.text;
      }
      if (badge.level !== item.level) {
        badge.level = item.level;
        badge.el.dataset.level = item.level;
      }
      if (badge.label !== item.label) {
        badge.label = item.label;
        badge.el.setAttribute('aria-label', item.label);
      }
      if (badge.key !== item.key) {
        badge.key = item.key;
        badge.host.dataset.key = item.key;
      }
    }
    for (const [anchor, badge] of this.#badges) {
      if (keep.has(anchor)) continue;
      badge.host.remove();
      this.#badges.delete(anchor);
    }
  }

  /** Shows the floating panel with `lines`, or removes it when `lines` is null. */
  renderPanel(title: string, lines: readonly PanelLine[] | null): void {
    if (lines === null) {
      this.#panel?.host.remove();
      this.#panel = null;
      this.#last = null;
      return;
    }
    this.#last = { title, lines };
    const worst = worstState(lines);
    const signature = this.#layout.collapsed
      ? JSON.stringify(['pill', worst, this.#layout])
      : JSON.stringify([title, lines.map((l) => l.kind), this.#layout]);
    if (!this.#panel?.host.isConnected) {
      const host = this.#doc.createElement(PANEL_TAG);
      const shadow = host.attachShadow({ mode: 'open' });
      applyCss(this.#doc, shadow, PANEL_CSS);
      const box = this.#doc.createElement('section');
      box.className = 'p';
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', 'perpscope risk panel');
      shadow.append(box);
      this.#doc.body.append(host);
      this.#panel = { host, box, signature: '', list: null };
      // Placement reads layout (and the keep-clear areas): only when the panel's size changes,
      // never on every render.
      const view = this.#doc.defaultView as (Window & typeof globalThis) | null;
      if (view && 'ResizeObserver' in view)
        new view.ResizeObserver(() => this.#place(host)).observe(box);
    }
    if (this.#panel.signature === signature) {
      // Same structure (ages and states move on every second): write only what changed.
      const list = this.#panel.list;
      if (list) {
        lines.forEach((line, i) => {
          const li = list.items[i];
          const old = list.lines[i];
          if (li && old) updateLine(li, old, line);
        });
        list.lines = lines;
      }
      return;
    }
    this.#panel.signature = signature;
    this.#panel.list = null;
    const { box, host } = this.#panel;
    const toggle = this.#doc.createElement('button');
    toggle.type = 'button';
    toggle.className = 'toggle';
    if (this.#layout.collapsed) {
      // The pill: the worst state in words, so a collapsed panel still says when to look.
      toggle.textContent = `perpscope · ${worst}`;
      toggle.dataset.status = worst;
      toggle.setAttribute('aria-label', `perpscope: ${worst}. Expand the risk panel`);
      toggle.addEventListener('click', () => this.#changeLayout({ collapsed: false }));
      box.className = 'p pill';
      box.replaceChildren(toggle);
    } else {
      const head = this.#doc.createElement('div');
      head.className = 'head';
      const h = this.#doc.createElement('h2');
      h.textContent = title;
      h.title = 'Drag to move';
      toggle.textContent = '–';
      toggle.setAttribute('aria-label', 'Collapse the risk panel');
      toggle.addEventListener('click', () => this.#changeLayout({ collapsed: true }));
      head.append(h, toggle);
      this.#dragBy(h, host);
      const ul = this.#doc.createElement('ul');
      const items: HTMLLIElement[] = [];
      for (const line of lines) {
        const li = this.#doc.createElement('li');
        li.className = line.kind === 'guidance' ? 'g' : line.kind;
        if (line.state !== undefined) li.dataset[stateKey(line)] = line.state;
        li.textContent = line.text;
        if (line.title) li.title = line.title;
        items.push(li);
        ul.append(li);
      }
      box.className = 'p';
      box.replaceChildren(head, ul);
      this.#panel.list = { items, lines };
    }
  }

  #changeLayout(change: Partial<PanelLayout>): void {
    this.#layout = { ...this.#layout, ...change };
    this.#options.onLayout?.(this.#layout);
    if (this.#last) this.renderPanel(this.#last.title, this.#last.lines);
    if (this.#panel) this.#place(this.#panel.host);
  }

  /**
   * Puts the panel where the user dropped it (kept inside the viewport), else in the bottom-right
   * corner — moved above (or, without room, left of) any keep-clear area it would cover there.
   */
  #place(host: HTMLElement): void {
    const view = this.#doc.defaultView;
    if (!view) return;
    const { left, top } = this.#layout;
    if (left !== null && top !== null) {
      const w = host.offsetWidth;
      const h = host.offsetHeight;
      host.style.left = `${Math.max(0, Math.min(left, view.innerWidth - w))}px`;
      host.style.top = `${Math.max(0, Math.min(top, view.innerHeight - h))}px`;
      host.style.right = 'auto';
      host.style.bottom = 'auto';
      return;
    }
    for (const p of ['left', 'top', 'right', 'bottom'] as const) host.style.removeProperty(p);
    const areas = this.#options.keepClear?.() ?? [];
    if (areas.length === 0) return;
    const rect = host.getBoundingClientRect();
    const hit = areas.find((a) => overlaps(a, rect));
    if (!hit) return;
    if (hit.top - GAP - rect.height >= 0)
      host.style.bottom = `${view.innerHeight - hit.top + GAP}px`;
    else host.style.right = `${view.innerWidth - hit.left + GAP}px`;
  }

  /** Dragging the title moves the panel; dropping it remembers the spot. */
  #dragBy(handle: HTMLElement, host: HTMLElement): void {
    handle.addEventListener('pointerdown', (down: PointerEvent) => {
      const view = this.#doc.defaultView;
      if (!view || down.button !== 0) return;
      down.preventDefault();
      const start = host.getBoundingClientRect();
      const dx = down.clientX - start.left;
      const dy = down.clientY - start.top;
      const move = (e: PointerEvent) => {
        host.style.left = `${Math.max(0, Math.min(e.clientX - dx, view.innerWidth - start.width))}px`;
        host.style.top = `${Math.max(0, Math.min(e.clientY - dy, view.innerHeight - start.height))}px`;
        host.style.right = 'auto';
        host.style.bottom = 'auto';
      };
      const up = () => {
        view.removeEventListener('pointermove', move);
        view.removeEventListener('pointerup', up);
        const r = host.getBoundingClientRect();
        this.#changeLayout({ left: Math.round(r.left), top: Math.round(r.top) });
      };
      view.addEventListener('pointermove', move);
      view.addEventListener('pointerup', up);
    });
  }

  /** Removes everything perpscope added to the page. */
  clear(): void {
    this.renderBadges([]);
    this.renderPanel('', null);
  }

  /** True when `node` is (inside) one of our hosts — lets observers ignore our own writes. */
  static isOwn(node: Node | null): boolean {
    const el = node instanceof Element ? node : (node?.parentElement ?? null);
    return !!el?.closest(`${BADGE_TAG}, ${PANEL_TAG}`);
  }

  /** True when `el` is one of our host elements. */
  static isOwnHost(el: Element): boolean {
    return el.localName === BADGE_TAG || el.localName === PANEL_TAG;
  }

  #createBadge(): Badge {
    const host = this.#doc.createElement(BADGE_TAG);
    const shadow = host.attachShadow({ mode: 'open' });
    applyCss(this.#doc, shadow, BADGE_CSS);
    const el = this.#doc.createElement('span');
    el.className = 'b';
    el.setAttribute('role', 'note');
    shadow.append(el);
    return { host, el, key: '', text: '', level: '', label: '' };
  }
}

/** The data attribute a line's state colours: `data-level` for positions, else `data-status`. */
function stateKey(line: PanelLine): 'level' | 'status' {
  return line.kind === 'pos' ? 'level' : 'status';
}

/** Updates a list item showing `old` (same kind) to show `line`: writes only what differs. */
function updateLine(li: HTMLLIElement, old: PanelLine, line: PanelLine): void {
  if (old.text !== line.text) li.textContent = line.text;
  if (old.state !== line.state) {
    if (line.state === undefined) delete li.dataset[stateKey(line)];
    else li.dataset[stateKey(line)] = line.state;
  }
  if ((old.title ?? '') !== (line.title ?? '')) {
    if (line.title) li.title = line.title;
    else li.removeAttribute('title');
  }
}

/** Whether two rectangles share any area. */
function overlaps(a: DOMRect, b: DOMRect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
