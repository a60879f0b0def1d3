import type { z } from 'zod';
import { HlSubAccounts, HlUserVaultEquities } from './accountDiscoverySchemas.js';
import type { WeightAccountant } from './createWeightAccountant.js';
import { HlUserDetails } from './explorerSchemas.js';
import { createKnownTxFilter, ExplorerTextError, type KnownTxFilter } from './explorerText.js';
import { HlBudgetError, HlHttpError, HlPayloadError } from './HyperliquidError.js';
import { infoRequestWeight, responseItemsWeight } from './infoRequestWeight.js';
import {
  HlCandles,
  HlL2Book,
  HlMeta,
  HlMetaAndAssetCtxs,
  HlMetaAndValidAssetCtxs,
  HlPerpDexLimits,
  HlPerpDexs,
  HlPerpsAtOpenInterestCap,
} from './marketSchemas.js';
import {
  HlAccountMode,
  HlClearinghouseState,
  HlSpotClearinghouseState,
  HlUserFills,
} from './userSchemas.js';

/**
 * What carries a request: `POST {apiUrl}/info` or `{rpcUrl}/explorer` with a JSON body, resolving
 * with the parsed JSON answer. The SDK's `HttpTransport` (`@nktkas/hyperliquid`) is one (the
 * watcher's, for `info`); {@link createFetchTransport} is another (the extension's, and the
 * watcher's for the explorer's text).
 */
export type InfoTransport = {
  request(endpoint: 'info' | 'explorer', payload: unknown, signal?: AbortSignal): Promise<unknown>;
  /**
   * The same request, resolving with a successful answer's HTTP status and its body as it arrives
   * (optional; failures while reading it are the transport's own errors). Where a transport has
   * it, {@link InfoClient.userDetails} reads the answer chunk by chunk and keeps only the
   * transactions the caller does not have.
   */
  requestChunks?(
    endpoint: 'info' | 'explorer',
    payload: unknown,
    signal?: AbortSignal,
  ): Promise<{ status: number; chunks: AsyncIterable<Uint8Array> }>;
};

/** Parameters of {@link createInfoClient}. */
export type CreateInfoClientParameters = {
  transport: InfoTransport;
  /** The one rolling budget every request is charged to before it is sent (HL's limit is per IP). */
  budget: WeightAccountant;
  /** Told of every answer that failed its schema (request type, first issue as `path: message`). */
  onReject?: (requestType: string, issue: string) => void;
};

/** An `0x…` address. */
export type HlUser = `0x${string}`;

/** A request body: `type` names the request; the rest is its parameters. */
export type InfoRequestBody = { readonly type: string; readonly [key: string]: unknown };

/**
 * An answer read chunk by chunk through `reader` and parsed; a body the reader or `JSON.parse`
 * cannot follow fails as {@link createFetchTransport} does, with the reader's reason.
 */
async function readAnswer(
  answer: { status: number; chunks: AsyncIterable<Uint8Array> },
  reader: KnownTxFilter,
  endpoint: 'info' | 'explorer',
  body: InfoRequestBody,
): Promise<unknown> {
  try {
    for await (const chunk of answer.chunks) reader.push(chunk);
    return JSON.parse(reader.finish()) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const why = error instanceof ExplorerTextError ? ` (${error.message})` : '';
    throw new HlHttpError(
      `${requestLabel(endpoint, body)}: response is not JSON${why}`,
      answer.status,
    );
  }
}

/** The validated, budgeted Hyperliquid info client. */
export type InfoClient = ReturnType<typeof createInfoClient>;

/** Formats the first zod issue as `path: message` (`(root)` for the top level). */
export function firstIssue(error: z.ZodError): string {
  const i = error.issues[0];
  return i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid';
}

/** `Hyperliquid info clearinghouseState dex=xyz`: names the request, never the user. */
export function requestLabel(endpoint: 'info' | 'explorer', body: InfoRequestBody): string {
  const dex = typeof body.dex === 'string' && body.dex !== '' ? ` dex=${body.dex}` : '';
  return `Hyperliquid ${endpoint} ${body.type}${dex}`;
}

/**
 * A typed Hyperliquid info client over any {@link InfoTransport}. Every request goes through one
 * wrapper ({@link InfoClient.request}): its documented weight is charged to the budget first
 * (nothing is sent without room), and its answer is validated by the schema derived from the
 * recordings. Request bodies are the ones `@nktkas/hyperliquid`'s `InfoClient` sends (addresses
 * lower-cased), checked by `createInfoClient.test.ts`.
 *
 * The budget is charged synchronously when a method is called (before its first `await`), so
 * callers that start several requests in one turn spend the budget in call order.
 *
 * @throws {HlBudgetError} when the budget has no room (nothing is sent).
 * @throws {HlPayloadError} when the answer does not match its schema.
 * @throws whatever the transport throws on HTTP and network failures (the SDK's `HttpRequestError`,
 *   {@link HlHttpError} from {@link createFetchTransport}).
 * @example
 * ```ts
 * const hl = createInfoClient({
 *   transport: new HttpTransport({ apiUrl: 'https://api.hyperliquid.xyz' }),
 *   budget: createWeightAccountant({ now: Date.now }),
 * });
 * const [meta, rows] = await hl.metaAndAssetCtxs('xyz');
 * ```
 */
