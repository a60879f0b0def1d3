import { HlMetaAndAssetCtxs, HlPerpDexs } from '@perpscope/hyperliquid';
import {
  Hip3DexList,
  Hip3MarketDetail,
  Hip3MarketList,
  Hip3OracleUpdatePage,
  RiskSummary,
} from '@perpscope/schemas';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WatcherConfig } from '../../config/configSchema.js';
import { createApp } from '../../createApp.js';
import { type OpenDb, openDb } from '../../db/openDb.js';
import { upsertChains } from '../../db/queries/chains.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { EventLog } from '../../events/eventLog.js';
import { createPayloadCounters } from './payloadCounters.js';
import { createHip3Pipeline, readHlFixture } from './testFixtures.js';

const logger = pino({ level: 'silent' });
let open: OpenDb | null = null;
afterEach(() => open?.close());

const perpDexs = HlPerpDexs.parse(readHlFixture('info.perpDexs.mainnet.2025-12-13.json'));
const [xyzMeta, xyzCtxs] = HlMetaAndAssetCtxs.parse(
  readHlFixture('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
);

/** App over a database filled by the real engine from the recorded xyz capture. */
async function build() {
  open = openDb({ path: ':memory:' });
  const now = { t: Date.UTC(2026, 1, 10, 15) };
  const clock = { now: () => now.t };
  const eventLog = new EventLog({ store: createSqliteStore(open), clock, logger });
  const engine = createHip3Pipeline({
    store: createSqliteStore(open),
    eventLog,
    clock,
    logger,
    counters: createPayloadCounters(),
    dexFilter: ['xyz'],
    includeMainDex: false,
  });
  engine.applyPerpDexs(perpDexs);
  engine.applyMeta('xyz', xyzMeta, xyzCtxs, now.t);
  await engine.tick();
  // 15 s later the TSLA oracle has moved; XYZ100 has not (→ fallback after 10 s).
  for (let s = 1; s <= 15; s++) {
    now.t += 1000;
    const rows = xyzCtxs.map((r, i) =>
      i === 1
        ? {
            ...(r as object),
            oraclePx: `${399 + s}.0`,
            markPx: `${399 + s}.0`,
            midPx: `${399 + s}.0`,
          }
        : r,
    );
    engine.ingestFrame({ ctxs: [['xyz', rows]] }, now.t);
    await engine.tick();
  }
  const app = createApp({
    store: createSqliteStore(open),
    eventLog,
    clock,
    logger,
    version: '0',
    startedAt: 0,
  });
  return { app, now, engine };
}

describe('/v1/hip3', () => {
  it('lists dexes with oracle writers (oracleUpdater ∪ setOracle sub-deployers)', async () => {
    const { app } = await build();
    const body = Hip3DexList.parse(await (await app.request('/v1/hip3/dexes')).json());
    expect(body.dexes).toHaveLength(1);
    expect(body.dexes[0]).toMatchObject({ name: 'xyz', marketCount: 43, index: 1 });
    // perpDexs 2025-12-13: xyz has oracleUpdater null and one setOracle sub-deployer.
    expect(body.dexes[0]?.oracleWriters).toEqual(['0x1234567890545d1df9ee64b35fdd16966e08acec']);
  });

  it('lists markets of a dex with statuses; delisted markets are halted', async () => {
    const { app } = await build();
    const body = Hip3MarketList.parse(await (await app.request('/v1/hip3/markets?dex=xyz')).json());
    expect(body.markets).toHaveLength(43);
    const by = new Map(body.markets.map((m) => [m.coin, m]));
    expect(by.get('xyz:TSLA')?.status).toBe('ok');
    expect(by.get('xyz:XYZ100')?.status).toBe('warn');
    expect(by.get('xyz:COST')).toMatchObject({ status: 'halted', isDelisted: true });
    // Guidance per status, served for the status page and alerts (SPEC §0 note 4 as advice).
    expect(by.get('xyz:TSLA')?.guidance).toBe('');
    expect(by.get('xyz:XYZ100')?.guidance).toMatch(/^Oracle stale or deviating: .*Reduce leverage/);
    expect(by.get('xyz:COST')?.guidance).toMatch(/^Trading halted: positions settle at the mark/);
    const none = Hip3MarketList.parse(await (await app.request('/v1/hip3/markets?dex=flx')).json());
    expect(none.markets).toEqual([]);
  });

  it('serves a market detail whose oracle age keeps growing between evaluations', async () => {
    const { app, now } = await build();
    const a = Hip3MarketDetail.parse(
      await (await app.request('/v1/hip3/markets/xyz:XYZ100')).json(),
    );
    expect(a.reasons.map((r) => r.code)).toEqual(['oracle_fallback']);
    expect(a.metrics.fundingRate1h).toBe('0.00000625');
    now.t += 7_000;
    const b = Hip3MarketDetail.parse(
      await (await app.request('/v1/hip3/markets/xyz%3AXYZ100')).json(),
    );
    expect(b.metrics.oracle.lastChangeAgeSeconds! - a.metrics.oracle.lastChangeAgeSeconds!).toBe(7);
  });

  it('404s an unknown market with problem+json', async () => {
    const { app } = await build();
    const res = await app.request('/v1/hip3/markets/xyz:NOPE');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('pages oracle updates newest first with a cursor', async () => {
    const { app } = await build();
    const p1 = Hip3OracleUpdatePage.parse(
      await (await app.request('/v1/hip3/markets/xyz:TSLA/oracle-updates?limit=10')).json(),
    );
    expect(p1.updates).toHaveLength(10);
    expect(p1.updates[0]?.oraclePx).toBe('414.0');
    expect(p1.updates[0]?.intervalSeconds).toBe(1);
    const p2 = Hip3OracleUpdatePage.parse(
      await (
        await app.request(
          `/v1/hip3/markets/xyz:TSLA/oracle-updates?limit=10&cursor=${p1.nextCursor}`,
        )
      ).json(),
    );
    expect(p2.updates.map((u) => u.oraclePx)).toEqual([
      '404.0',
      '403.0',
      '402.0',
      '401.0',
      '400.0',
    ]);
    expect(p2.nextCursor).toBeNull();
    const bad = await app.request('/v1/hip3/markets/xyz:TSLA/oracle-updates?cursor=zzz');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'query.cursor',
    );
  });
});

describe('OpenAPI', () => {
  it('documents the HIP-3 and risk-summary routes', async () => {
    const { app } = await build();
    const res = await app.request('/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/hip3/dexes',
        '/v1/hip3/markets',
        '/v1/hip3/markets/{coin}',
        '/v1/hip3/markets/{coin}/oracle-updates',
        '/v1/risk-summary',
      ]),
    );
  });
});

