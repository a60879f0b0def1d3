import type { DisplayLevel } from '../model.js';
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

/** One line of the floating panel. */
export interface PanelLine {
  readonly text: string;
  readonly kind: 'chain' | 'pos' | 'market' | 'guidance' | 'note';
  /** `data-status` / `data-level` value for colouring. */
  readonly state?: string;
}

interface Badge {
  readonly host: HTMLElement;
  readonly el: HTMLElement;
  key: string;
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
 * an unchanged badge costs one string comparison, so a 50-row update is a few DOM writes at most.
 */
export class Overlay {
  readonly #doc: Document;
  readonly #badges = new Map<Element, Badge>();
  #panel: { host: HTMLElement; box: HTMLElement; signature: string } | null = null;

  constructor(doc: Document) {
    this.#doc = doc;
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
      if (badge.el.textContent !== item.text) badge.el.textContent = item.text;
      if (badge.el.dataset.level !== item.level) badge.el.dataset.level = item.level;
      if (badge.el.getAttribute('aria-label') !== item.label)
        badge.el.setAttribute('aria-label', item.label);
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
      return;
    }
    const signature = JSON.stringify([title, lines]);
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
      this.#panel = { host, box, signature: '' };
    }
    if (this.#panel.signature === signature) return;
    this.#panel.signature = signature;
    const { box } = this.#panel;
    const h = this.#doc.createElement('h2');
    h.textContent = title;
    const ul = this.#doc.createElement('ul');
    for (const line of lines) {
      const li = this.#doc.createElement('li');
      li.className = line.kind === 'guidance' ? 'g' : line.kind;
      if (line.state !== undefined)
        li.dataset[line.kind === 'pos' ? 'level' : 'status'] = line.state;
      li.textContent = line.text;
      ul.append(li);
    }
    box.replaceChildren(h, ul);
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
    return { host, el, key: '' };
  }
}
