import { expect, expectedDistances, seedSettings, test, USER } from './fixtures.js';

// The optional critical-alert sound (issue 18). Chrome's MV3 service worker cannot play audio:
// the background creates an offscreen document (reason AUDIO_PLAYBACK) that plays
// `sounds/critical.wav` on load and marks its URL `#played` once `audio.play()` resolved.
// The user switches it on in the options page together with thresholds that make BTC (on the
// replay) critical, so the first critical alert comes after the setting is saved.
for (const sound of [true, false])
  test(`a critical alert with the sound ${sound ? 'on plays it in an offscreen document' : 'off (the default) creates no offscreen document'}`, async ({
    context,
    sw,
    hl,
    extensionId,
  }) => {
    const btc = (await expectedDistances(hl)).get('BTC')?.pct ?? 0;
    expect(btc).toBeGreaterThan(1);
    await seedSettings(sw, {});
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    const box = options.getByLabel('Play a short sound with critical notifications');
    await expect(box).not.toBeChecked(); // off by default
    if (sound) await box.check();
    await options.getByLabel('Warn below').fill((btc + 10).toFixed(1));
    await options.getByLabel('Critical below').fill((btc + 5).toFixed(1));
    await options.getByRole('button', { name: 'Save' }).click();
    await expect(options.locator('#status')).toHaveText(/^Saved\./);
    await expect
      .poll(async () => Object.keys(await sw.evaluate(() => chrome.notifications.getAll())), {
        timeout: 15_000,
      })
      .toContain(`perpscope|liq|hyperliquid|${USER}|BTC|critical`);
    const offscreen = () =>
      sw.evaluate(async () =>
        (await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).map(
          (c) => c.documentUrl ?? '',
        ),
      );
    if (sound) {
      await expect
        .poll(offscreen, { timeout: 10_000 })
        .toEqual([`chrome-extension://${extensionId}/offscreen.html#played`]);
    } else {
      // The sound would be requested right after the notifications, in the same batch; give a
      // slow machine a moment before concluding that no document was created.
      await options.waitForTimeout(1_500);
      expect(await offscreen()).toEqual([]);
    }
  });
