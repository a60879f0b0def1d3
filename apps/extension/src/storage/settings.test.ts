import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import {
  addWatchedAddress,
  DEFAULT_SETTINGS,
  migrateSettingsV1toV2,
  parseSettings,
  type Settings,
  settingsItem,
  settingsSchema,
} from './settings.js';

const ADDR = '0x5E9EE1089755C3435139848E47E6635505D5A13A';

describe('settings storage', () => {
  beforeEach(() => fakeBrowser.reset());

  it('migrates a stored v1 value to v2 when the item is defined', async () => {
    await fakeBrowser.storage.local.set({
      settings: { address: ADDR, watcherUrl: 'http://127.0.0.1:8787', warnPct: 20, criticalPct: 5 },
      settings$: { v: 1 },
    });
    // A fresh definition (as after an extension update) runs the migration.
    const item = storage.defineItem<Settings>('local:settings', {
      fallback: DEFAULT_SETTINGS,
      version: 2,
      migrations: { 2: migrateSettingsV1toV2 },
    });
    const value = await item.getValue();
    expect(value.addresses).toEqual([ADDR.toLowerCase()]);
    expect(value.watcherUrl).toBe('http://127.0.0.1:8787');
    expect(value.thresholds).toEqual({ warnPct: 20, criticalPct: 5, haltMultiplier: 2 });
    expect(await fakeBrowser.storage.local.get('settings$')).toEqual({ settings$: { v: 2 } });
  });

  it('v1 → v2 drops invalid values instead of failing', () => {
    const v2 = migrateSettingsV1toV2({
      address: 'not-an-address',
      watcherUrl: 'ftp://x',
      warnPct: 3,
      criticalPct: 9,
    });
    expect(v2.addresses).toEqual([]);
    expect(v2.watcherUrl).toBeNull();
    // critical ≥ warn is invalid: defaults.
    expect(v2.thresholds).toEqual(DEFAULT_SETTINGS.thresholds);
    expect(migrateSettingsV1toV2(null)).toEqual(DEFAULT_SETTINGS);
  });

  it('parseSettings keeps valid sections and defaults the broken ones', () => {
    const s = parseSettings({
      ...DEFAULT_SETTINGS,
      addresses: [ADDR],
      thresholds: { warnPct: 'x' },
    });
    expect(s.addresses).toEqual([ADDR.toLowerCase()]);
    expect(s.thresholds).toEqual(DEFAULT_SETTINGS.thresholds);
    expect(parseSettings('garbage')).toEqual(DEFAULT_SETTINGS);
  });

  it('gives settings stored before the timing section its defaults (stale after 3 polls, hold 30 min), keeping the rest', () => {
    const { timing: _, ...before } = {
      ...DEFAULT_SETTINGS,
      thresholds: { warnPct: 20, criticalPct: 5, haltMultiplier: 3 },
    };
    const s = parseSettings(before);
    expect(s.timing).toEqual({ staleAfterPolls: 3, haltHoldMinutes: 30 });
    expect(s.thresholds).toEqual({ warnPct: 20, criticalPct: 5, haltMultiplier: 3 });
    expect(
      parseSettings({ ...DEFAULT_SETTINGS, timing: { staleAfterPolls: 0, haltHoldMinutes: 30 } })
        .timing,
    ).toEqual(DEFAULT_SETTINGS.timing);
  });

  it('treats a watcher URL that does not parse as invalid instead of throwing', () => {
    // zod keeps running refinements after a failed `.url()` check, so the protocol check sees it.
    expect(settingsSchema.shape.watcherUrl.safeParse('not a url').success).toBe(false);
    expect(parseSettings({ ...DEFAULT_SETTINGS, watcherUrl: 'not a url' }).watcherUrl).toBeNull();
    expect(migrateSettingsV1toV2({ address: ADDR, watcherUrl: 'nope' }).watcherUrl).toBeNull();
  });
});

describe('addWatchedAddress', () => {
  beforeEach(() => fakeBrowser.reset());
  const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;

  it('appends a new address lower-cased, keeping the others and their labels', async () => {
    await settingsItem.setValue({
      ...DEFAULT_SETTINGS,
      addresses: [addr(1)],
      labels: { [addr(1)]: 'Main' },
    });
    expect(await addWatchedAddress(ADDR)).toBe('added');
    const s = await settingsItem.getValue();
    expect(s.addresses).toEqual([addr(1), ADDR.toLowerCase()]);
    expect(s.labels).toEqual({ [addr(1)]: 'Main' });
    expect(await addWatchedAddress(ADDR.toLowerCase())).toBe('already');
    expect((await settingsItem.getValue()).addresses).toHaveLength(2);
  });

  it('refuses an eleventh address and anything that is not an address', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => addr(i + 1));
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, addresses: ten });
    expect(await addWatchedAddress(ADDR)).toBe('full');
    expect((await settingsItem.getValue()).addresses).toEqual(ten);
    await expect(addWatchedAddress('0x1234')).rejects.toThrow(/0x followed by 40 hex digits/);
  });
});
