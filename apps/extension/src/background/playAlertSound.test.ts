import { describe, expect, it, vi } from 'vitest';
import {
  ALERT_SOUND_PATH,
  OFFSCREEN_PATH,
  type OffscreenApi,
  offscreenSoundPlayer,
  pageSoundPlayer,
} from './playAlertSound.js';

/** A stand-in for Chrome's offscreen API that keeps Chrome's one-document rule. */
function fakeOffscreen() {
  let open = false;
  let creating = false;
  const calls: string[] = [];
  const api: OffscreenApi = {
    offscreen: {
      async createDocument(p) {
        // Chrome: "Only a single offscreen document may be created."
        if (open || creating) throw new Error('Only a single offscreen document may be created.');
        creating = true;
        await new Promise((r) => setTimeout(r, 1));
        creating = false;
        open = true;
        calls.push(`create ${p.url} ${p.reasons.join(',')}`);
      },
      async closeDocument() {
        open = false;
        calls.push('close');
      },
    },
    runtime: { getContexts: async () => (open ? [{ contextType: 'OFFSCREEN_DOCUMENT' }] : []) },
  };
  return { api, calls };
}

describe('offscreenSoundPlayer (Chrome)', () => {
  it('creates an AUDIO_PLAYBACK offscreen document per play, closing the previous one', async () => {
    const { api, calls } = fakeOffscreen();
    const play = offscreenSoundPlayer(api);
    await play();
    await play();
    expect(calls).toEqual([
      `create ${OFFSCREEN_PATH} AUDIO_PLAYBACK`,
      'close',
      `create ${OFFSCREEN_PATH} AUDIO_PLAYBACK`,
    ]);
  });

  it('two alerts at once do not race create/close', async () => {
    const { api, calls } = fakeOffscreen();
    const play = offscreenSoundPlayer(api);
    await Promise.all([play(), play()]);
    expect(calls.filter((c) => c.startsWith('create'))).toHaveLength(2);
  });
});

describe('pageSoundPlayer (Firefox)', () => {
  it('plays the sound file through an audio element', async () => {
    const playFn = vi.fn(async () => {});
    const created: string[] = [];
    await pageSoundPlayer(`moz-extension://x${ALERT_SOUND_PATH}`, (url) => {
      created.push(url);
      return { play: playFn };
    })();
    expect(created).toEqual(['moz-extension://x/sounds/critical.wav']);
    expect(playFn).toHaveBeenCalledTimes(1);
  });
});
