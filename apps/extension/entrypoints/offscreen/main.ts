import { ALERT_SOUND_PATH } from '@/src/background/playAlertSound';

// Plays the critical-alert sound once, on load (one document per play, see playAlertSound.ts).
// The URL's hash records the outcome (`#played`, `#failed`) for `runtime.getContexts`, which is
// how the e2e test sees that the sound started.
const audio = new Audio(browser.runtime.getURL(ALERT_SOUND_PATH));
audio
  .play()
  .then(() => {
    location.hash = 'played';
  })
  .catch((error: unknown) => {
    location.hash = 'failed';
    console.warn('perpscope: the alert sound did not play', error);
  });
