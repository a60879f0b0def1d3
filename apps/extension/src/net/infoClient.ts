import type { z } from 'zod';

/** Default Hyperliquid API origin (the only exchange API host permission, SPEC §5). */
export const HL_API_BASE = 'https://api.hyperliquid.xyz';

/** A failed or rejected upstream response; the message names the request and what was wrong. */
export class UpstreamError extends Error {
  override name = 'Extension.UpstreamError';
}

/**
 * POSTs one info request and validates the JSON answer with `schema`.
 *
 * @throws {UpstreamError} on network failure, a non-2xx status, non-JSON, or a payload the
 *   schema rejects (the first issue's path is named).
 */
export async function postInfo<S extends z.ZodType>(params: {
  readonly fetch: typeof fetch;
  readonly apiBase: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly schema: S;
  readonly timeoutMs?: number;
}): Promise<z.infer<S>> {
  const { apiBase, body, schema } = params;
  const label = `info ${String(body.type)}${body.dex ? ` dex=${String(body.dex)}` : ''}`;
  let res: Response;
  try {
    res = await params.fetch(`${apiBase}/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(params.timeoutMs ?? 8000),
    });
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
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UpstreamError(
      `${label}: unexpected payload at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/**
 * GETs `url` and validates the JSON answer (used for the watcher).
 *
 * @throws {UpstreamError} like {@link postInfo}.
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
