import { type InfoRequestBody, type InfoTransport, requestLabel } from './createInfoClient.js';
import { HlHttpError } from './HyperliquidError.js';

/** Hyperliquid's public API origin: info requests go to `{HL_API_URL}/info`. */
export const HL_API_URL = 'https://api.hyperliquid.xyz';

/** Parameters of {@link createFetchTransport}. */
export type CreateFetchTransportParameters = {
  /** Base URL (`https://api.hyperliquid.xyz`); requests go to `{apiUrl}/info`, `{apiUrl}/explorer`. */
  apiUrl: string;
  fetch: typeof fetch;
  /** Per-request timeout, ms. Default 8 000. */
  timeoutMs?: number;
};

/**
 * An {@link InfoTransport} over plain `fetch`, for runtimes that do not carry the SDK (the
 * extension's service worker): `POST` with a JSON body, the JSON answer parsed.
 *
 * @throws {HlHttpError} naming the request (`Hyperliquid info clearinghouseState dex=xyz: HTTP 500`)
 *   on a network error or timeout, a non-2xx status (`status` set) or a body that is not JSON.
 */
export function createFetchTransport(params: CreateFetchTransportParameters): InfoTransport {
  return {
    async request(endpoint, payload, signal) {
      const label = requestLabel(endpoint, payload as InfoRequestBody);
      const timeout = AbortSignal.timeout(params.timeoutMs ?? 8000);
      let res: Response;
      try {
        res = await params.fetch(`${params.apiUrl}/${endpoint}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        throw new HlHttpError(
          `${label}: network error (${error instanceof Error ? error.message : String(error)})`,
          null,
        );
      }
      if (!res.ok) throw new HlHttpError(`${label}: HTTP ${res.status}`, res.status);
      try {
        return (await res.json()) as unknown;
      } catch {
        throw new HlHttpError(`${label}: response is not JSON`, res.status);
      }
    },
  };
}
