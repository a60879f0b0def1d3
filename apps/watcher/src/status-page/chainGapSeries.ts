import type { WatcherStore } from '../db/store/watcherStore.js';

/** Chart series of one chain over a window, as uPlot-ready parallel arrays. */
export type ChainGapSeries = {
  chainId: number;
  /** Bucket end times, Unix seconds. */
  times: number[];
  /** Largest wall-clock gap (s) between consecutive new heads that arrived in the bucket. */
  maxGapSeconds: Array<number | null>;
  /** Seconds since the latest head at the bucket's end (the head age a user would have seen). */
  headAgeSeconds: Array<number | null>;
};

/** Parameters of {@link chainGapSeries}. */
export type ChainGapSeriesParameters = {
  /** Ms since the epoch; end of the window. */
  now: number;
  windowMs: number;
  buckets: number;
  chainIds: readonly number[];
};

/**
 * Block gaps and head age per chain from the `blocks` table (watcher-clock `seen_at`), bucketed so
 * a chart has at most `buckets` points whatever the block time. Reads the index
 * `blocks_chain_seen` (one range scan per chain).
 */
export async function chainGapSeries(
  store: WatcherStore,
  p: ChainGapSeriesParameters,
): Promise<ChainGapSeries[]> {
  const { blocks } = store.queries;
  const from = p.now - p.windowMs;
  const bucketMs = p.windowMs / p.buckets;
  const ends = Array.from({ length: p.buckets }, (_, i) => from + (i + 1) * bucketMs);
  const series: ChainGapSeries[] = [];
  for (const chainId of p.chainIds) {
    // The newest head before the window gives the first bucket its head age and gap.
    const seen = await blocks.canonicalHeadTimes({ chainId, fromMs: from, toMs: p.now });
    const maxGapSeconds: Array<number | null> = new Array(p.buckets).fill(null);
    const headAgeSeconds: Array<number | null> = new Array(p.buckets).fill(null);
    let last = await blocks.lastCanonicalSeenBefore({ chainId, beforeMs: from });
    let i = 0;
    for (let b = 0; b < p.buckets; b++) {
      const end = ends[b]!;
      while (i < seen.length && seen[i]! <= end) {
        const t = seen[i]!;
        if (last !== null) {
          const gap = (t - last) / 1000;
          maxGapSeconds[b] = Math.max(maxGapSeconds[b] ?? 0, gap);
        }
        last = t;
        i++;
      }
      if (last !== null) headAgeSeconds[b] = Math.max(0, (Math.min(end, p.now) - last) / 1000);
    }
    series.push({
      chainId,
      times: ends.map((e) => Math.round(e / 1000)),
      maxGapSeconds,
      headAgeSeconds,
    });
  }
  return series;
}
