import type { WriteFailure } from '../db/storageHealth.js';
import type { WatcherStore } from '../db/store/watcherStore.js';
import { chainWithWriteFailure, chainWriter } from '../subjects/sequencer/chainWithWriteFailure.js';
import { presentChainSummary } from '../subjects/sequencer/presentChain.js';
import type { MetricsSnapshot } from './createMetrics.js';

/** Raw tables whose growth is exported as `perpscope_ingest_rows_total`. */
const ingestTables = ['blocks', 'events', 'hip3_samples', 'hip3_oracle_updates'] as const;

async function tryRows<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch {
    return []; // table not created (subject disabled, older schema): nothing to export
  }
}

/**
 * Reads the metrics snapshot from the database at scrape time: chains (status, head age, RPC health)
 * as the API presents them, HIP-3 markets (status, oracle staleness, mark–oracle deviation), the
 * alert outbox backlog, rows per raw table and the database size. A few indexed reads per scrape.
 */
export async function dbMetricsSnapshot(p: {
  store: WatcherStore;
  now: () => number;
  /** A chain whose poll writes fail is exported `unknown` (storage health). */
  writeFailure?: (writer: string) => WriteFailure | null;
  /**
   * Whose RPC health rows to export: this watcher's (`cluster.observer`; each observer of a
   * cluster keeps its own). Default `'local'` (a single watcher).
   */
  observer?: string;
}): Promise<MetricsSnapshot> {
  const q = p.store.queries;
  const now = p.now();
  const chainRows = await q.chains.listChains();
  const rpcRows = await Promise.all(
    chainRows.map(({ config }) => q.chains.rpcHealthOf(config.chainId, p.observer)),
  );
  const chains = chainRows.map(({ config, state }, i) => {
    const s = chainWithWriteFailure(
      presentChainSummary(config, state, now),
      p.writeFailure?.(chainWriter(config.chainId)) ?? null,
    );
    return {
      chain: config.key,
      status: s.status,
      headAgeSeconds: s.headAgeSeconds,
      secondsSinceNewHead: s.secondsSinceNewHead,
      rpcs: (rpcRows[i] ?? []).map((r) => {
        const quorum = state?.rpcs?.[r.position];
        return {
          url: r.url,
          position: r.position,
          health: r.health,
          latencyMs: r.latencyMs,
          reasonCode: quorum?.reasonCode ?? null,
          headNumber: r.headNumber,
          secondsSinceNewHead:
            quorum?.changedAt == null ? null : Math.max(0, (now - quorum.changedAt) / 1000),
        };
      }),
    };
  });
  const markets = (await tryRows(() => q.hip3.hip3MarketMetricRows())).map((m) => {
    let staleness: number | null = null;
    let deviation: number | null = null;
    try {
      const metrics = JSON.parse(m.metrics_json) as {
        oracle?: { lastChangeAgeSeconds?: number | null };
        markDeviation?: { value?: number | null };
      };
      const age = metrics.oracle?.lastChangeAgeSeconds;
      // The row is rewritten when the oracle moves, so the age keeps growing from `updated_at`.
      if (typeof age === 'number') staleness = age + Math.max(0, now - m.updated_at) / 1000;
      const dev = metrics.markDeviation?.value;
      if (typeof dev === 'number') deviation = Math.abs(dev);
    } catch {
      // unreadable metrics: export the status only
    }
    return {
      dex: m.dex,
      coin: m.coin,
      status: m.status,
      oracleStalenessSeconds: staleness,
      markOracleDeviation: deviation,
    };
  });
  const pending = (await tryRows(async () => [await q.alerts.pendingAlertCount()]))[0];
  const tableRows: Record<string, number> = {};
  for (const table of ingestTables) {
    const n = (await tryRows(async () => [await q.storage.insertedRowCount(table)]))[0];
    if (n !== undefined) tableRows[table] = n;
  }
  return {
    chains,
    markets,
    queues: { 'alert-outbox': pending ?? 0 },
    tableRows,
    dbSizeBytes: await q.storage.databaseSizeBytes(),
  };
}