export function createInfoClient(params: CreateInfoClientParameters) {
  const { transport, budget } = params;

  /**
   * Charges `body.type`'s weight, sends the request and validates the answer with `schema`.
   *
   * @throws {HlBudgetError} | {HlPayloadError} as {@link createInfoClient}.
   */
  async function request<S extends z.ZodType>(
    body: InfoRequestBody,
    schema: S,
    endpoint: 'info' | 'explorer' = 'info',
    reader?: () => KnownTxFilter,
  ): Promise<z.output<S>> {
    const weight = infoRequestWeight(body.type);
    if (!budget.tryAcquire(weight)) {
      throw new HlBudgetError(body.type, budget.waitMs(weight), requestLabel(endpoint, body));
    }
    const answer =
      reader && transport.requestChunks
        ? await readAnswer(await transport.requestChunks(endpoint, body), reader(), endpoint, body)
        : await transport.request(endpoint, body);
    const parsed = schema.safeParse(answer);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      params.onReject?.(body.type, issue);
      throw new HlPayloadError(body.type, issue, requestLabel(endpoint, body));
    }
    const items = Array.isArray(parsed.data) ? parsed.data.length : 0;
    // HL charges list answers per item returned: spent after the fact (it cannot be known before).
    const extra = responseItemsWeight(body.type, items);
    if (extra > 0) budget.tryAcquire(extra);
    return parsed.data;
  }

  const lower = (user: HlUser) => user.toLowerCase() as HlUser;

  return {
    request,
    /** HIP-3 dexes (element 0 is `null`, the main dex). Weight 20. */
    perpDexs: () => request({ type: 'perpDexs' }, HlPerpDexs),
    /** A dex's `meta` (universe, margin tables, collateral token). Weight 20. */
    meta: (dex: string) => request({ type: 'meta', dex }, HlMeta),
    /** `meta` + ctx rows, the rows left `unknown` for per-row validation. Weight 20. */
    metaAndAssetCtxs: (dex: string) =>
      request({ type: 'metaAndAssetCtxs', dex }, HlMetaAndAssetCtxs),
    /** `meta` + ctx rows, every row validated (one bad row rejects the answer). Weight 20. */
    metaAndValidAssetCtxs: (dex: string) =>
      request({ type: 'metaAndAssetCtxs', dex }, HlMetaAndValidAssetCtxs),
    /** Weight 20. */
    perpDexLimits: (dex: string) => request({ type: 'perpDexLimits', dex }, HlPerpDexLimits),
    /** Weight 20. */
    perpsAtOpenInterestCap: (dex: string) =>
      request({ type: 'perpsAtOpenInterestCap', dex }, HlPerpsAtOpenInterestCap),
    /** Full-precision book (`null` when HL has none for the coin). Weight 2. */
    l2Book: (coin: string) =>
      request({ type: 'l2Book', coin, nSigFigs: null }, HlL2Book.nullable()),
    /** The account mode. Weight 20. */
    userAbstraction: (user: HlUser) =>
      request({ type: 'userAbstraction', user: lower(user) }, HlAccountMode),
    /** Perp state on one dex (`''` = the main dex). Weight 2. */
    clearinghouseState: (user: HlUser, dex: string) =>
      request({ type: 'clearinghouseState', user: lower(user), dex }, HlClearinghouseState),
    /** Spot balances. Weight 2. */
    spotClearinghouseState: (user: HlUser) =>
      request({ type: 'spotClearinghouseState', user: lower(user) }, HlSpotClearinghouseState),
    /** Fills from `startTime` (ms), oldest first. Weight 20 + 1 per 20 fills returned. */
    userFillsByTime: (user: HlUser, startTime: number) =>
      request({ type: 'userFillsByTime', user: lower(user), startTime }, HlUserFills),
    /** Candles of `coin` (open time + close). Weight 20 + 1 per 60 candles returned. */
    candleSnapshot: (req: { coin: string; interval: '1h'; startTime: number; endTime?: number }) =>
      request({ type: 'candleSnapshot', req }, HlCandles),
    /** A master's sub-accounts (`null` without any). Weight 20. */
    subAccounts: (user: HlUser) =>
      request({ type: 'subAccounts', user: lower(user) }, HlSubAccounts),
    /** A user's vault deposits. Weight 20. */
    userVaultEquities: (user: HlUser) =>
      request({ type: 'userVaultEquities', user: lower(user) }, HlUserVaultEquities),
    /**
     * The explorer's recent transactions of `user` (`POST {rpcUrl}/explorer`). Charged 20. With
     * `isKnownTx` and a transport that has `requestChunks`, the transactions it accepts (by hash,
     * and `time` when it is a number) are cut out of the answer as it arrives, unparsed and unvalidated
     * ({@link createKnownTxFilter}): a poller that has seen all but the newest few holds and
     * builds only those.
     */
    userDetails: (user: HlUser, isKnownTx?: (hash: string, time: number | null) => boolean) =>
      request(
        { type: 'userDetails', user: lower(user) },
        HlUserDetails,
        'explorer',
        isKnownTx && (() => createKnownTxFilter(isKnownTx)),
      ),
  };
}
