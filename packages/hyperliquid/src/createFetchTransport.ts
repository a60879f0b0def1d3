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
  /**
   * Called with the size of each body chunk `requestChunks` hands over, after its consumer is done
   * with it (the watcher paces young-generation GCs by the bytes read: `collectYoungGarbage.ts`).
   */
  onChunkRead?: (bytes: number) => void;
};

/**
 * An {@link InfoTransport} over plain `fetch`, for runtimes that do not carry the SDK (the
 * extension's service worker) and for answers read as they arrive (the watcher's explorer polls):
 * `POST {apiUrl}/info` or `{rpcUrl}/explorer` with a JSON body, the answer parsed (`request`) or
 * handed over chunk by chunk (`requestChunks`).
 *
 * @throws {HlHttpError} naming the request (`Hyperliquid info clearinghouseState dex=xyz: HTTP 500`)
 *   on a network error or timeout (also while the body is read, from `requestChunks`' iterator),
 *   a non-2xx status (`status` set) or a body that is not JSON.
 */
export function createFetchTransport(params: CreateFetchTransportParameters): InfoTransport {
  const networkError = (label: string, error: unknown) =>
    new HlHttpError(
      `${label}: network error (${error instanceof Error ? error.message : String(error)})`,
      null,
    );

  /** Sends the request; resolves with a 2xx response whose body is still unread. */
  async function send(
    endpoint: 'info' | 'explorer',
    payload: unknown,
    label: string,
    signal?: AbortSignal,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(params.timeoutMs ?? 8000);
    const base = endpoint === 'explorer' ? (params.rpcUrl ?? params.apiUrl) : params.apiUrl;
    let res: Response;
    try {
      res = await params.fetch(`${base}/${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw networkError(label, error);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new HlHttpError(`${label}: HTTP ${res.status}`, res.status);
    }
    return res;
  }

  /** The body's chunks; a failed read (reset, timeout) is a network error naming the request. */
  async function* chunksOf(res: Response, label: string): AsyncGenerator<Uint8Array> {
    const reader = res.body?.getReader();
    if (!reader) return;
    let done = false;
    try {
      for (;;) {
        let read: Awaited<ReturnType<typeof reader.read>>;
        try {
          read = await reader.read();
        } catch (error) {
          throw networkError(label, error);
        }
        if (read.done) {
          done = true;
          return;
        }
        yield read.value;
        params.onChunkRead?.(read.value.byteLength);
      }
    } finally {
      // The consumer stopped early (or a read failed): release the connection.
      if (!done) await reader.cancel().catch(() => {});
    }
  }

  return {
    async requestChunks(endpoint, payload, signal) {
      const label = requestLabel(endpoint, payload as InfoRequestBody);
      const res = await send(endpoint, payload, label, signal);
      return { status: res.status, chunks: chunksOf(res, label) };
    },
    async request(endpoint, payload, signal) {
      const label = requestLabel(endpoint, payload as InfoRequestBody);
      const res = await send(endpoint, payload, label, signal);
      let text: string;
      try {
        text = await res.text();
      } catch (error) {
        throw networkError(label, error);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new HlHttpError(`${label}: response is not JSON`, res.status);
      }
    },
  };
}
