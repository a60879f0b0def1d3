import { HttpTransport, InfoClient } from '@nktkas/hyperliquid';
import type { z } from 'zod';
import { firstIssue, Hip3BudgetError, Hip3PayloadError } from '../hip3/createHlClient.js';
import { HlMeta, HlPerpDexs } from '../hip3/hlSchemas.js';
import type { PayloadCounters } from '../hip3/payloadCounters.js';
import { infoRequestWeight, type WeightAccountant } from '../hip3/weightAccountant.js';
import {
  HlAccountMode,
  HlCandles,
  HlClearinghouseState,
  HlSpotClearinghouseState,
  type HlUserFill,
  HlUserFills,
} from './positionSchemas.js';

/**
 * What the position guard reads from a venue. The Hyperliquid adapter is {@link createHlPositionsSource};
 * benchmarks pass an in-memory one.
 */
export type PositionsSource = {
  /** Names of the HIP-3 dexes (the main dex `''` is not listed). */
  perpDexs(): Promise<string[]>;
  userAbstraction(user: `0x${string}`): Promise<HlAccountMode>;
  spotClearinghouseState(user: `0x${string}`): Promise<z.output<typeof HlSpotClearinghouseState>>;
  clearinghouseState(
    user: `0x${string}`,
    dex: string,
  ): Promise<z.output<typeof HlClearinghouseState>>;
  /** A dex's `meta` (margin tables). */
  meta(dex: string): Promise<unknown>;
  /** Fills from `startTime` (ms), oldest first as HL answers. */
  userFillsByTime(user: `0x${string}`, startTime: number): Promise<HlUserFill[]>;
  /** Hourly closes of `coin` from `startTime` (ms), oldest first. */
  hourlyCloses(coin: string, startTime: number): Promise<string[]>;
};

/** Parameters of {@link createHlPositionsSource}. */
export type CreateHlPositionsSourceParameters = {
  /** Base URL of the info API; requests go to `{apiUrl}/info`. */
  apiUrl: string;
  /** Shared with the HIP-3 watch: HL's limit is per IP. */
  accountant: WeightAccountant;
  counters: PayloadCounters;
  timeoutMs?: number;
};

/**
 * The Hyperliquid info API through `@nktkas/hyperliquid` (HTTP): each request is charged to the
 * weight accountant first (nothing is sent without room) and each answer is validated by
 * `positionSchemas.ts`.
 *
 * @throws {Hip3BudgetError} when the budget has no room (nothing sent).
 * @throws {Hip3PayloadError} when an answer fails its schema.
 * @throws the SDK's `HttpRequestError` on HTTP errors (429, 500...) and transport failures.
 */
export function createHlPositionsSource(p: CreateHlPositionsSourceParameters): PositionsSource {
  const transport = new HttpTransport({ apiUrl: p.apiUrl, timeout: p.timeoutMs ?? 10_000 });
  const info = new InfoClient({ transport });
  async function call<S extends z.ZodType>(
    type: string,
    schema: S,
    send: () => Promise<unknown>,
  ): Promise<z.output<S>> {
    const weight = infoRequestWeight(type);
    if (!p.accountant.tryAcquire(weight))
      throw new Hip3BudgetError(type, p.accountant.waitMs(weight));
    const parsed = schema.safeParse(await send());
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      p.counters.reject(`rest.${type}`, issue);
      throw new Hip3PayloadError(type, issue);
    }
    return parsed.data;
  }
  return {
    perpDexs: async () =>
      (await call('perpDexs', HlPerpDexs, () => info.perpDexs())).flatMap((d) =>
        d ? [d.name] : [],
      ),
    userAbstraction: (user) =>
      call('userAbstraction', HlAccountMode, () => info.userAbstraction({ user })),
    spotClearinghouseState: (user) =>
      call('spotClearinghouseState', HlSpotClearinghouseState, () =>
        info.spotClearinghouseState({ user }),
      ),
    clearinghouseState: (user, dex) =>
      call('clearinghouseState', HlClearinghouseState, () =>
        info.clearinghouseState({ user, dex }),
      ),
    meta: (dex) => call('meta', HlMeta, () => info.meta({ dex })),
    hourlyCloses: async (coin, startTime) =>
      (
        await call('candleSnapshot', HlCandles, () =>
          info.candleSnapshot({ coin, interval: '1h', startTime }),
        )
      ).map((c) => c.c),
    userFillsByTime: async (user, startTime) => {
      const fills = await call('userFillsByTime', HlUserFills, () =>
        info.userFillsByTime({ user, startTime }),
      );
      // HL charges 1 more per 20 fills returned (research/hyperliquid.md §2.3): spent after the fact.
      const extra = Math.floor(fills.length / 20);
      if (extra > 0) p.accountant.tryAcquire(extra);
      return fills;
    },
  };
}
