import { createWeightAccountant } from '@perpscope/hyperliquid';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { EMPTY_SNAPSHOT, type Snapshot } from '../model.js';
import { DEFAULT_SETTINGS } from '../storage/settings.js';
import {
  anyPositionNear,
  createBackground,
  FAST_POLL_MS,
  POLL_ALARM,
  POLL_PERIOD_MINUTES,
} from './createBackground.js';
import { DataService } from './DataService.js';

const NOW = 1_700_000_000_000;

/** A stored snapshot as the background writes it: fresh, one position. */
const STORED: Snapshot = {
  ...EMPTY_SNAPSHOT,
  updatedAt: NOW - 1_000,
  positions: [
    {
      key: 'hyperliquid|0xa|BTC',
      venue: 'hyperliquid',
      account: '0xa',
      dex: '',
      coin: 'BTC',
      side: 'long',
      size: '0.5',
      markPx: '60000',
      liqPx: '55000',
      venueLiqPx: '55000',
      liqCheck: 'agree',
      marginMode: 'cross',
      distancePct: 8.33,
      distanceSigma: 2.1,
      level: 'warn',
      healthBufferUsd: null,
      headline: 'ours',
      accountMode: 'default',
      haltMultiplied: false,
      dataAt: 1,
      staleReason: null,
    },
  ],
};

function setup(playSound?: () => Promise<void>) {
  // No network in these tests: every API request fails, the refresh still builds a snapshot.
  const service = new DataService({
    fetch: async () => {
      throw new Error('offline');
    },
    now: () => NOW,
    apiBase: 'https://api.hyperliquid.xyz',
    budget: createWeightAccountant({ budget: 600, now: () => NOW }),
  });
  const refresh = vi.spyOn(service, 'refresh');
  // Fast polls (positions near a threshold) are not under test here: never fire them.
  const bg = createBackground({
    browser: fakeBrowser,
    service,
    now: () => NOW,
    setTimer: () => 0,
    ...(playSound ? { playSound } : {}),
  });
  return { bg, refresh };
}

