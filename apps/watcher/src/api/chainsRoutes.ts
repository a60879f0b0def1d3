import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { ChainDetail, ChainList } from '@perpscope/schemas';
import { z } from 'zod';
import { getChain, listChains, recentTransitions, rpcHealthOf } from '../db/queries/chains.js';
import { openIncidentsOf } from '../db/queries/incidents.js';
import { NotFoundError } from '../errors.js';
import { presentChainDetail, presentChainSummary } from '../sequencer/presentChain.js';
import type { AppDeps } from './appDeps.js';
import { problemResponses } from './openApiResponses.js';
import { validationHook } from './problem.js';

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['chains'],
  summary: 'Every watched L2 with its sequencer status, phase, flags and head age',
  responses: {
    200: { description: 'The chains', content: { 'application/json': { schema: ChainList } } },
  },
});

const ChainParams = z.object({
  chainId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

const detailRoute = createRoute({
  method: 'get',
  path: '/{chainId}',
  tags: ['chains'],
  summary:
    'One chain: status and reasons, head, block-gap stats, safe lag, per-RPC health, feed state',
  request: { params: ChainParams },
  responses: {
    200: { description: 'The chain', content: { 'application/json': { schema: ChainDetail } } },
    ...problemResponses,
  },
});

/** `/v1/chains` routes. */
export function chainsRoutes(deps: AppDeps) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(listRoute, (c) => {
      const now = deps.clock.now();
      const chains = listChains(deps.db).map((r) => presentChainSummary(r.config, r.state, now));
      return c.json({ chains }, 200);
    })
    .openapi(detailRoute, (c) => {
      const { chainId } = c.req.valid('param');
      const row = getChain(deps.db, chainId);
      if (!row) throw new NotFoundError(`chain ${chainId} is not watched`);
      const body = presentChainDetail({
        config: row.config,
        state: row.state,
        rpcs: rpcHealthOf(deps.db, chainId),
        transitions: recentTransitions(deps.db, chainId, 20),
        openIncidentIds: openIncidentsOf(deps.db, { type: 'chain', id: String(chainId) }).map(
          (i) => i.id,
        ),
        now: deps.clock.now(),
      });
      return c.json(body, 200);
    });
}
