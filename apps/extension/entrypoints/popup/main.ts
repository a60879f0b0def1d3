import { sendMessage } from '@/src/messages/protocol';
import { renderPopup } from '@/src/popup/renderPopup';
import { WhatIfView } from '@/src/popup/WhatIfView';
import { readSnapshot } from '@/src/storage/items';
import { loadSettings } from '@/src/storage/settings';

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