describe('background restore from storage', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  it('serves a valid stored snapshot without refetching', async () => {
    await fakeBrowser.storage.local.set({ snapshot: STORED });
    const { bg, refresh } = setup();
    expect(
      await bg.handlers.getSnapshot({ maxAgeMs: 60_000, focusCoin: null }, { tabId: 1 }),
    ).toEqual(STORED);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('retries a failed storage read on the next call instead of failing for the worker lifetime', async () => {
    await fakeBrowser.storage.local.set({ snapshot: STORED });
    // The first read of the snapshot fails (e.g. the profile's storage is busy), later ones work.
    const get = fakeBrowser.storage.local.get.bind(fakeBrowser.storage.local) as (
      keys: unknown,
    ) => Promise<Record<string, unknown>>;
    let failures = 1;
    vi.spyOn(fakeBrowser.storage.local, 'get').mockImplementation(((keys: unknown) =>
      keys === 'snapshot' && failures-- > 0
        ? Promise.reject(new Error('storage unavailable'))
        : get(keys)) as typeof fakeBrowser.storage.local.get);
    const { bg, refresh } = setup();
    await expect(
      bg.handlers.getSnapshot({ maxAgeMs: 60_000, focusCoin: null }, { tabId: 1 }),
    ).rejects.toThrow(/storage unavailable/);
    // The read works again: the stored snapshot is restored and served.
    expect(
      await bg.handlers.getSnapshot({ maxAgeMs: 60_000, focusCoin: null }, { tabId: 1 }),
    ).toEqual(STORED);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('drops an invalid stored snapshot and refetches instead of serving it', async () => {
    // Fresh by its timestamp, but a position's numbers are strings (another version, a manual edit).
    const position = { ...STORED.positions[0], distancePct: '8.33', level: 'fine' };
    await fakeBrowser.storage.local.set({ snapshot: { ...STORED, positions: [position] } });
    const { bg, refresh } = setup();
    const snap = await bg.handlers.getSnapshot({ maxAgeMs: 60_000, focusCoin: null }, { tabId: 1 });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(snap.positions).toEqual([]); // no addresses configured: nothing to show
    expect(snap.updatedAt).toBe(NOW);
    // Storage now holds the refetched snapshot.
    expect((await fakeBrowser.storage.local.get('snapshot')).snapshot).toEqual(snap);
  });

  it('ignores invalid stored samples and alert state instead of throwing from every refresh', async () => {
    await fakeBrowser.storage.session.set({ samples: { BTC: 'not a list' } });
    await fakeBrowser.storage.local.set({ alertState: ['not', 'a', 'record'] });
    const { bg } = setup();
    const snap = await bg.refresh(null);
    expect(snap.updatedAt).toBe(NOW);
    expect((await fakeBrowser.storage.session.get('samples')).samples).toEqual({});
  });
});

describe('fast polling near a threshold', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  const at = (distancePct: number, haltMultiplied = false): Snapshot => ({
    ...STORED,
    updatedAt: NOW,
    thresholds: { warnPct: 15, criticalPct: 7, haltMultiplier: 3 },
    positions: STORED.positions.map((p) => ({ ...p, distancePct, haltMultiplied })),
  });

  it('counts a position as near within 2× its (halt-multiplied) warn distance', () => {
    expect(anyPositionNear(at(29.9))).toBe(true);
    expect(anyPositionNear(at(30))).toBe(false);
    expect(anyPositionNear(at(89, true))).toBe(true); // 2 × 15 × 3
    expect(anyPositionNear(at(91, true))).toBe(false);
  });

  it('polls every 10 s while a position is near, with no tab asking, and stops when it is not', async () => {
    const timers: { cb: () => void; ms: number }[] = [];
    const service = new DataService({
      fetch: async () => {
        throw new Error('offline');
      },
      now: () => NOW,
      apiBase: 'https://api.hyperliquid.xyz',
      budget: createWeightAccountant({ budget: 600, now: () => NOW }),
    });
    const refresh = vi.spyOn(service, 'refresh');
    refresh.mockResolvedValueOnce(at(20)).mockResolvedValueOnce(at(25)).mockResolvedValue(at(40));
    const bg = createBackground({
      browser: fakeBrowser,
      service,
      now: () => NOW,
      setTimer: (cb, ms) => timers.push({ cb, ms }),
    });
    await bg.refresh(null);
    expect(timers.map((t) => t.ms)).toEqual([FAST_POLL_MS]);
    // The timer fires: a refresh with no tab asking, which (still near) schedules the next one.
    timers.shift()?.cb();
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledTimes(2));
    await vi.waitFor(() => expect(timers).toHaveLength(1));
    timers.shift()?.cb();
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledTimes(3));
    // 40 % is not near a 15 % warn: no further fast poll.
    await new Promise((r) => setTimeout(r, 20));
    expect(timers).toHaveLength(0);
  });
});

describe('first run', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  it('opens the options page on install, not on an update', async () => {
    const open = vi.spyOn(fakeBrowser.runtime, 'openOptionsPage').mockResolvedValue(undefined);
    setup().bg.start();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.0.9' });
    expect(open).not.toHaveBeenCalled();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' });
    expect(open).toHaveBeenCalledTimes(1);
  });
});

describe('background notifications', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  it('notifies a threshold crossing once when several callers share one refresh', async () => {
    // Two exchange tabs and the popup poll at the same moment; the data service hands all three
    // the result of one run (the same snapshot object), in which BTC crossed into `warn`.
    const { bg, refresh } = setup();
    const crossed: Snapshot = { ...STORED, updatedAt: NOW };
    refresh.mockResolvedValue(crossed);
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    await Promise.all([bg.refresh(null), bg.refresh(null), bg.refresh('BTC')]);
    expect(create).toHaveBeenCalledTimes(1);
    expect(create.mock.calls[0]?.[0]).toBe('perpscope|liq|hyperliquid|0xa|BTC|warn');
  });

  it('keeps a critical notification until dismissed, and still shows it where that is refused', async () => {
    const { bg, refresh } = setup();
    const critical: Snapshot = {
      ...STORED,
      updatedAt: NOW,
      positions: STORED.positions.map((p) => ({ ...p, level: 'critical' as const })),
    };
    refresh.mockResolvedValue(critical);
    // Firefox rejects `requireInteraction`: the first call fails like it does there.
    const create = vi
      .spyOn(fakeBrowser.notifications, 'create')
      .mockRejectedValueOnce(new Error('requireInteraction is unsupported'))
      .mockResolvedValue(undefined);
    await bg.refresh(null);
    expect(create).toHaveBeenCalledTimes(2);
    expect(create.mock.calls[0]?.[1]).toMatchObject({ requireInteraction: true });
    expect(create.mock.calls[1]?.[1]).not.toHaveProperty('requireInteraction');
  });

  it('compares each snapshot with the one before it when runs follow each other', async () => {
    // A run started for one tab ends with BTC ok, the next (another tab's focus coin) with BTC
    // warn: the crossing is ok → warn, so it notifies, and only once.
    const { bg, refresh } = setup();
    const ok: Snapshot = {
      ...STORED,
      updatedAt: NOW,
      positions: STORED.positions.map((p) => ({ ...p, level: 'ok' as const, distancePct: 20 })),
    };
    const warn: Snapshot = { ...STORED, updatedAt: NOW };
    refresh.mockResolvedValueOnce(ok).mockResolvedValueOnce(warn);
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    const [a, b] = await Promise.all([bg.refresh('ETH'), bg.refresh('BTC')]);
    expect([a, b]).toEqual([ok, warn]);
    expect(create).toHaveBeenCalledTimes(1);
    // The stored snapshot is the last one built.
    expect((await fakeBrowser.storage.local.get('snapshot')).snapshot).toEqual(warn);
  });
});

