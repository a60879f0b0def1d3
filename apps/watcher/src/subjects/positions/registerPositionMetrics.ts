import { Gauge, type Registry } from 'prom-client';
import type { WatcherStore } from '../../db/store/watcherStore.js';
import { positionLevels } from './evaluatePosition.js';
import type { StoredPositionState } from './recordPositionChanges.js';

/**
 * The position guard's Prometheus gauges, read from the database at scrape time. Accounts are
 * labelled by the address hash (`account`), never the address (SPEC §3.4): distance to liquidation
 * as a ratio of mark, the level as a state set, and whether the figures are stale.
 */
export function registerPositionMetrics(registry: Registry, store: WatcherStore): void {
  const rows = async () => {
    try {
      return await store.queries.positions.listGuardedPositions();
    } catch {
      return []; // older schema (tests of other subjects with a hand-made database)
    }
  };
  new Gauge({
    name: 'perpscope_position_liquidation_distance_ratio',
    help: 'Guarded position: |mark − liquidation price| / mark at the last read (absent without a liquidation price).',
    labelNames: ['account', 'coin'],
    registers: [registry],
    async collect() {
      const found = await rows();
      this.reset();
      for (const r of found) {
        const s = JSON.parse(r.stateJson) as StoredPositionState;
        if (s.distancePct !== null)
          this.set({ account: r.addressHash, coin: r.coin }, Number(s.distancePct) / 100);
      }
    },
  });
  new Gauge({
    name: 'perpscope_position_level',
    help: 'Guarded position level as a state set (ok, warn, critical, unknown): 1 for the current level.',
    labelNames: ['account', 'coin', 'level'],
    registers: [registry],
    async collect() {
      const found = await rows();
      this.reset();
      for (const r of found)
        for (const level of positionLevels)
          this.set({ account: r.addressHash, coin: r.coin, level }, r.level === level ? 1 : 0);
    },
  });
  new Gauge({
    name: 'perpscope_position_stale',
    help: '1 while the guarded position has no current data (the last read failed or is too old).',
    labelNames: ['account', 'coin'],
    registers: [registry],
    async collect() {
      const found = await rows();
      this.reset();
      for (const r of found)
        this.set({ account: r.addressHash, coin: r.coin }, r.level === 'unknown' ? 1 : 0);
    },
  });
}
