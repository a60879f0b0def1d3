import { storage } from 'wxt/utils/storage';
import type { DedupeState } from '../background/dedupeAlerts.js';
import { EMPTY_SNAPSHOT, type Snapshot } from '../model.js';
import type { PriceSample } from '../risk/computePositionRisk.js';

/** Last snapshot, read by the popup (and by pages before the background answers). */
export const snapshotItem = storage.defineItem<Snapshot>('local:snapshot', {
  fallback: EMPTY_SNAPSHOT,
  version: 1,
});
/** When each alert key last notified (survives service-worker restarts). */
export const alertStateItem = storage.defineItem<DedupeState>('local:alertState', {
  fallback: {},
  version: 1,
});
/** Mark samples for realized volatility, per coin (session: cleared when the browser closes). */
export const samplesItem = storage.defineItem<Record<string, PriceSample[]>>('session:samples', {
  fallback: {},
  version: 1,
});
