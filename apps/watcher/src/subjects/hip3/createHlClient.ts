import { ExplorerClient, HttpTransport, InfoClient } from '@nktkas/hyperliquid';
import type { z } from 'zod';
import { WatcherError } from '../../errors.js';
import {
  HlL2Book,
  HlMetaAndAssetCtxs,
  HlPerpDexLimits,
  HlPerpDexs,
  HlPerpsAtOpenInterestCap,
  HlUserDetails,
} from './hlSchemas.js';
import type { PayloadCounters } from './payloadCounters.js';
import { infoRequestWeight, type WeightAccountant } from './weightAccountant.js';

/** A REST request was not sent because it would exceed the weight budget. */
export class Hip3BudgetError extends WatcherError {
  override name = 'Watcher.Hip3BudgetError';
  constructor(
    readonly requestType: string,
    readonly retryAfterMs: number,
  ) {
    super(`Hyperliquid ${requestType}: weight budget exhausted, retry in ${retryAfterMs} ms`);
  }
}

/** A Hyperliquid response failed its schema: counted, logged once per kind, never stored. */
export class Hip3PayloadError extends WatcherError {
  override name = 'Watcher.Hip3PayloadError';
  constructor(
    readonly requestType: string,
    readonly issue: string,
  ) {
    super(`Hyperliquid ${requestType}: malformed response (${issue})`);
  }
}

/** Parameters of {@link createHlClient}. */
export type CreateHlClientParameters = {
  /** Base URL of the info API (`https://api.hyperliquid.xyz`); requests go to `{apiUrl}/info`. */
  apiUrl: string;
  /** Base URL of the explorer (`https://rpc.hyperliquid.xyz`); requests go to `{url}/explorer`. */
  explorerUrl: string;
  accountant: WeightAccountant;
  counters: PayloadCounters;
  timeoutMs?: number;
};

/** The validated, budgeted Hyperliquid REST client of the HIP-3 watch. */
export type HlClient = ReturnType<typeof createHlClient>;

/** Formats the first zod issue as `path: message`. */
export function firstIssue(error: z.ZodError): string {
  const i = error.issues[0];
  return i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid';
}

/**
 * Wraps `@nktkas/hyperliquid` (HTTP) so every request is first charged to the weight accountant
 * and every response is validated by the zod schema derived from the recordings.
 *
 * @throws {Hip3BudgetError} when the budget has no room (nothing is sent).
 * @throws {Hip3PayloadError} when the response does not match its schema.
 * @throws the SDK's `HttpRequestError` on transport failures (HTTP 500 for an unknown dex...).
 */
export function createHlClient(params: CreateHlClientParameters) {
  const transport = new HttpTransport({
    apiUrl: params.apiUrl,
    rpcUrl: params.explorerUrl,
    timeout: params.timeoutMs ?? 10_000,
  });
  const info = new InfoClient({ transport });
  const explorer = new ExplorerClient({ transport });

  async function call<S extends z.ZodType>(
    type: string,
    schema: S,
    send: () => Promise<unknown>,
  ): Promise<z.output<S>> {
    const weight = infoRequestWeight(type);
    if (!params.accountant.tryAcquire(weight)) {
      throw new Hip3BudgetError(type, params.accountant.waitMs(weight));
    }
    const raw = await send();
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      params.counters.reject(`rest.${type}`, issue);
      throw new Hip3PayloadError(type, issue);
    }
    return parsed.data;
  }

  return {
    perpDexs: () => call('perpDexs', HlPerpDexs, () => info.perpDexs()),
    metaAndAssetCtxs: (dex: string) =>
      call('metaAndAssetCtxs', HlMetaAndAssetCtxs, () => info.metaAndAssetCtxs({ dex })),
    perpDexLimits: (dex: string) =>
      call('perpDexLimits', HlPerpDexLimits, () => info.perpDexLimits({ dex })),
    perpsAtOpenInterestCap: (dex: string) =>
      call('perpsAtOpenInterestCap', HlPerpsAtOpenInterestCap, () =>
        info.perpsAtOpenInterestCap({ dex }),
      ),
    l2Book: (coin: string) =>
      call('l2Book', HlL2Book.nullable(), () => info.l2Book({ coin, nSigFigs: null })),
    userDetails: (user: `0x${string}`) =>
      call('userDetails', HlUserDetails, () => explorer.userDetails({ user })),
  };
}
