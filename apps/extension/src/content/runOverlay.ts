import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { PAGE_POLL_MS } from '../sites.js';
import type { PanelLayout } from '../ui/Overlay.js';
import { PageController, type SiteAdapter } from './PageController.js';

/**
 * Starts a site's overlay inside a content script: timers are tied to WXT's `ctx` (they stop when
 * the extension is updated or removed, and the page then says to reload), SPA navigations (`wxt:locationchange`) re-poll at once.
 */
export function runOverlay(ctx: ContentScriptContext, site: SiteAdapter): PageController {
  const key = location.host;
  const controller = new PageController({
    doc: document,
    site,
    timers: {
      setTimeout: (cb, ms) => ctx.setTimeout(cb, ms),
      setInterval: (cb, ms) => ctx.setInterval(cb, ms),
    },
    onPanelLayout: (layout) => void savePanelLayout(key, layout),
  });
  controller.start(PAGE_POLL_MS);
  void loadPanelLayout(key).then((layout) => {
    if (layout) controller.setPanelLayout(layout);
  });
  ctx.addEventListener(window, 'wxt:locationchange', () => {
    controller.render();
    void controller.poll();
  });
  // Invalidated = the extension was updated, reloaded or removed (WXT notices on the next timer
  // tick). On removal the line is wrong but harmless; on update it is the only hint to reload.
  ctx.onInvalidated(() => controller.showUpdated());
  return controller;
}

/** Storage key of the panel layouts, one per site host. */
const PANEL_LAYOUT_KEY = 'panelLayout';

/** The panel layout remembered for `host`, or null (none, or not valid). */
export async function loadPanelLayout(host: string): Promise<PanelLayout | null> {
  try {
    const all = (await browser.storage.local.get(PANEL_LAYOUT_KEY))[PANEL_LAYOUT_KEY] as
      | Record<string, unknown>
      | undefined;
    return parsePanelLayout(all?.[host]);
  } catch {
    return null;
  }
}

/** Validates a stored panel layout by hand (content scripts bundle no zod). */
export function parsePanelLayout(v: unknown): PanelLayout | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const coord = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  if (typeof o.collapsed !== 'boolean') return null;
  return { collapsed: o.collapsed, left: coord(o.left), top: coord(o.top) };
}

async function savePanelLayout(host: string, layout: PanelLayout): Promise<void> {
  try {
    const all = ((await browser.storage.local.get(PANEL_LAYOUT_KEY))[PANEL_LAYOUT_KEY] ??
      {}) as Record<string, unknown>;
    await browser.storage.local.set({ [PANEL_LAYOUT_KEY]: { ...all, [host]: layout } });
  } catch (error) {
    console.debug('perpscope: saving the panel layout failed', error);
  }
}
