import {
  type HyperliquidReplay,
  hyperliquidScenarios,
  startHyperliquidReplay,
} from '@perpscope/devnet';
import type { StoredEvent } from '../../db/queries/events.js';

/** The HIP-3 part of `perpscope-watcher demo`. */
export type Hip3Demo = {
  replay: HyperliquidReplay;
  /** The `hip3` config section pointing the watcher at the replay server. */
  config: Record<string, unknown>;
  /** A progress line for a HIP-3 event, `''` for one not worth printing, null for other subjects. */
  describe(ev: StoredEvent): string | null;
  stop(): Promise<void>;
};

/**
 * Starts the Hyperliquid replay server on two HIP-3 dexes (xyz, flx; plus the main dex) playing the `demo` timeline in a
 * loop — oracle stall (fallback, dead), a 1 % clamp violation, a depeg through L1→L2→L3, an OI cap
 * hit, a depth collapse, a halt, spoofing and a silent WebSocket drop — and returns the config that
 * watches it (books polled for the coins whose depth the timeline attacks).
 */
export async function startHip3Demo(): Promise<Hip3Demo> {
  const scenario = hyperliquidScenarios.demo();
  // The main dex ('') streams too, so the extension gets BTC/ETH funding and oracle age as well.
  const replay = await startHyperliquidReplay({ dexes: ['', 'xyz', 'flx'], scenario, loop: true });
  return {
    replay,
    config: {
      enabled: true,
      apiUrl: replay.url,
      wsUrl: replay.wsUrl,
      explorerUrl: replay.url,
      includeMainDex: true,
      bookCoins: ['xyz:XYZ100', 'xyz:GOLD', 'xyz:TSLA'],
      bookIntervalSeconds: 2,
      explorer: { enabled: true, intervalSeconds: 15 },
    },
    describe(ev) {
      if (ev.kind === 'market.status') {
        const p = ev.payload;
        // The first evaluation of every market is not news.
        if (p.from === 'unknown' && (p.to === 'ok' || p.to === 'halted')) return '';
        const reasons = p.reasons
          .filter((r) => r.severity !== 'ok')
          .map((r) => r.message)
          .join('; ');
        return `  [market] ${ev.subject.id}: ${p.from} → ${p.to}${reasons ? ` — ${reasons}` : ''}`;
      }
      if (ev.kind === 'hip3.stream') {
        return `  [hip3]   ctx stream ${ev.payload.up ? 'up' : 'silent — reconnecting, REST fallback meanwhile'}`;
      }
      return null;
    },
    stop: () => replay.stop(),
  };
}
