import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { ChainGapSeriesList } from '@perpscope/schemas';
import { z } from 'zod';
import { problemResponses } from '../api/openApiResponses.js';
import { validationHook } from '../api/problem.js';
import type { Clock } from '../clock.js';
import type { WatcherStore } from '../db/store/watcherStore.js';
import { chainGapSeries } from './chainGapSeries.js';

const gapsRoute = createRoute({
  method: 'get',
  path: '/chain-gaps',
  tags: ['status page'],
  summary: 'Block gaps and head age per chain over a recent window (chart data of the status page)',
  request: {
    query: z.object({
      minutes: z.coerce.number().int().min(1).max(1440).default(60),
      buckets: z.coerce.number().int().min(10).max(600).default(120),
      chainId: z.coerce.number().int().positive().optional(),
    }),
  },
  responses: {
    200: {
      description: 'Series per chain',
      content: { 'application/json': { schema: ChainGapSeriesList } },
    },
    400: problemResponses[400],
  },
});

/** `/v1/status/*`: chart data for the status page. */
export function statusChartsRoutes(deps: { store: WatcherStore; clock: Clock }) {
  const { chains, blocks } = deps.store.queries;
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(gapsRoute, async (c) => {
    const query = c.req.valid('query');
    const now = deps.clock.now();
    const chainIds = query.chainId !== undefined ? [query.chainId] : await chains.listChainIds();
    // A young watcher has less history than the window: spread the buckets over what exists
    // (at least two minutes) instead of squeezing it into the right edge of the chart.
    const firsts = await Promise.all(chainIds.map((id) => blocks.firstSeenAt(id)));
    const firstSeen = Math.min(...firsts.map((t) => t ?? now), now);
    const windowMs = Math.min(query.minutes * 60_000, Math.max(120_000, now - firstSeen));
    return c.json(
      {
        fromMs: now - windowMs,
        toMs: now,
        bucketSeconds: windowMs / query.buckets / 1000,
        chains: await chainGapSeries(deps.store, {
          now,
          windowMs,
          buckets: query.buckets,
          chainIds,
        }),
      },
      200,
    );
  });
}
