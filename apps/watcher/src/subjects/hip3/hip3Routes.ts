import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import {
  Hip3DexList,
  Hip3MarketDetail,
  Hip3MarketList,
  Hip3OracleUpdatePage,
} from '@perpscope/schemas';
import { z } from 'zod';
import type { AppDeps } from '../../api/appDeps.js';
import { problemResponses } from '../../api/openApiResponses.js';
import { validationHook } from '../../api/problem.js';
import type { OracleUpdateCursor } from '../../db/queries/hip3.js';
import { BadRequestError, NotFoundError } from '../../errors.js';
import { HIP3_WRITER, marketWithWriteFailure } from '../../runtime/marketWithWriteFailure.js';
import {
  parseMarketRow,
  presentHip3Dex,
  presentHip3Market,
  presentHip3MarketDetail,
} from './presentHip3Market.js';

const dexesRoute = createRoute({
  method: 'get',
  path: '/dexes',
  tags: ['hip3'],
  summary: 'HIP-3 dexes discovered from perpDexs, with their oracle writers',
  responses: {
    200: { description: 'The dexes', content: { 'application/json': { schema: Hip3DexList } } },
  },
});

const MarketsQuery = z.object({
  dex: z.string().max(16).optional(),
});

const marketsRoute = createRoute({
  method: 'get',
  path: '/markets',
  tags: ['hip3'],
  summary: 'Markets (optionally of one dex) with status, reasons, mark, oracle and funding APR',
  request: { query: MarketsQuery },
  responses: {
    200: {
      description: 'The markets',
      content: { 'application/json': { schema: Hip3MarketList } },
    },
    ...problemResponses,
  },
});

const CoinParam = z.object({
  coin: z.string().min(1).max(64).meta({ example: 'xyz:TSLA' }),
});

const marketRoute = createRoute({
  method: 'get',
  path: '/markets/{coin}',
  tags: ['hip3'],
  summary:
    'One market: status, reasons and every metric (oracle age and intervals, deviation tiers, funding, OI, depth)',
  request: { params: CoinParam },
  responses: {
    200: {
      description: 'The market',
      content: { 'application/json': { schema: Hip3MarketDetail } },
    },
    ...problemResponses,
  },
});

const UpdatesQuery = z.object({
  cursor: z
    .string()
    .regex(/^\d+:(ctx|explorer):(0x[0-9a-f]{64})?$/, 'must be a cursor returned by this endpoint')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  source: z.enum(['ctx', 'explorer']).optional(),
});

const updatesRoute = createRoute({
  method: 'get',
  path: '/markets/{coin}/oracle-updates',
  tags: ['hip3'],
  summary: 'Oracle updates of a market, newest first (ctx changes and explorer setOracle actions)',
  request: { params: CoinParam, query: UpdatesQuery },
  responses: {
    200: {
      description: 'A page of updates',
      content: { 'application/json': { schema: Hip3OracleUpdatePage } },
    },
    ...problemResponses,
  },
});

function parseCursor(s: string | undefined): OracleUpdateCursor | null {
  if (s === undefined) return null;
  const [at, source, txHash] = s.split(':');
  const n = Number(at);
  if (!Number.isSafeInteger(n) || !source) {
    throw new BadRequestError([{ path: 'query.cursor', message: 'malformed cursor' }]);
  }
  return { at: n, source, txHash: txHash ?? '' };
}

/** `/v1/hip3` routes. */
export function hip3Routes(deps: AppDeps) {
  const { hip3 } = deps.store.queries;
  const parse = (row: Parameters<typeof parseMarketRow>[0]) =>
    marketWithWriteFailure(
      parseMarketRow(row),
      deps.ops?.storage?.writeFailure(HIP3_WRITER) ?? null,
    );
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(dexesRoute, async (c) => {
      const counts = new Map<string, number>();
      for (const m of await hip3.listHip3Markets()) counts.set(m.dex, (counts.get(m.dex) ?? 0) + 1);
      const dexes = (await hip3.listHip3Dexes()).map((d) =>
        presentHip3Dex(d, counts.get(d.name) ?? 0),
      );
      return c.json({ dexes }, 200);
    })
    .openapi(marketsRoute, async (c) => {
      const { dex } = c.req.valid('query');
      const markets = (await hip3.listHip3Markets(dex)).map((r) => presentHip3Market(parse(r)));
      return c.json({ markets }, 200);
    })
    .openapi(marketRoute, async (c) => {
      const { coin } = c.req.valid('param');
      const row = await hip3.getHip3Market(coin);
      if (!row) throw new NotFoundError(`market ${coin} is not watched`);
      return c.json(presentHip3MarketDetail(parse(row), deps.clock.now()), 200);
    })
    .openapi(updatesRoute, async (c) => {
      const { coin } = c.req.valid('param');
      const q = c.req.valid('query');
      if (!(await hip3.getHip3Market(coin)))
        throw new NotFoundError(`market ${coin} is not watched`);
      const rows = await hip3.hip3OracleUpdatesPage({
        coin,
        limit: q.limit,
        cursor: parseCursor(q.cursor),
        ...(q.source ? { source: q.source } : {}),
      });
      const last = rows.at(-1);
      return c.json(
        {
          coin,
          updates: rows.map((r) => ({
            timeMs: r.at,
            source: r.source as 'ctx' | 'explorer',
            oraclePx: r.oraclePx,
            markPx: r.markPx,
            intervalSeconds: r.intervalMs === null ? null : r.intervalMs / 1000,
            markJump: r.markJump,
            txHash: r.txHash === '' ? null : r.txHash,
            error: r.error,
          })),
          nextCursor:
            rows.length === q.limit && last ? `${last.at}:${last.source}:${last.txHash}` : null,
        },
        200,
      );
    });
}
