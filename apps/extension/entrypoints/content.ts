import { mountRoot } from '@/src/mountRoot';

export default defineContentScript({
  matches: ['https://app.hyperliquid.xyz/*', 'https://app.aevo.xyz/*'],
  runAt: 'document_idle',
  main() {
    mountRoot(document);
  },
});
