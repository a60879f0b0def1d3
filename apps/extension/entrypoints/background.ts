import { createWeightAccountant, HL_API_URL } from '@perpscope/hyperliquid';
import { createBackground } from '@/src/background/createBackground';
import { DataService } from '@/src/background/DataService';
import {
  ALERT_SOUND_PATH,
  type OffscreenApi,
  offscreenSoundPlayer,
  pageSoundPlayer,
} from '@/src/background/playAlertSound';

export default defineBackground(() => {
  // Half of Hyperliquid's 1200 weight/min per-IP limit, leaving room for the exchange tab itself.
  const budget = createWeightAccountant({ budget: 600, windowMs: 60_000, now: Date.now });
  const service = new DataService({
    fetch: (input, init) => fetch(input, init),
    now: Date.now,
    apiBase: HL_API_URL,
    budget,
  });
  // The optional critical-alert sound: Chrome's worker plays it through an offscreen document,
  // Firefox's background page itself.
  const playSound = import.meta.env.FIREFOX
    ? pageSoundPlayer(browser.runtime.getURL(ALERT_SOUND_PATH), (url) => new Audio(url))
    : offscreenSoundPlayer(browser as unknown as OffscreenApi);
  createBackground({ browser, service, now: Date.now, playSound }).start();
});
