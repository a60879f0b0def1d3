import { sendMessage } from '@/src/messages/protocol';
import { pageAccountProbe } from '@/src/popup/pageAccountProbe';
import { renderPopup } from '@/src/popup/renderPopup';
import { setUpPageAccount } from '@/src/popup/setUpPageAccount';
import { WhatIfView } from '@/src/popup/WhatIfView';
import { readSnapshot } from '@/src/storage/items';
import { addWatchedAddress, loadSettings } from '@/src/storage/settings';

// "Use this page's account" (issue 18): the click opened this popup over the exchange tab, which
// grants activeTab; only then does the probe run in that tab's main world (README, Privacy).
const pageAccount = document.querySelector<HTMLElement>('#page-account');
if (pageAccount)
  setUpPageAccount(pageAccount, {
    activeTab: async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      return tab?.id === undefined ? null : { id: tab.id, url: tab.url };
    },
    probe: async (tabId) => {
      const [injection] = await browser.scripting.executeScript({
        target: { tabId },
        world: 'MAIN',
        func: pageAccountProbe,
        args: [2000],
      });
      return injection?.result;
    },
    watched: async () => {
      const s = await loadSettings();
      return { addresses: s.addresses, labels: s.labels };
    },
    add: addWatchedAddress,
  });

const app = document.querySelector<HTMLElement>('#app');
const whatIfRoot = document.querySelector<HTMLElement>('#whatif');
const whatIf = whatIfRoot ? new WhatIfView(whatIfRoot) : null;
if (app) {
  let labels: Record<string, string> = {};
  void loadSettings()
    .then((s) => {
      labels = s.labels;
    })
    .catch(() => {});
  // Show the stored snapshot at once (when it is valid and the background has not answered yet),
  // then a fresh one from the background.
  let answered = false;
  void readSnapshot()
    .then((snap) => {
      if (snap && !answered) {
        renderPopup(app, snap, Date.now(), labels);
        whatIf?.update(snap, Date.now());
      }
    })
    .catch((error) => console.warn('perpscope: reading the stored snapshot failed', error));
  const update = () =>
    sendMessage((m) => browser.runtime.sendMessage(m), 'getSnapshot', {
      maxAgeMs: 5000,
      focusCoin: null,
    })
      .then((snap) => {
        answered = true;
        renderPopup(app, snap, Date.now(), labels);
        whatIf?.update(snap, Date.now());
      })
      .catch((error) => console.warn('perpscope: popup refresh failed', error));
  void update();
  setInterval(update, 3000);
}
