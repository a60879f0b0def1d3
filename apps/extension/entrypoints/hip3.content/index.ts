import { hyperliquidSite } from '@/src/content/hyperliquidSite';
import { runOverlay } from '@/src/content/runOverlay';
import { PAGE_POLL_MS, SITE_MATCHES } from '@/src/sites';

export default defineContentScript({
  matches: [...SITE_MATCHES.hip3],
  runAt: 'document_idle',
  main(ctx) {
    runOverlay(
      ctx,
      hyperliquidSite({
        send: (m) => browser.runtime.sendMessage(m),
        kind: 'hip3',
        pollMs: PAGE_POLL_MS,
      }),
    );
  },
});
