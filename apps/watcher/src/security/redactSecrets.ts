/**
 * Secret redaction by URL structure. RPC providers put API keys in the path (`/v2/KEY`), the query
 * (`?apikey=KEY`), user info (`user:pass@`) or a subdomain (`KEY.rpc.example`), in any shape —
 * short, JWT, base64, hex. Guessing which parts look secret leaked short keys, so a redacted URL
 * keeps only what identifies the endpoint: scheme, host and port. Path, query and fragment become
 * `…`, user info is dropped, and host labels left of the registrable domain (the last two labels)
 * that do not read like a name are masked.
 */

/**
 * A subdomain label that reads like a name (`arb-mainnet`, `base`, `eu1`): letters and dashes with
 * at most one trailing digit, up to 20 characters, or anything up to 4 characters (`arb1`, `g`).
 * Hex-looking labels (`deadbeefcafe`) are masked even when they are all letters.
 */
function isNameLikeLabel(label: string): boolean {
  if (label.length <= 4) return true;
  if (label.length > 20) return false;
  if (/^[a-f]+$/i.test(label) && label.length >= 8) return false;
  return /^[a-z]+(?:-[a-z]+)*[0-9]?$/i.test(label);
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** The host with key-like subdomain labels replaced by `…` (IP literals and 1–2 label names kept). */
function redactHost(host: string): string {
  if (host.startsWith('[') || IPV4.test(host)) return host;
  const labels = host.split('.');
  if (labels.length <= 2) return host;
  const keep = labels.length - 2;
  return labels.map((l, i) => (i >= keep || isNameLikeLabel(l) ? l : '…')).join('.');
}

const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i;

/**
 * An RPC or webhook URL reduced to what identifies the endpoint: `scheme://host[:port]`, then `/…`
 * for any path, `?…` for any query; user info and fragment are dropped and key-like subdomain
 * labels masked. Idempotent (a redacted URL stays as it is).
 *
 * @example redactUrlSecrets('https://user:pw@arb-mainnet.g.alchemy.com/v2/KEY?x=1') // 'https://arb-mainnet.g.alchemy.com/…?…'
 * @example redactUrlSecrets('https://3f9a2c41d8e7b605.rpc.example/') // 'https://….rpc.example/'
 */
export function redactUrlSecrets(url: string): string {
  const m = URL_PARTS.exec(url.trim());
  if (!m) return '(invalid url)';
  const [, scheme, authority = '', path = '', query] = m;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const portMatch = /^(.*?)(:\d+)?$/.exec(hostPort);
  const host = redactHost(portMatch?.[1] ?? hostPort);
  const port = portMatch?.[2] ?? '';
  const redactedPath = path === '' || path === '/' ? path : '/…';
  return `${scheme!.toLowerCase()}://${host}${port}${redactedPath}${query ? '?…' : ''}`;
}

/** Redacts every http(s)/ws(s) URL inside free text (error messages quote request URLs). */
export function redactUrlsInText(text: string): string {
  return text.replace(/\b(?:https?|wss?):\/\/[^\s"'<>)]+/gi, (m) => redactUrlSecrets(m));
}

/** Redacts text: URLs by structure, then the known secret fragments of the configured URLs. */
export type TextRedactor = (text: string) => string;

/**
 * The parts of `urls` that redaction masks and that are long or mixed enough to replace wherever
 * they appear in free text: user info, masked host labels, path segments and query values. Errors
 * quote them without the URL around them (`getaddrinfo ENOTFOUND <key>.rpc.example`, "invalid key
 * <key>").
 */
export function secretFragments(urls: readonly string[]): string[] {
  const out = new Set<string>();
  const add = (raw: string) => {
    let s = raw;
    try {
      s = decodeURIComponent(raw);
    } catch {
      // keep the raw form
    }
    for (const v of new Set([raw, s]))
      if (v.length >= 8 || (v.length >= 5 && /[0-9]/.test(v) && /[a-z]/i.test(v))) out.add(v);
  };
  for (const url of urls) {
    const m = URL_PARTS.exec(url.trim());
    if (!m) continue;
    const [, , authority = '', path = '', query = ''] = m;
    const at = authority.lastIndexOf('@');
    if (at >= 0) for (const part of authority.slice(0, at).split(':')) add(part);
    const host = authority.slice(at + 1).replace(/:\d+$/, '');
    const redacted = redactHost(host).split('.');
    host.split('.').forEach((label, i) => {
      // Resolvers and URL parsers quote host names lower-cased.
      if (redacted[i] === '…') for (const v of [label, label.toLowerCase()]) add(v);
    });
    for (const seg of path.split('/')) if (seg) add(seg);
    for (const pair of query.replace(/^\?/, '').split('&')) {
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value) add(value);
    }
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * A {@link TextRedactor} for the secrets of `urls`: URLs by structure ({@link redactUrlsInText}),
 * then every {@link secretFragments} occurrence replaced by `…`.
 *
 * @example createSecretRedactor(['https://k1a2b3c4.rpc.example/'])('getaddrinfo ENOTFOUND k1a2b3c4.rpc.example') // 'getaddrinfo ENOTFOUND ….rpc.example'
 */
export function createSecretRedactor(urls: readonly string[]): TextRedactor {
  const fragments = secretFragments(urls);
  return (text) => {
    let out = redactUrlsInText(text);
    for (const f of fragments) if (out.includes(f)) out = out.split(f).join('…');
    return out;
  };
}

/**
 * The label an RPC endpoint carries in metrics: its position and redacted host only
 * (`1:arb1.arbitrum.io`), so dashboards keep one series per endpoint however its key changes.
 *
 * @example rpcHostLabel('https://arb-mainnet.g.alchemy.com/v2/KEY', 1) // '1:arb-mainnet.g.alchemy.com'
 */
export function rpcHostLabel(url: string, position: number): string {
  const redacted = redactUrlSecrets(url);
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(redacted)?.[1];
  return `${position}:${host ?? 'invalid-url'}`;
}

/** An error as a log object — `type`, `message`, `stack`, `cause` — with every URL in them redacted. */
export type RedactedError = {
  type: string;
  message: string;
  stack?: string;
  cause?: RedactedError | string;
};

/**
 * Turns anything thrown into a {@link RedactedError} for the log: library errors (viem's
 * `HttpRequestError`, fetch failures) quote the full request URL, API key included, in their
 * message and stack, and carry it in fields such as `url`; only name, message, stack and cause are
 * kept, each through `redact` (default {@link redactUrlsInText}; pass the chain's
 * {@link createSecretRedactor} to also catch keys quoted without their URL).
 *
 * @example logger.error({ err: redactError(error) }, 'chain poll failed');
 */
export function redactError(
  error: unknown,
  redact: TextRedactor = redactUrlsInText,
  depth = 0,
): RedactedError {
  if (!(error instanceof Error)) {
    return { type: typeof error, message: redact(String(error)) };
  }
  const out: RedactedError = {
    type: error.name || error.constructor?.name || 'Error',
    message: redact(error.message),
  };
  if (error.stack !== undefined) out.stack = redact(error.stack);
  if (error.cause !== undefined && depth < 3) {
    out.cause =
      error.cause instanceof Error
        ? redactError(error.cause, redact, depth + 1)
        : redact(String(error.cause));
  }
  return out;
}
