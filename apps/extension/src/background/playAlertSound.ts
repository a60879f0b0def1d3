/** Plays the critical-alert sound once; rejects when the browser refuses. */
export type PlaySound = () => Promise<void>;

/** Path of the sound in the extension (`public/sounds/critical.wav`, `scripts/make-alert-sound.mjs`). */
export const ALERT_SOUND_PATH = '/sounds/critical.wav';
/** The offscreen document that plays it on Chrome (`entrypoints/offscreen/index.html`). */
export const OFFSCREEN_PATH = '/offscreen.html';

/** The parts of Chrome's `chrome.offscreen` / `chrome.runtime` the Chrome player uses. */
export interface OffscreenApi {
  readonly offscreen: {
    createDocument(params: {
      url: string;
      reasons: string[];
      justification: string;
    }): Promise<void>;
    closeDocument(): Promise<void>;
  };
  readonly runtime: {
    getContexts(filter: { contextTypes: string[] }): Promise<readonly unknown[]>;
  };
}

/**
 * Chrome: an MV3 service worker has no DOM and cannot play audio, so the sound plays in an
 * offscreen document (reason `AUDIO_PLAYBACK`) that starts it on load. One play = one document:
 * an open one (still playing, or idle — Chrome closes an AUDIO_PLAYBACK document 30 s after its
 * audio stops) is closed first. Calls are queued so two alerts never race create/close.
 */
export function offscreenSoundPlayer(api: OffscreenApi): PlaySound {
  let queue: Promise<void> = Promise.resolve();
  return () => {
    const run = queue.then(async () => {
      const open = await api.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
      if (open.length > 0) await api.offscreen.closeDocument();
      await api.offscreen.createDocument({
        url: OFFSCREEN_PATH,
        reasons: ['AUDIO_PLAYBACK'],
        justification: 'Play the short sound of a critical perpscope alert (optional setting).',
      });
    });
    queue = run.catch(() => {});
    return run;
  };
}

/**
 * Firefox: its MV3 background is an event page with a DOM, which can play the sound itself.
 *
 * @param url the sound's URL (`runtime.getURL(ALERT_SOUND_PATH)`).
 * @param createAudio `(url) => new Audio(url)`; tests pass their own.
 */
export function pageSoundPlayer(
  url: string,
  createAudio: (url: string) => { play(): Promise<void> },
): PlaySound {
  return () => createAudio(url).play();
}
