import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createMetrics, type MetricsSnapshot, rpcLabel } from './createMetrics.js';
import { metricsRoute } from './metricsRoute.js';

function snapshot(over: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    chains: [
      {
        chain: 'arbitrum',
        status: 'halted',
        headAgeSeconds: 131.5,
        secondsSinceNewHead: 125,
        rpcs: [
          {
            url: 'https://arb1.arbitrum.io/rpc',
            position: 0,
            health: 'healthy',
            latencyMs: 120,
            reasonCode: 'at-head',
            headNumber: 160385961,
            secondsSinceNewHead: 0.5,
          },
          {
            url: 'https://arb-mainnet.g.alchemy.com/v2/SECRETKEY',
            position: 1,
            health: 'failing',
            latencyMs: null,
          },
          {
            url: 'https://arbitrum.publicnode.com',
            position: 2,
            health: 'stuck',
            latencyMs: 80,
            reasonCode: 'not-moving',
            headNumber: 160384179,
            secondsSinceNewHead: 4980,
          },
        ],
      },
    ],
    markets: [
      {
        dex: 'xyz',
        coin: 'xyz:TSLA',
        status: 'critical',
        oracleStalenessSeconds: 75,
        markOracleDeviation: 0.061,
      },
    ],
    queues: { 'alert-outbox': 3 },
    tableRows: { blocks: 12345 },
    dbSizeBytes: 4096,
    ...over,
  };
}

/** Value of one sample line (`name{labels} value`) in the exposition text. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('createMetrics', () => {
  it('exports status state sets, head age, RPC health, staleness, deviation, queues, db size', async () => {
    const m = createMetrics({ snapshot: () => snapshot(), defaultMetrics: 'off' });
    const text = await m.render();
    expect(sample(text, 'perpscope_chain_status{chain="arbitrum",status="halted"}')).toBe(1);
    expect(sample(text, 'perpscope_chain_status{chain="arbitrum",status="up"}')).toBe(0);
    expect(sample(text, 'perpscope_chain_head_age_seconds{chain="arbitrum"}')).toBe(131.5);
    expect(sample(text, 'perpscope_chain_seconds_since_new_head{chain="arbitrum"}')).toBe(125);
    expect(sample(text, 'perpscope_ingest_rows_total{table="blocks"}')).toBe(12345);
    expect(
      sample(
        text,
        'perpscope_rpc_healthy{chain="arbitrum",rpc="0:arb1.arbitrum.io",health="healthy"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'perpscope_rpc_healthy{chain="arbitrum",rpc="1:arb-mainnet.g.alchemy.com",health="failing"}',
      ),
    ).toBe(0);
    expect(
      sample(text, 'perpscope_rpc_last_latency_seconds{chain="arbitrum",rpc="0:arb1.arbitrum.io"}'),
    ).toBe(0.12);
    // Every verdict with its reason, head and age (issue 13).
    expect(
      sample(
        text,
        'perpscope_rpc_verdict{chain="arbitrum",rpc="2:arbitrum.publicnode.com",verdict="stuck",reason="not-moving"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'perpscope_rpc_verdict{chain="arbitrum",rpc="1:arb-mainnet.g.alchemy.com",verdict="failing",reason="none"}',
      ),
    ).toBe(1);
    expect(
      sample(text, 'perpscope_rpc_head_number{chain="arbitrum",rpc="2:arbitrum.publicnode.com"}'),
    ).toBe(160384179);
    expect(
      sample(
        text,
        'perpscope_rpc_seconds_since_new_head{chain="arbitrum",rpc="2:arbitrum.publicnode.com"}',
      ),
    ).toBe(4980);
    expect(
      sample(text, 'perpscope_market_status{dex="xyz",coin="xyz:TSLA",status="critical"}'),
    ).toBe(1);
    expect(
      sample(text, 'perpscope_market_oracle_staleness_seconds{dex="xyz",coin="xyz:TSLA"}'),
    ).toBe(75);
    expect(
      sample(text, 'perpscope_market_mark_oracle_deviation_ratio{dex="xyz",coin="xyz:TSLA"}'),
    ).toBe(0.061);
    expect(sample(text, 'perpscope_queue_depth{queue="alert-outbox"}')).toBe(3);
    expect(sample(text, 'perpscope_db_size_bytes')).toBe(4096);
    expect(text).not.toContain('SECRETKEY');
  });

  it('drops series of subjects that disappeared between scrapes and counts events', async () => {
    let snap = snapshot();
    const m = createMetrics({ snapshot: () => snap, defaultMetrics: 'off' });
    await m.render();
    snap = snapshot({ chains: [], markets: [] });
    m.alertOutcomes.inc({ sink: 'ops', outcome: 'delivered' });
    m.rateLimited.inc();
    const text = await m.render();
    expect(text).not.toContain('chain="arbitrum"');
    expect(sample(text, 'perpscope_http_rate_limited_total')).toBe(1);
    expect(sample(text, 'perpscope_alerts_total{sink="ops",outcome="delivered"}')).toBe(1);
  });

  it('keeps registries separate (no global state) and serves the text format over HTTP', async () => {
    const a = createMetrics({ snapshot: () => snapshot(), defaultMetrics: 'on' });
    const b = createMetrics({ snapshot: () => snapshot(), defaultMetrics: 'on' });
    a.alertOutcomes.inc({ sink: 'x', outcome: 'queued' });
    expect(await b.render()).not.toContain('sink="x"');
    const app = new Hono().route('/metrics', metricsRoute(a));
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('perpscope_process_resident_memory_bytes');
    expect(sample(text, 'perpscope_alerts_total{sink="x",outcome="queued"}')).toBe(1);
  });

  it('labels RPCs by position and host only', () => {
    expect(rpcLabel('https://u:p@rpc.example.com:8545/key?x=1', 2)).toBe('2:rpc.example.com:8545');
    expect(rpcLabel('nope', 0)).toBe('0:invalid-url');
  });
});
