import { aevoSite } from '@/src/content/aevoSite';
import { runOverlay } from '@/src/content/runOverlay';
import { SITE_MATCHES } from '@/src/sites';

export default defineContentScript({
  matches: [...SITE_MATCHES.aevo],
  runAt: 'document_idle',
  main(ctx) {
    runOverlay(ctx, aevoSite({ send: (m) => browser.runtime.sendMessage(m) }));
  },
});
