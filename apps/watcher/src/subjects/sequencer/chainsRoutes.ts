import { createHash } from 'node:crypto';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { ChainDetail, ChainList, type ChainQuorum } from '@perpscope/schemas';
import type { Context, TypedResponse } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../api/appDeps.js';
import { problemResponses } from '../../api/openApiResponses.js';
import { validationHook } from '../../api/problem.js';
import { combineObserverEvaluations, FRESH_POLLS } from '../../cluster/observerQuorum.js';
import { clusterOfContext } from '../../cluster/subjectCluster.js';
import type { ChainObservation } from '../../db/queries/chains.js';
import { NotFoundError } from '../../errors.js';
import { respondWithPlannedHeaders } from '../../security/preparedHeaders.js';
import { chainWithWriteFailure, chainWriter } from './chainWithWriteFailure.js';
import { presentChainDetail, presentChainSummary } from './presentChain.js';

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['chains'],
  summary: 'Every watched L2 with its sequencer status, phase, flags and head age',
  description:
    'Carries an `ETag` (a hash of the body). A request with `If-None-Match` naming it (or `*`) is answered 304 without a body while the list is unchanged; head ages move, so the list changes at least every 100 ms while a chain is watched.',
  responses: {
    200: {
      description: 'The chains',
      headers: z.object({
        ETag: z.string().openapi({ description: 'Strong validator of this body (quoted hash)' }),
      }),
      content: { 'application/json': { schema: ChainList } },
    },
    304: {
      description:
        'Not modified: the `If-None-Match` request header names the current `ETag` (or is `*`); no body',
      headers: z.object({ ETag: z.string() }),
    },
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

/** The list is reused while the database is unchanged, for at most this long (head ages move). */
const LIST_CACHE_MS = 100;
/**
 * On PostgreSQL the data version (`pg_current_snapshot()`) is a round trip that changes with any
 * commit on the server: it is asked at most this often (real time) and reused in between, so a
 * commit reaches `GET /v1/chains` at most this much later (chains poll every ≥ 1 s). On SQLite it
 * is a local pragma, asked per request.
 */
export const PG_VERSION_CHECK_MS = 100;
const encoder = new TextEncoder();

/** A strong entity tag of `bytes`: a quoted, truncated SHA-256 (base64url). */
export function entityTagOf(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether an `If-None-Match` header value names `etag` (RFC 9110 §13.1.2: `*`, or a list of entity
 * tags compared weakly — a `W/` prefix on either side is ignored).
 */
export function ifNoneMatchNames(header: string, etag: string): boolean {
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const part of header.split(',')) {
    const tag = part.trim();
    if (tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === opaque) return true;
  }
  return false;
}

/** `/v1/chains` routes. */
export function chainsRoutes(deps: AppDeps) {
  // Polled hard (the extension, dashboards): rebuilding and serialising the list per request made
  // most of the API's allocations. The bytes are reused while no write happened (dataVersion) and
  // for at most LIST_CACHE_MS, so head ages are never more than that behind.
  let cached: {
    version: string;
    at: number;
    bytes: Uint8Array;
    etag: string;
    /** The same objects for every answer of these bytes (`respondWithPlannedHeaders` reuses its merge). */
    headers: { ok: Record<string, string>; notModified: Record<string, string> };
  } | null = null;
  const versionCheckMs = 'pg' in deps.store ? PG_VERSION_CHECK_MS : 0;
  let checked: { version: string; at: number } | null = null; // at: performance.now()
  const changeVersion = async () => {
    const t = performance.now();
    if (checked && t - checked.at >= 0 && t - checked.at < versionCheckMs) return checked.version;
    const version = await deps.store.maintenance.changeVersion();
    checked = { version, at: t };
    return version;
  };
  const storage = deps.ops?.storage;
  const writeFailure = (chainId: number) => storage?.writeFailure(chainWriter(chainId)) ?? null;
  // The cached bytes with every header the hardening middleware adds, in one plain object (no
  // second pass over the response: `security/preparedHeaders.ts`); 304 when the client has them.
  const answer = (c: Context, list: NonNullable<typeof cached>) => {
    const ifNoneMatch = c.req.header('if-none-match');
    // Typed as the 200 for the typed client (a 304 carries no body to type).
    if (ifNoneMatch !== undefined && ifNoneMatchNames(ifNoneMatch, list.etag))
      return respondWithPlannedHeaders(
        c,
        null,
        304,
        list.headers.notModified,
      ) as unknown as TypedResponse<ChainList, 200, 'json'>;
    return respondWithPlannedHeaders(
      c,
      list.bytes,
      200,
      list.headers.ok,
    ) as unknown as TypedResponse<ChainList, 200, 'json'>;
  };
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(listRoute, async (c) => {
      const now = deps.clock.now();
      // Failing writes change no data version, but they change what is served.
      const failing = storage?.writeFailures() ?? [];
      const dataVersion = await changeVersion();
      const version =
        failing.length === 0
          ? dataVersion
          : `${dataVersion}|${failing.map((f) => f.writer).join(',')}`;
      if (
        cached &&
        cached.version === version &&
        now - cached.at >= 0 &&
        now - cached.at < LIST_CACHE_MS
      ) {
        return answer(c, cached);
      }
      const chains = (await deps.store.queries.chains.listChains()).map((r) =>
        chainWithWriteFailure(
          presentChainSummary(r.config, r.state, now),
          writeFailure(r.config.chainId),
        ),
      );
      const body: ChainList = { chains };
      const bytes = encoder.encode(JSON.stringify(body));
      const etag = entityTagOf(bytes);
      cached = {
        version,
        at: now,
        bytes,
        etag,
        headers: { ok: { 'content-type': 'application/json', etag }, notModified: { etag } },
      };
      return answer(c, cached);
    })
    .openapi(detailRoute, async (c) => {
      const { chainId } = c.req.valid('param');
      const q = deps.store.queries;
      const row = await q.chains.getChain(chainId);
      if (!row) throw new NotFoundError(`chain ${chainId} is not watched`);
      const cluster = clusterOfContext(deps);
      const [rpcs, transitions, open, observations] = await Promise.all([
        // This watcher's own view of the endpoints (each observer keeps its own rows).
        q.chains.rpcHealthOf(chainId, cluster.observer),
        q.chains.recentTransitions(chainId, 20),
        q.incidents.openIncidentsOf({ type: 'chain', id: String(chainId) }),
        cluster.mode === 'redundant' ? q.chains.chainObservationsOf(chainId) : null,
      ]);
      const detail = presentChainDetail({
        config: row.config,
        state: row.state,
        rpcs,
        transitions,
        openIncidentIds: open.map((i) => i.id),
        now: deps.clock.now(),
      });
      const served = chainWithWriteFailure(detail, writeFailure(chainId));
      if (observations !== null)
        served.quorum = presentQuorum(observations, {
          now: deps.clock.now(),
          freshMs: FRESH_POLLS * row.config.pollIntervalMs,
        });
      return c.json(served, 200);
    });
}

/**
 * Redundant mode: the observers' own evaluations of a chain and the quorum over them, combined as
 * the incidents duty holder combines them (`combineObserverEvaluations`, same freshness), so a
 * reader sees which watcher's evaluation the served status comes from and why the others did not vote.
 */
export function presentQuorum(
  observations: readonly ChainObservation[],
  params: { now: number; freshMs: number },
): ChainQuorum {
  const quorum = combineObserverEvaluations(observations, params);
  const abstained = new Map(quorum.abstained.map((a) => [a.observer, a.reason]));
  return {
    chosen: quorum.observer,
    status: quorum.status,
    reason: quorum.reason,
    observers: observations.map((o) => ({
      observer: o.observer,
      status: o.status,
      at: new Date(o.at).toISOString(),
      headNumber: o.headNumber,
      vote: abstained.get(o.observer) ?? 'voted',
      chosen: o.observer === quorum.observer,
    })),
  };
}
