import { HttpTransport } from '@nktkas/hyperliquid';
import {
  createInfoClient,
  type HlAccountMode,
  type HlClearinghouseState,
  type HlSpotClearinghouseState,
  type HlUserFill,
  type WeightAccountant,
} from '@perpscope/hyperliquid';
import type { PayloadCounters } from '../hip3/payloadCounters.js';

/**
 * What the position guard reads from a venue. The Hyperliquid adapter is {@link createHlPositionsSource};
 * benchmarks pass an in-memory one.
 */
export type PositionsSource = {
  /** Names of the HIP-3 dexes (the main dex `''` is not listed). */
  perpDexs(): Promise<string[]>;
  userAbstraction(user: `0x${string}`): Promise<HlAccountMode>;
  spotClearinghouseState(user: `0x${string}`): Promise<HlSpotClearinghouseState>;
  clearinghouseState(user: `0x${string}`, dex: string): Promise<HlClearinghouseState>;
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
 * The Hyperliquid info API through `@nktkas/hyperliquid`'s HTTP transport and
 * `@perpscope/hyperliquid`'s info client: each request is charged to the weight accountant first
 * (nothing is sent without room) and each answer is validated by that package's schemas.
 *
 * @throws {HlBudgetError} when the budget has no room (nothing sent).
 * @throws {HlPayloadError} when an answer fails its schema.
 * @throws the SDK's `HttpRequestError` on HTTP errors (429, 500...) and transport failures.
 */
export function createHlPositionsSource(p: CreateHlPositionsSourceParameters): PositionsSource {
  const hl = createInfoClient({
    transport: new HttpTransport({ apiUrl: p.apiUrl, timeout: p.timeoutMs ?? 10_000 }),
    budget: p.accountant,
    onReject: (type, issue) => p.counters.reject(`rest.${type}`, issue),
  });
  return {
    perpDexs: async () => (await hl.perpDexs()).flatMap((d) => (d ? [d.name] : [])),
    userAbstraction: (user) => hl.userAbstraction(user),
    spotClearinghouseState: (user) => hl.spotClearinghouseState(user),
    clearinghouseState: (user, dex) => hl.clearinghouseState(user, dex),
    meta: (dex) => hl.meta(dex),
    hourlyCloses: async (coin, startTime) =>
      (await hl.candleSnapshot({ coin, interval: '1h', startTime })).map((c) => c.c),
    // HL charges 1 more per 20 fills returned (research/hyperliquid.md §2.3): the client spends it.
    userFillsByTime: (user, startTime) => hl.userFillsByTime(user, startTime),
  };
}
