import type { MarkSource } from '../../runtime/markBoard.js';
import type { Hip3Markets } from './hip3Markets.js';

/**
 * The HIP-3 watch's marks as a read-only {@link MarkSource}: the latest `markPx` of a watched market
 * from the `allDexsAssetCtxs` stream (or the `metaAndAssetCtxs` REST fallback while the stream is
 * down), with its receive time. `null` for a market the watch does not follow (the main dex `''`
 * only with `hip3.includeMainDex`), one without a sample yet, or one inside a stream gap. Age is the
 * reader's call (`receivedMs`).
 */
export function hip3MarkSource(markets: Pick<Hip3Markets, 'states'>): MarkSource {
  return {
    markOf(coin) {
      const s = markets.states.get(coin);
      if (!s?.ctx || s.lastSampleMs === null || s.gap !== null) return null;
      return { markPx: s.ctx.markPx, receivedMs: s.lastSampleMs, via: s.lastSampleVia ?? 'ws' };
    },
  };
}