describe('critical alert sound', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  const withLevel = (level: 'warn' | 'critical'): Snapshot => ({
    ...STORED,
    updatedAt: NOW,
    positions: STORED.positions.map((p) => ({ ...p, level })),
  });
  const seed = (sound: boolean | undefined) =>
    fakeBrowser.storage.local.set({
      settings: {
        ...DEFAULT_SETTINGS,
        notifications: {
          enabled: true,
          cooldownMinutes: 30,
          ...(sound === undefined ? {} : { sound }),
        },
      },
      settings$: { v: 2 },
    });

  it.each([
    ['critical, sound on → plays', 'critical', true, 1],
    ['warning, sound on → silent', 'warn', true, 0],
    ['critical, sound off → silent', 'critical', false, 0],
    ['critical, settings saved before the option (off) → silent', 'critical', undefined, 0],
  ] as const)('%s', async (_, level, sound, plays) => {
    await seed(sound);
    const play = vi.fn(async () => {});
    const { bg, refresh } = setup(play);
    refresh.mockResolvedValue(withLevel(level));
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    await bg.refresh(null);
    expect(create).toHaveBeenCalledTimes(1); // the notification itself either way
    expect(play).toHaveBeenCalledTimes(plays);
  });

  it('a failing sound does not lose the notification or fail the refresh', async () => {
    await seed(true);
    const play = vi.fn(async () => {
      throw new Error('offscreen document refused');
    });
    const { bg, refresh } = setup(play);
    refresh.mockResolvedValue(withLevel('critical'));
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    await expect(bg.refresh(null)).resolves.toBeDefined();
    expect(create).toHaveBeenCalledTimes(1);
    expect(play).toHaveBeenCalledTimes(1);
  });
});

describe('background polling alarm', () => {
  beforeEach(() => fakeBrowser.reset());

  it('creates the poll alarm on first start and keeps its schedule when the worker restarts', async () => {
    const tick = () => new Promise((r) => setTimeout(r, 0));
    setup().bg.start();
    await tick();
    const first = await fakeBrowser.alarms.get(POLL_ALARM);
    expect(first?.periodInMinutes).toBe(POLL_PERIOD_MINUTES);
    // MV3 stops an idle worker; the alarm wakes it and start() runs again. Re-creating the alarm
    // would restart its delay each time (an extra poll a few seconds after every wake-up).
    await fakeBrowser.alarms.create(POLL_ALARM, {
      when: 42,
      periodInMinutes: POLL_PERIOD_MINUTES,
    });
    setup().bg.start();
    await tick();
    expect((await fakeBrowser.alarms.get(POLL_ALARM))?.scheduledTime).toBe(42);
    // An alarm left with another period (an older version) is replaced.
    await fakeBrowser.alarms.create(POLL_ALARM, { when: 42, periodInMinutes: 5 });
    setup().bg.start();
    await tick();
    expect((await fakeBrowser.alarms.get(POLL_ALARM))?.periodInMinutes).toBe(POLL_PERIOD_MINUTES);
  });
});
