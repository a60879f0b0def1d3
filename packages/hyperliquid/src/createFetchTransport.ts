import { type InfoRequestBody, type InfoTransport, requestLabel } from './createInfoClient.js';
import { HlHttpError } from './HyperliquidError.js';

/** Hyperliquid's public API origin: info requests go to `{HL_API_URL}/info`. */
export const HL_API_URL = 'https://api.hyperliquid.xyz';

/** Parameters of {@link createFetchTransport}. */
export type CreateFetchTransportParameters = {
  /** Base URL (`https://api.hyperliquid.xyz`); info requests go to `{apiUrl}/info`. */
  apiUrl: string;
  /** Base URL of the explorer (`https://rpc.hyperliquid.xyz`, as the SDK's `rpcUrl`); default `apiUrl`. */
  rpcUrl?: string;
  fetch: typeof fetch;
  /** Per-request timeout, ms. Default 8 000. */
  timeoutMs?: number;
};

/**
 * An {@link InfoTransport} over plain `fetch`, for runtimes that do not carry the SDK (the
 * extension's service worker) and for answers read as text (the watcher's explorer polls):
 * `POST {apiUrl}/info` or `{rpcUrl}/explorer` with a JSON body, the answer parsed (`request`) or
 * as text (`requestText`).
 *
 * @throws {HlHttpError} naming the request (`Hyperliquid info clearinghouseState dex=xyz: HTTP 500`)
 *   on a network error or timeout (also while the body is read), a non-2xx status (`status` set)
 *   or a body that is not JSON.
 */
export function createFetchTransport(params: CreateFetchTransportParameters): InfoTransport {
  async function requestText(
    endpoint: 'info' | 'explorer',
    payload: unknown,
    signal?: AbortSignal,
  ): Promise<{ status: number; text: string }> {
    const label = requestLabel(endpoint, payload as InfoRequestBody);
    const timeout = AbortSignal.timeout(params.timeoutMs ?? 8000);
    const base = endpoint === 'explorer' ? (params.rpcUrl ?? params.apiUrl) : params.apiUrl;
    const networkError = (error: unknown) =>
      new HlHttpError(
        `${label}: network error (${error instanceof Error ? error.message : String(error)})`,
        null,
      );
    let res: Response;
    try {
      res = await params.fetch(`${base}/${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw networkError(error);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new HlHttpError(`${label}: HTTP ${res.status}`, res.status);
    }
    try {
      return { status: res.status, text: await res.text() };
    } catch (error) {
      throw networkError(error);
    }
  }
  return {
    requestText,
    async request(endpoint, payload, signal) {
      const { status, text } = await requestText(endpoint, payload, signal);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        const label = requestLabel(endpoint, payload as InfoRequestBody);
        throw new HlHttpError(`${label}: response is not JSON`, status);
      }
    },
  };
}
