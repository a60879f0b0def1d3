import { z } from 'zod';
import { watcherEndpoint } from '../net/watcherUrl.js';

/** What "Test connection" found, each with the sentence the options page shows. */
export type ConnectionResult =
  | {
      readonly kind: 'ok';
      /** The watcher's chains (`GET /v1/chains`): the ids the chain fields may use. */
      readonly chains: readonly WatcherChain[];
      /** Chain ids in the settings the watcher does not know (empty when all are known). */
      readonly unknownChains: readonly string[];
      readonly message: string;
    }
  | { readonly kind: 'down' | 'blocked' | 'wrong-url' | 'invalid-url'; readonly message: string };

/** One chain of the watcher's `/v1/chains` list. */
export interface WatcherChain {
  readonly key: string;
  readonly name: string;
  readonly chainId: number;
}

// Lenient on purpose: only the fields the options page uses (ChainList of @perpscope/schemas).
const chainListSchema = z.object({
  chains: z.array(z.object({ key: z.string(), name: z.string(), chainId: z.number() })),
});

/** Parameters of {@link testConnection}. */
export interface TestConnectionParameters {
  /** The watcher URL as typed (may carry a path prefix). */
  readonly watcherUrl: string;
  /** Chain ids the settings name (all sites). */
  readonly chainIds: readonly string[];
  /** The extension's own origin (`chrome-extension://<id>`, `moz-extension://<uuid>`). */
  readonly extensionOrigin: string;
  readonly fetch: typeof fetch;
  /** Time limit per request (ms). */
  readonly timeoutMs?: number;
}

/**
 * Tells apart why perpscope cannot read a watcher, with the exact fix for each: nothing listens
 * (`down`), something answers but the browser blocks the read — no host permission and the
 * watcher's CORS does not name this extension (`blocked`; an opaque `no-cors` request succeeds
 * where the normal one fails), the URL answers but is not a watcher (`wrong-url`), or the
 * settings name chain ids the watcher does not watch (`ok` with `unknownChains`).
 *
 * @example
 * const r = await testConnection({ watcherUrl: 'http://127.0.0.1:8787', chainIds: ['op-devnet'],
 *   extensionOrigin: location.origin, fetch });
 */
export async function testConnection(p: TestConnectionParameters): Promise<ConnectionResult> {
  let url: URL;
  try {
    url = watcherEndpoint(p.watcherUrl, 'v1/chains');
    if (!/^https?:$/.test(url.protocol)) throw new TypeError('not http(s)');
  } catch {
    return {
      kind: 'invalid-url',
      message: `"${p.watcherUrl}" is not an http(s) URL: write the watcher's address, e.g. http://127.0.0.1:8787`,
    };
  }
  const timeoutMs = p.timeoutMs ?? 5000;
  let res: Response;
  try {
    res = await p.fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    // Refused, unreachable, timed out — or CORS: only an opaque request tells these apart.
    try {
      await p.fetch(url, { mode: 'no-cors', signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      return {
        kind: 'down',
        message: `Watcher down: nothing answers at ${url.origin}. Start it (./scripts/watcher.sh runs the demo on port 8787) or correct the host and port.`,
      };
    }
    const firefox = p.extensionOrigin.startsWith('moz-extension://');
    const fix = firefox
      ? `security.corsOrigins: [${p.extensionOrigin}]`
      : `security.extensionIds: [${p.extensionOrigin.replace(/^chrome-extension:\/\//, '')}]`;
    return {
      kind: 'blocked',
      message: `Permission missing: the watcher at ${url.origin} answers, but the browser blocks perpscope from reading it (CORS). Fix: click "Grant access" (or Save) and allow ${url.hostname}, or add ${fix} to the watcher's config and restart it.`,
    };
  }
  let list: z.infer<typeof chainListSchema> | null = null;
  if (res.ok) {
    try {
      const parsed = chainListSchema.safeParse(await res.json());
      list = parsed.success ? parsed.data : null;
    } catch {
      list = null;
    }
  }
  if (!list)
    return {
      kind: 'wrong-url',
      message: `Wrong URL: ${url.href} answered ${res.ok ? 'with something that is not a perpscope watcher' : `HTTP ${res.status}`}. Use the watcher's root URL (as printed when it starts), including any path prefix.`,
    };
  const known = new Set(list.chains.map((c) => c.key));
  const unknownChains = [...new Set(p.chainIds)].filter((id) => !known.has(id));
  const watched = list.chains.map((c) => c.key).join(', ') || 'no chains';
  return {
    kind: 'ok',
    chains: list.chains,
    unknownChains,
    message:
      unknownChains.length > 0
        ? `Connected, but the watcher does not watch ${unknownChains.join(', ')}: those chain badges would stay "unknown". It watches: ${watched}.`
        : `Connected: the watcher watches ${watched}.`,
  };
}
