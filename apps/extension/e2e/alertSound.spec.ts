import { expect, expectedDistances, seedSettings, test, USER } from './fixtures.js';

// The optional critical-alert sound (issue 18). Chrome's MV3 service worker cannot play audio:
// the background creates an offscreen document (reason AUDIO_PLAYBACK) that plays
// `sounds/critical.wav` on load and marks its URL `#played` once `audio.play()` resolved.
// Thresholds are set around BTC's real distance on the replay so that BTC is critical at once.
for (const sound of [true, false])
  test(`a critical alert with the sound ${sound ? 'on plays it in an offscreen document' : 'off creates no offscreen document'}`, async ({
    context,
    sw,
    hl,
    extensionId,
  }) => {
    const btc = (await expectedDistances(hl)).get('BTC')?.pct ?? 0;
    expect(btc).toBeGreaterThan(1);
    await seedSettings(sw, {
      thresholds: { warnPct: btc + 10, criticalPct: btc + 5, haltMultiplier: 2 },
      notifications: { enabled: true, cooldownMinutes: 30, sound },
    });
    const popup = await context.newPage(); // asks the background for a snapshot: a refresh
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect
      .poll(async () => Object.keys(await sw.evaluate(() => chrome.notifications.getAll())), {
        timeout: 15_000,
      })
      .toContain(`perpscope|liq|hyperliquid|${USER}|BTC|critical`);
    const offscreen = () =>
      sw.evaluate(async () =>
        (
          await chrome.runtime.getContexts({
            contextTypes: ['OFFSCREEN_DOCUMENT'],
          })
        ).map((c) => c.documentUrl ?? ''),
      );
    if (sound) {
      await expect
        .poll(offscreen, { timeout: 10_000 })
        .toEqual([`chrome-extension://${extensionId}/offscreen.html#played`]);
    } else {
      // The notifications are out (the sound would come right after them in the same batch);
      // give a slow machine a moment before concluding that none was created.
      await popup.waitForTimeout(1_500);
      expect(await offscreen()).toEqual([]);
    }
  });
