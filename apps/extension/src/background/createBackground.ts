import type { browser as wxtBrowser } from 'wxt/browser';
import { listenForMessages, type MessageHandlers } from '../messages/handleMessages.js';
import { EMPTY_SNAPSHOT, type Snapshot } from '../model.js';
import {
  alertStateItem,
  haltMemoryItem,
  readAlertState,
  readHaltMemory,
  readSamples,
  readSnapshot,
  samplesItem,
  snapshotItem,
} from '../storage/items.js';
import { loadSettings, type Settings, settingsItem } from '../storage/settings.js';
import { alertsFor } from './alertsFor.js';
import type { DataService } from './DataService.js';
import { dedupeAlerts } from './dedupeAlerts.js';
import type { PlaySound } from './playAlertSound.js';

/** Name of the polling alarm. */
export const POLL_ALARM = 'perpscope-poll';
/** Alarm period (minutes). Chrome's minimum for packed extensions is 0.5. */
export const POLL_PERIOD_MINUTES = 1;

/**
 * Poll interval while a position is near its threshold (ms): within {@link NEAR_FACTOR}× its warn
 * distance, the background refreshes this often even with no exchange tab open (the alarm's
 * minimum is 30 s). One refresh costs ~2–4 weight per address of HL's budget (600/min here).
 */
export const FAST_POLL_MS = 10_000;
/** "Near": distance below this multiple of the (halt-multiplied) warn threshold. */
export const NEAR_FACTOR = 2;

/** Dependencies of the background. */
export interface BackgroundDeps {
  readonly browser: typeof wxtBrowser;
  readonly service: DataService;
  readonly now: () => number;
  /** Timer for the fast poll (default `setTimeout`); tests pass their own. */
  readonly setTimer?: (cb: () => void, ms: number) => unknown;
  /**
   * Plays the critical-alert sound (`playAlertSound.ts`: an offscreen document on Chrome, the
   * background page on Firefox); called once per batch with a critical alert when the setting is on.
   */
  readonly playSound?: PlaySound;
}

/** Whether any position is within {@link NEAR_FACTOR}× its warn distance (the fast-poll trigger). */
export function anyPositionNear(snap: Snapshot): boolean {
  return snap.positions.some((p) => {
    if (p.distancePct === null) return false;
    const warn = snap.thresholds.warnPct * (p.haltMultiplied ? snap.thresholds.haltMultiplier : 1);
    return p.distancePct < NEAR_FACTOR * warn;
  });
}

/**
 * Wires the background: message handlers, the polling alarm, settings changes, snapshot
 * persistence and notifications. Returns `refresh` for tests.
 */
