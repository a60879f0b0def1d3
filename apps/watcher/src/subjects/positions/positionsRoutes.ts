import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { GuardedAccount, GuardedAccountList } from '@perpscope/schemas';
import { z } from 'zod';
import type { AppDeps } from '../../api/appDeps.js';
import { problemResponses } from '../../api/openApiResponses.js';
import { validationHook } from '../../api/problem.js';
import { NotFoundError } from '../../errors.js';
import { addressHash } from './guardedAddress.js';
import { presentGuardedAccount } from './presentPositions.js';

const LIQUIDATIONS_SHOWN = 20;

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['positions'],
  summary:
    'Guarded accounts: positions with distance to liquidation, level, freshness, our and the venue’s liquidation price',
  responses: {
    200: {
      description: 'Every guarded account (empty when none is configured)',
      content: { 'application/json': { schema: GuardedAccountList } },
    },
  },
});

const AccountParam = z.object({
  address: z
    .string()
    .regex(
      /^(0x[0-9a-fA-F]{40}|[0-9a-f]{16})$/,
      'must be a 0x address or the 16-hex-digit address hash',
    )
    .meta({ example: '0x0000000000000000000000000000000000000001' }),
});

const detailRoute = createRoute({
  method: 'get',
  path: '/{address}',
  tags: ['positions'],
  summary: 'One guarded account by address (or its hash)',
  request: { params: AccountParam },
  responses: {
    200: {
      description: 'The account',
      content: { 'application/json': { schema: GuardedAccount } },
    },
    ...problemResponses,
  },
});

/** `/v1/positions` routes (the position guard, SPEC §3.4). */
export function positionsRoutes(deps: AppDeps) {
  const { positions } = deps.store.queries;
  const present = async (hash: string) => {
    const account = await positions.getGuardedAccount(hash);
    if (!account) return null;
    return presentGuardedAccount({
      account,
      positions: await positions.guardedPositionsOf(hash),
      liquidations: await positions.guardedLiquidationsOf(hash, LIQUIDATIONS_SHOWN),
      nowMs: deps.clock.now(),
    });
  };
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(listRoute, async (c) => {
      const accounts = [];
      for (const a of await positions.listGuardedAccounts()) {
        const p = await present(a.addressHash);
        if (p) accounts.push(p);
      }
      return c.json({ accounts }, 200);
    })
    .openapi(detailRoute, async (c) => {
      const { address } = c.req.valid('param');
      const hash = address.startsWith('0x') ? addressHash(address) : address;
      const body = await present(hash);
      if (!body) throw new NotFoundError('this address is not guarded');
      return c.json(body, 200);
    });
}
