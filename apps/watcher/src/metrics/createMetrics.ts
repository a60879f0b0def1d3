import { ChainStatus, Hip3MarketStatus } from '@perpscope/schemas';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { rpcHostLabel } from '../security/redactSecrets.js';

/**
 * Chain status values exported as a state set (`1` for the current one, `0` for the others): the
 * `ChainStatus` of `@perpscope/schemas`.
 */
export const chainStatuses: readonly ChainStatus[] = ChainStatus.options;
/** HIP-3 market status values exported as a state set: the `Hip3MarketStatus` of `@perpscope/schemas`. */
export const marketStatuses: readonly Hip3MarketStatus[] = Hip3MarketStatus.options;

/** Point-in-time state read at scrape time (from the ingestion loops' in-memory state). */
export type MetricsSnapshot = {
  chains: ReadonlyArray<{
    /** Short key, e.g. `arbitrum` or the chain id. */
    chain: string;
    status: string;
    /** `now − head.timestamp` (chain time); null before the first head. */
    headAgeSeconds: number | null;
    /** Seconds since the head number last increased, on the watcher's clock. */
    secondsSinceNewHead: number | null;
    rpcs: ReadonlyArray<{
      url: string;
      position: number;
      health: string;
      latencyMs: number | null;
      /** Why the quorum gave that verdict (`RpcReasonCode`); null before the first poll. */
      reasonCode?: string | null;
      headNumber?: number | null;
      /** Watcher-clock seconds since the endpoint's head last changed. */
      secondsSinceNewHead?: number | null;
    }>;
  }>;
  markets: ReadonlyArray<{
    dex: string;
    coin: string;
    status: string;
    /** Seconds since the oracle price last changed. */
    oracleStalenessSeconds: number | null;
    /** |mark − oracle| / oracle, a ratio (0.05 = 5%). */
    markOracleDeviation: number | null;
  }>;
  /** Depth of queues (alert outbox rows waiting...). */
  queues: Readonly<Record<string, number>>;
  /** Rows ever written per raw table (its largest rowid): `rate()` of it is the ingest rate. */
  tableRows: Readonly<Record<string, number>>;
  dbSizeBytes: number | null;
};

/**
 * A label for an RPC endpoint that never carries its secret: many providers put the API key in the
 * path or query, so only position and host are exported (see `rpcHostLabel` in
 * `security/redactSecrets.ts`, the one place RPC URLs are redacted).
 *
 * @example rpcLabel('https://arb-mainnet.g.alchemy.com/v2/KEY', 1) // '1:arb-mainnet.g.alchemy.com'
 */
export const rpcLabel: (url: string, position: number) => string = rpcHostLabel;

/** The watcher's Prometheus metrics, on a registry of its own (no global state). */
export type WatcherMetrics = {
  registry: Registry;
  /** Failed database writes (e.g. disk full), by component. */
  dbWriteErrors: Counter<'component'>;
  /** Alert outbox outcomes by sink (`queued`, `suppressed`, `delivered`, `retry`, `failed`...). */
  alertOutcomes: Counter<'sink' | 'outcome'>;
  /** Requests refused by the per-IP rate limit. */
  rateLimited: Counter;
  /** Text exposition format, after refreshing the snapshot gauges. */
  render(): Promise<string>;
  contentType: string;
};

/**
 * Builds the metrics. Snapshot gauges (status, head age, RPC health, staleness, deviation, queue
 * depths, database size) are refreshed from `snapshot()` on every scrape, so they cost nothing
 * between scrapes and never go stale.
 *
 * @example
 * const metrics = createMetrics({ snapshot: () => runtime.metricsSnapshot() });
 * app.route('/metrics', metricsRoute(metrics));
 */
