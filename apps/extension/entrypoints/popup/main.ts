import { sendMessage } from '@/src/messages/protocol';
import { renderPopup } from '@/src/popup/renderPopup';
import { snapshotItem } from '@/src/storage/items';

const app = document.querySelector<HTMLElement>('#app');
if (app) {
  // Show the stored snapshot at once, then a fresh one from the background.
  void snapshotItem.getValue().then((snap) => renderPopup(app, snap, Date.now()));
  const update = () =>
    sendMessage((m) => browser.runtime.sendMessage(m), 'getSnapshot', {
      maxAgeMs: 5000,
      focusCoin: null,
    })
      .then((snap) => renderPopup(app, snap, Date.now()))
      .catch((error) => console.warn('perpscope: popup refresh failed', error));
  void update();
  setInterval(update, 3000);
}
