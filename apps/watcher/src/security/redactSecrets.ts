/** Path segments that look like API keys (long runs of letters/digits), as Alchemy/Infura put them. */
const KEYLIKE_SEGMENT = /^[A-Za-z0-9_-]{20,}$/;

/**
 * An RPC or webhook URL without what usually holds a secret: user info, query string, fragment,
 * and key-like path segments (≥ 20 letters/digits) are replaced by `…`. Public endpoints such as
 * `https://arb1.arbitrum.io/rpc` stay readable.
 *
 * @example redactUrlSecrets('https://arb-mainnet.g.alchemy.com/v2/abcdefghijklmnopqrstuv') // 'https://arb-mainnet.g.alchemy.com/v2/…'
 */
export function redactUrlSecrets(url: string): string {
  if (!URL.canParse(url)) return '(invalid url)';
  const u = new URL(url);
  const path = u.pathname
    .split('/')
    .map((seg) => (KEYLIKE_SEGMENT.test(seg) ? '…' : seg))
    .join('/');
  return `${u.protocol}//${u.host}${path}${u.search ? '?…' : ''}`;
}

/** Redacts every http(s)/ws(s) URL inside free text (error messages quote request URLs). */
export function redactUrlsInText(text: string): string {
  return text.replace(/\b(?:https?|wss?):\/\/[^\s"'<>)]+/g, (m) => redactUrlSecrets(m));
}

/**
 * The label an RPC endpoint carries in metrics: its position and host only (`1:arb1.arbitrum.io`),
 * the same redaction as {@link redactUrlSecrets} without the path, so dashboards keep one series per
 * endpoint however its key changes.
 *
 * @example rpcHostLabel('https://arb-mainnet.g.alchemy.com/v2/KEY', 1) // '1:arb-mainnet.g.alchemy.com'
 */
export function rpcHostLabel(url: string, position: number): string {
  return `${position}:${URL.canParse(url) ? new URL(url).host : 'invalid-url'}`;
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
 * kept, each through {@link redactUrlsInText}.
 *
 * @example logger.error({ err: redactError(error) }, 'chain poll failed');
 */
export function redactError(error: unknown, depth = 0): RedactedError {
  if (!(error instanceof Error)) {
    return { type: typeof error, message: redactUrlsInText(String(error)) };
  }
  const out: RedactedError = {
    type: error.name || error.constructor?.name || 'Error',
    message: redactUrlsInText(error.message),
  };
  if (error.stack !== undefined) out.stack = redactUrlsInText(error.stack);
  if (error.cause !== undefined && depth < 3) {
    out.cause =
      error.cause instanceof Error
        ? redactError(error.cause, depth + 1)
        : redactUrlsInText(String(error.cause));
  }
  return out;
}
