import type { z } from 'zod';

/** A failed or rejected watcher response; the message names the request and what was wrong. */
export class UpstreamError extends Error {
  override name = 'Extension.UpstreamError';
}

/**
 * GETs `url` and validates the JSON answer (used for the watcher; Hyperliquid requests go through
 * `@perpscope/hyperliquid`'s info client).
 *
 * @throws {UpstreamError} on network failure, a non-2xx status, non-JSON, or a payload the
 *   schema rejects (the first issue's path is named).
 */
export async function getJson<S extends z.ZodType>(params: {
  readonly fetch: typeof fetch;
  readonly url: string;
  readonly schema: S;
  readonly timeoutMs?: number;
}): Promise<z.infer<S>> {
  const label = `GET ${new URL(params.url).pathname}`;
  let res: Response;
  try {
    res = await params.fetch(params.url, { signal: AbortSignal.timeout(params.timeoutMs ?? 5000) });
  } catch (error) {
    throw new UpstreamError(
      `${label}: network error (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!res.ok) throw new UpstreamError(`${label}: HTTP ${res.status}`);
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new UpstreamError(`${label}: response is not JSON`);
  }
  const parsed = params.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UpstreamError(
      `${label}: unexpected payload at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
