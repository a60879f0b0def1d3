import type { Logger } from '../../logger.js';

/**
 * Counts rejected upstream payloads per kind (`ws.ctxRow`, `rest.metaAndAssetCtxs`...) and logs
 * each kind once (SPEC §7: "rejected by schema, counted, logged once per kind, never stored").
 */
export type PayloadCounters = {
  reject(kind: string, issue: string): void;
  /** Rejections so far, per kind. */
  snapshot(): Record<string, number>;
  total(): number;
};

/** Creates the counters; `logger` may be omitted in tests. */
export function createPayloadCounters(logger?: Logger): PayloadCounters {
  const counts = new Map<string, number>();
  return {
    reject(kind, issue) {
      const n = (counts.get(kind) ?? 0) + 1;
      counts.set(kind, n);
      if (n === 1) logger?.warn({ kind, issue }, 'rejected malformed Hyperliquid payload');
    },
    snapshot: () => Object.fromEntries(counts),
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
  };
}
