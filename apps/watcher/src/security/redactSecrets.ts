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
