import type { Db } from '../db/openDb.js';
import { pendingAlertCount } from '../db/queries/alerts.js';
import { listChains, rpcHealthOf } from '../db/queries/chains.js';
import { hip3MarketMetricRows } from '../db/queries/hip3.js';
import { databaseSizeBytes, maxRowid } from '../db/queries/storage.js';
import type { WriteFailure } from '../db/storageHealth.js';
import { chainWithWriteFailure, chainWriter } from '../subjects/sequencer/chainWithWriteFailure.js';
import { presentChainSummary } from '../subjects/sequencer/presentChain.js';
import type { MetricsSnapshot } from './createMetrics.js';

/** Raw tables whose growth is exported as `perpscope_ingest_rows_total`. */
const ingestTables = ['blocks', 'events', 'hip3_samples', 'hip3_oracle_updates'] as const;

function tryRows<T>(read: () => T[]): T[] {
  try {
    return read();
  } catch {
    return []; // table not created (subject disabled, older schema): nothing to export
  }
}

/**
 * Reads the metrics snapshot from the database at scrape time: chains (status, head age, RPC health)
 * as the API presents them, HIP-3 markets (status, oracle staleness, mark–oracle deviation), the
 * alert outbox backlog, rows per raw table and the database size. A few indexed reads per scrape.
 */
export function dbMetricsSnapshot(p: {
  db: Db;
  now: () => number;
  /** A chain whose poll writes fail is exported `unknown` (storage health). */
  writeFailure?: (writer: string) => WriteFailure | null;
}): MetricsSnapshot {
  const { db } = p;
  const now = p.now();
  const chains = listChains(db).map(({ config, state }) => {
    const s = chainWithWriteFailure(
      presentChainSummary(config, state, now),
      p.writeFailure?.(chainWriter(config.chainId)) ?? null,
    );
    return {
      chain: config.key,
      status: s.status,
      headAgeSeconds: s.headAgeSeconds,
      secondsSinceNewHead: s.secondsSinceNewHead,
      rpcs: rpcHealthOf(db, config.chainId).map((r) => {
        const q = state?.rpcs?.[r.position];
        return {
          url: r.url,
          position: r.position,
          health: r.health,
          latencyMs: r.latencyMs,
          reasonCode: q?.reasonCode ?? null,
          headNumber: r.headNumber,
          secondsSinceNewHead:
            q?.changedAt == null ? null : Math.max(0, (now - q.changedAt) / 1000),
        };
      }),
    };
  });
  const markets = tryRows(() => hip3MarketMetricRows(db)).map((m) => {
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
  const pending = tryRows(() => [pendingAlertCount(db)])[0];
  const tableRows: Record<string, number> = {};
  for (const table of ingestTables) {
    const n = tryRows(() => [maxRowid(db, table)])[0];
    if (n !== undefined) tableRows[table] = n;
  }
  return {
    chains,
    markets,
    queues: { 'alert-outbox': pending ?? 0 },
    tableRows,
    dbSizeBytes: databaseSizeBytes(db),
  };
}
