import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { PAGE_POLL_MS } from '../sites.js';
import { PageController, type SiteAdapter } from './PageController.js';

/**
 * Starts a site's overlay inside a content script: timers are tied to WXT's `ctx` (they stop when
 * the extension is updated or removed, and the page then says to reload), SPA navigations (`wxt:locationchange`) re-poll at once.
 */
export function runOverlay(ctx: ContentScriptContext, site: SiteAdapter): PageController {
  const controller = new PageController({
    doc: document,
    site,
    timers: {
      setTimeout: (cb, ms) => ctx.setTimeout(cb, ms),
      setInterval: (cb, ms) => ctx.setInterval(cb, ms),
    },
  });
  controller.start(PAGE_POLL_MS);
  ctx.addEventListener(window, 'wxt:locationchange', () => {
    controller.render();
    void controller.poll();
  });
  // Invalidated = the extension was updated, reloaded or removed (WXT notices on the next timer
  // tick). On removal the line is wrong but harmless; on update it is the only hint to reload.
  ctx.onInvalidated(() => controller.showUpdated());
  return controller;
}