export function createMetrics(p: {
  snapshot: () => MetricsSnapshot | Promise<MetricsSnapshot>;
  defaultMetrics?: 'on' | 'off';
}): WatcherMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (p.defaultMetrics !== 'off')
    collectDefaultMetrics({ register: registry, prefix: 'perpscope_' });

  const chainStatus = new Gauge({
    name: 'perpscope_chain_status',
    help: 'Chain sequencer status as a state set: 1 for the current status.',
    labelNames: ['chain', 'status'],
    registers,
  });
  const headAge = new Gauge({
    name: 'perpscope_chain_head_age_seconds',
    help: 'Seconds between now and the head block timestamp (chain time).',
    labelNames: ['chain'],
    registers,
  });
  const sinceNewHead = new Gauge({
    name: 'perpscope_chain_seconds_since_new_head',
    help: 'Seconds since the head number last increased (watcher wall clock; what halts are judged on).',
    labelNames: ['chain'],
    registers,
  });
  const rpcUp = new Gauge({
    name: 'perpscope_rpc_healthy',
    help: '1 when the RPC endpoint is healthy (answering and not lagging its peers).',
    labelNames: ['chain', 'rpc', 'health'],
    registers,
  });
  const rpcVerdict = new Gauge({
    name: 'perpscope_rpc_verdict',
    help: "The quorum's verdict on the RPC endpoint (healthy, lagging, stuck, failing, unknown) with its reason code; 1 for the current one.",
    labelNames: ['chain', 'rpc', 'verdict', 'reason'],
    registers,
  });
  const rpcHead = new Gauge({
    name: 'perpscope_rpc_head_number',
    help: "The RPC endpoint's own head block number (ignored by the quorum unless believed).",
    labelNames: ['chain', 'rpc'],
    registers,
  });
  const rpcSinceNewHead = new Gauge({
    name: 'perpscope_rpc_seconds_since_new_head',
    help: "Seconds since the RPC endpoint's head last changed (watcher wall clock).",
    labelNames: ['chain', 'rpc'],
    registers,
  });
  const rpcLastLatency = new Gauge({
    name: 'perpscope_rpc_last_latency_seconds',
    help: 'Latency of the last successful request to the RPC endpoint.',
    labelNames: ['chain', 'rpc'],
    registers,
  });
  const marketStatus = new Gauge({
    name: 'perpscope_market_status',
    help: 'HIP-3 market oracle status as a state set: 1 for the current status.',
    labelNames: ['dex', 'coin', 'status'],
    registers,
  });
  const staleness = new Gauge({
    name: 'perpscope_market_oracle_staleness_seconds',
    help: 'Seconds since the market oracle price last changed.',
    labelNames: ['dex', 'coin'],
    registers,
  });
  const deviation = new Gauge({
    name: 'perpscope_market_mark_oracle_deviation_ratio',
    help: '|mark - oracle| / oracle (0.05 = 5%).',
    labelNames: ['dex', 'coin'],
    registers,
  });
  const queueDepth = new Gauge({
    name: 'perpscope_queue_depth',
    help: 'Items waiting in an in-process queue.',
    labelNames: ['queue'],
    registers,
  });
  const tableRows = new Counter({
    name: 'perpscope_ingest_rows_total',
    help: 'Rows written to each raw table (largest rowid; on SQLite hip3_oracle_updates counts rows when folded in from its staging table, every ~30 s); rate() gives the ingest rate.',
    labelNames: ['table'],
    registers,
  });
  const dbSize = new Gauge({
    name: 'perpscope_db_size_bytes',
    help: 'Size of the SQLite database (pages in use plus free pages).',
    registers,
  });

  async function refresh() {
    const s = await p.snapshot();
    for (const g of [
      chainStatus,
      headAge,
      sinceNewHead,
      tableRows,
      rpcUp,
      rpcVerdict,
      rpcHead,
      rpcSinceNewHead,
      rpcLastLatency,
      marketStatus,
      staleness,
      deviation,
      queueDepth,
    ])
      g.reset();
    for (const c of s.chains) {
      for (const status of chainStatuses)
        chainStatus.set({ chain: c.chain, status }, c.status === status ? 1 : 0);
      if (c.headAgeSeconds !== null) headAge.set({ chain: c.chain }, c.headAgeSeconds);
      if (c.secondsSinceNewHead !== null)
        sinceNewHead.set({ chain: c.chain }, c.secondsSinceNewHead);
      for (const r of c.rpcs) {
        const rpc = rpcLabel(r.url, r.position);
        rpcUp.set({ chain: c.chain, rpc, health: r.health }, r.health === 'healthy' ? 1 : 0);
        if (r.latencyMs !== null) rpcLastLatency.set({ chain: c.chain, rpc }, r.latencyMs / 1000);
        rpcVerdict.set(
          { chain: c.chain, rpc, verdict: r.health, reason: r.reasonCode ?? 'none' },
          1,
        );
        if (r.headNumber != null) rpcHead.set({ chain: c.chain, rpc }, r.headNumber);
        if (r.secondsSinceNewHead != null)
          rpcSinceNewHead.set({ chain: c.chain, rpc }, r.secondsSinceNewHead);
      }
    }
    for (const m of s.markets) {
      for (const status of marketStatuses)
        marketStatus.set({ dex: m.dex, coin: m.coin, status }, m.status === status ? 1 : 0);
      if (m.oracleStalenessSeconds !== null)
        staleness.set({ dex: m.dex, coin: m.coin }, m.oracleStalenessSeconds);
      if (m.markOracleDeviation !== null)
        deviation.set({ dex: m.dex, coin: m.coin }, m.markOracleDeviation);
    }
    for (const [queue, depth] of Object.entries(s.queues)) queueDepth.set({ queue }, depth);
    for (const [table, rows] of Object.entries(s.tableRows)) tableRows.inc({ table }, rows);
    if (s.dbSizeBytes !== null) dbSize.set(s.dbSizeBytes);
  }

  return {
    registry,
    dbWriteErrors: new Counter({
      name: 'perpscope_db_write_errors_total',
      help: 'Database writes that failed (disk full, I/O error...).',
      labelNames: ['component'],
      registers,
    }),
    alertOutcomes: new Counter({
      name: 'perpscope_alerts_total',
      help: 'Alert outbox outcomes per sink (queued, suppressed, delivered, retry, failed, enqueue_error).',
      labelNames: ['sink', 'outcome'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'perpscope_http_rate_limited_total',
      help: 'HTTP requests refused by the per-IP rate limit.',
      registers,
    }),
    contentType: registry.contentType,
    async render() {
      await refresh();
      return registry.metrics();
    },
  };
}