export function createBackground(deps: BackgroundDeps) {
  const { browser, service, now } = deps;
  const setTimer = deps.setTimer ?? ((cb: () => void, ms: number) => setTimeout(cb, ms));
  let last: Snapshot | null = null;
  /** A fast poll is scheduled (at most one at a time). */
  let fastPending = false;

  /**
   * Schedules the next fast poll while a position is near its threshold. Each poll persists the
   * snapshot (an extension API call), which also keeps the MV3 worker from idling out meanwhile.
   */
  const scheduleFastPoll = (snap: Snapshot) => {
    if (fastPending || !anyPositionNear(snap)) return;
    fastPending = true;
    setTimer(() => {
      fastPending = false;
      void refresh(lastFocus).catch((e) => console.warn('perpscope: fast poll failed', e));
    }, FAST_POLL_MS);
  };
  let lastFocus: string | null = null;
  let restored: Promise<void> | null = null;

  // Once per service-worker start: the stored snapshot (validated: an invalid one is dropped, so
  // the next request refetches) and the volatility samples. A failed read is not cached: the next
  // call tries again instead of failing for the rest of the worker's life.
  const restore = () => {
    restored ??= (async () => {
      const [samples, snapshot, halts] = await Promise.all([
        readSamples(),
        readSnapshot(),
        readHaltMemory(),
      ]);
      service.importSamples(samples);
      service.importHaltMemory(halts);
      last = snapshot;
    })().catch((error: unknown) => {
      restored = null;
      throw new Error(
        `reading stored state failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return restored;
  };

  /** Tail of the queue that persists snapshots and raises their notifications, one at a time. */
  let settled: Promise<void> = Promise.resolve();

  async function refresh(focusCoin: string | null, settings?: Settings): Promise<Snapshot> {
    await restore();
    const s = settings ?? (await loadSettings());
    const next = await service.refresh(s, { focusCoin });
    // Tabs, the popup and the alarm refresh concurrently and may share one run (the same snapshot
    // object): each snapshot is persisted and compared with the one before it exactly once, in
    // order; done concurrently, every caller would read the alert state before any wrote it and
    // the same notification would pop once per caller.
    const done = settled.then(async () => {
      if (next === last) return;
      const prev = last ?? EMPTY_SNAPSHOT;
      last = next;
      lastFocus = focusCoin;
      await Promise.all([
        snapshotItem.setValue(next),
        samplesItem.setValue(service.exportSamples()),
        haltMemoryItem.setValue(service.exportHaltMemory()),
      ]);
      if (s.notifications.enabled) await notify(prev, next, s);
      scheduleFastPoll(next);
    });
    settled = done.catch(() => {});
    await done;
    return next;
  }

  async function notify(prev: Snapshot, next: Snapshot, s: Settings): Promise<void> {
    const { show, state } = dedupeAlerts({
      alerts: alertsFor(prev, next),
      state: await readAlertState(),
      nowMs: now(),
      cooldownMs: s.notifications.cooldownMinutes * 60_000,
    });
    await alertStateItem.setValue(state);
    for (const alert of show) {
      const options = {
        type: 'basic' as const,
        iconUrl: browser.runtime.getURL('/icon/128.png'),
        title: alert.title,
        message: alert.message,
      };
      try {
        // Critical alerts stay on screen until dismissed. Firefox rejects the property: then
        // the alert still shows, as an ordinary notification.
        await browser.notifications
          .create(
            `perpscope|${alert.key}`,
            alert.critical ? { ...options, requireInteraction: true } : options,
          )
          .catch((error: unknown) => {
            if (!alert.critical) throw error;
            return browser.notifications.create(`perpscope|${alert.key}`, options);
          });
      } catch (error) {
        console.warn('perpscope: notification failed', error);
      }
    }
    // One sound per batch, only for critical alerts and only when the user switched it on.
    if (s.notifications.sound && deps.playSound && show.some((a) => a.critical))
      await deps.playSound().catch((error: unknown) => {
        console.warn('perpscope: the alert sound failed', error);
      });
  }

  const handlers: MessageHandlers = {
    async getSnapshot({ maxAgeMs, focusCoin }) {
      await restore();
      if (
        last &&
        last.updatedAt > 0 &&
        now() - last.updatedAt <= maxAgeMs &&
        (focusCoin === null || focusCoin === lastFocus)
      ) {
        return last;
      }
      return refresh(focusCoin ?? lastFocus);
    },
    async reportAevoPage(page) {
      service.setAevoPage(page);
      return refresh(lastFocus);
    },
  };

  return {
    refresh,
    handlers,
    /** Registers listeners; call once from `defineBackground`. */
    start(): void {
      listenForMessages(browser.runtime.onMessage, handlers, browser.runtime.id);
      // First run: the options page with its setup checklist (address, watcher, test). Not on
      // updates or browser restarts.
      browser.runtime.onInstalled.addListener(({ reason }) => {
        if (reason === 'install')
          void browser.runtime
            .openOptionsPage()
            .catch((e) => console.warn('perpscope: opening the options failed', e));
      });
      // start() runs on every service-worker start, and MV3 stops an idle worker, so most starts
      // are the alarm waking it: keep an existing alarm (re-creating it would restart its delay
      // and add a poll a few seconds after every wake-up); replace one with another period.
      void browser.alarms
        .get(POLL_ALARM)
        .then((alarm) => {
          if (alarm?.periodInMinutes === POLL_PERIOD_MINUTES) return;
          return browser.alarms.create(POLL_ALARM, {
            periodInMinutes: POLL_PERIOD_MINUTES,
            delayInMinutes: 0.1,
          });
        })
        .catch((e) => console.warn('perpscope: scheduling the poll alarm failed', e));
      browser.alarms.onAlarm.addListener((alarm) => {
        if (alarm.name === POLL_ALARM)
          void refresh(lastFocus).catch((e) => console.warn('perpscope: poll failed', e));
      });
      settingsItem.watch(() => {
        void refresh(lastFocus).catch((e) => console.warn('perpscope: refresh failed', e));
      });
    },
  };
}
