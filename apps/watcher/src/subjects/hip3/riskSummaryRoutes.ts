import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import {
  type ChainPhase,
  RiskSummary,
  type RiskSummaryChain,
  RiskSummaryQuery,
} from '@perpscope/schemas';
import type { TypedResponse } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../api/appDeps.js';
import { problemResponses } from '../../api/openApiResponses.js';
import { validationHook } from '../../api/problem.js';
import { formatPath } from '../../config/loadConfig.js';
import { BadRequestError } from '../../errors.js';
import { HIP3_WRITER, marketWithWriteFailure } from '../../runtime/marketWithWriteFailure.js';
import { chainWithWriteFailure, chainWriter } from '../sequencer/chainWithWriteFailure.js';
import { presentChainSummary } from '../sequencer/presentChain.js';
import { parseMarketRow, presentRiskMarket } from './presentHip3Market.js';

// Documented as plain strings; parsed (split, trimmed, bounded) by RiskSummaryQuery in the handler.
const QueryDoc = z.object({
  coins: z.string().optional().meta({ example: 'BTC,xyz:TSLA,flx:GOLD' }),
  chains: z.string().optional().meta({ example: 'arbitrum,base,8453' }),
});

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['risk'],
  summary:
    'Everything the browser extension needs in one response: chain statuses with phase and guidance, market statuses, oracle state and funding APR',
  request: { query: QueryDoc },
  responses: {
    200: { description: 'The summary', content: { 'application/json': { schema: RiskSummary } } },
    ...problemResponses,
  },
});

/** How long an identical query is answered from memory (data changes at ~1 s cadence). */
const CACHE_MS = 1_000;
const CACHE_ENTRIES = 256;
const encoder = new TextEncoder();

/** `/v1/risk-summary`. */
export function riskSummaryRoutes(deps: AppDeps) {
  // Keyed by the raw URL so a hit costs neither parsing nor serialising: the extension polls the
  // same query over and over, and the data changes at most once per evaluation (~1 s).
  const cache = new Map<string, { at: number; bytes: Uint8Array }>();
  // The bytes are a serialised RiskSummary: hand them out as-is, typed as what they are.
  const json = (bytes: Uint8Array) =>
    new Response(bytes, {
      status: 200,
      headers: { 'content-type': 'application/json' },
    }) as unknown as TypedResponse<RiskSummary, 200, 'json'>;
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(route, async (c) => {
    const now = deps.clock.now();
    const storage = deps.ops?.storage;
    // Failing writes change what is served without changing the data: part of the cache key.
    const failing = storage?.writeFailures() ?? [];
    const key = `${c.req.url}|${failing.map((f) => f.writer).join(',')}`;
    const hit = cache.get(key);
    if (hit && now - hit.at < CACHE_MS) return json(hit.bytes);
    const raw = c.req.valid('query');
    const parsed = RiskSummaryQuery.safeParse(raw);
    if (!parsed.success) {
      throw new BadRequestError(
        parsed.error.issues.map((i) => ({
          path: formatPath(['query', ...i.path]),
          message: i.message,
        })),
      );
    }
    const { coins, chains } = parsed.data;
    const rows = new Map(
      (await deps.store.queries.hip3.getHip3MarketsByCoin(coins)).map((r) => [r.coin, r]),
    );
    const markets = [];
    const unknownCoins: string[] = [];
    for (const coin of coins) {
      const r = rows.get(coin);
      if (r)
        markets.push(
          presentRiskMarket(
            marketWithWriteFailure(parseMarketRow(r), storage?.writeFailure(HIP3_WRITER) ?? null),
            now,
          ),
        );
      else unknownCoins.push(coin);
    }
    const all = chains.length > 0 ? await deps.store.queries.chains.listChains() : [];
    const chainOut: RiskSummaryChain[] = [];
    const unknownChains: string[] = [];
    for (const wanted of chains) {
      const found = all.find((x) => x.config.key === wanted || String(x.config.chainId) === wanted);
      if (!found) {
        unknownChains.push(wanted);
        continue;
      }
      const s = chainWithWriteFailure(
        presentChainSummary(found.config, found.state, now),
        storage?.writeFailure(chainWriter(found.config.chainId)) ?? null,
      );
      const phase: ChainPhase = s.phase ?? (s.status === 'up' ? 'normal' : 'unknown');
      chainOut.push({
        chain: s.key,
        chainId: s.chainId,
        name: s.name,
        status: s.status,
        phase,
        guidance: s.guidance,
        // The documented risk-summary flags only (the extension's contract has no `idle`).
        flags: {
          reorg: s.flags.reorg,
          safeLagWarn: s.flags.safeLagWarn,
          safeLagCrit: s.flags.safeLagCrit,
          feedDown: s.flags.feedDown,
        },
        headAgeSeconds: s.headAgeSeconds,
        statusSinceMs: Date.parse(s.statusSince),
      });
    }
    const body: RiskSummary = {
      generatedAtMs: now,
      chains: chainOut,
      markets,
      unknownCoins,
      unknownChains,
    };
    // Encoded once: a hit then costs no serialisation and no UTF-8 encoding.
    const bytes = encoder.encode(JSON.stringify(body));
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, { at: now, bytes });
    return json(bytes);
  });
}