describe('/v1/risk-summary', () => {
  it('returns market statuses, funding APR and oracle state; lists unknown coins and chains', async () => {
    const { app } = await build();
    const res = await app.request('/v1/risk-summary?coins=xyz:TSLA,xyz:XYZ100,NOPE&chains=base');
    expect(res.status).toBe(200);
    const body = RiskSummary.parse(await res.json());
    expect(body.markets.map((m) => [m.coin, m.status])).toEqual([
      ['xyz:TSLA', 'ok'],
      ['xyz:XYZ100', 'warn'],
    ]);
    const xyz100 = body.markets[1]!;
    expect(xyz100.oracle.freshness).toBe('fallback');
    expect(Number(xyz100.funding.apr)).toBeCloseTo(0.00000625 * 8760, 12);
    expect(body.unknownCoins).toEqual(['NOPE']);
    expect(body.unknownChains).toEqual(['base']);
  });

  it('includes watched chains by key or chain id with phase and guidance', async () => {
    const { app, now } = await build();
    const { chains } = WatcherConfig.parse({ chains: ['base'] });
    upsertChains(open!.db, chains, now.t);
    const body = RiskSummary.parse(
      await (await app.request('/v1/risk-summary?chains=base,8453,nope')).json(),
    );
    expect(body.chains.map((c) => [c.chain, c.chainId])).toEqual([
      ['base', 8453],
      ['base', 8453],
    ]);
    // Never polled yet: unknown, and the phase says so rather than "normal".
    expect(body.chains[0]).toMatchObject({ status: 'unknown', phase: 'unknown' });
    expect(body.unknownChains).toEqual(['nope']);
  });

  it('answers an identical query from memory for up to 1 s, then reads again', async () => {
    const { app, now } = await build();
    const url = '/v1/risk-summary?coins=xyz:TSLA';
    const a = RiskSummary.parse(await (await app.request(url)).json());
    now.t += 999;
    const b = RiskSummary.parse(await (await app.request(url)).json());
    expect(b.generatedAtMs).toBe(a.generatedAtMs);
    now.t += 1;
    const c = RiskSummary.parse(await (await app.request(url)).json());
    expect(c.generatedAtMs).toBe(a.generatedAtMs + 1000);
  });

  it('rejects more than 200 coins with a 400 naming query.coins', async () => {
    const { app } = await build();
    const coins = Array.from({ length: 201 }, (_, i) => `C${i}`).join(',');
    const res = await app.request(`/v1/risk-summary?coins=${coins}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'query.coins',
    );
  });
});
