import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { isLoopbackHostHeader } from './loopbackHostGuard.js';
import { isLoopbackHost } from './securityConfig.js';

/**
 * Who sent a request, as far as the watcher can tell.
 * - `ip`: the client address used for rate limits and SSE caps: the TCP peer, or — when the peer
 *   is a trusted proxy — the rightmost `X-Forwarded-For` entry that is not a trusted proxy.
 *   `null` for in-process `app.request` calls (no socket).
 * - `direct`: the request came from a loopback socket (or no socket) with no forwarding header and
 *   a loopback `Host`: a process on this machine calling the watcher itself, not through a proxy.
 *   Only direct requests get the loopback privileges (admin without a token, no rate limit).
 */
export type RequestClient = { ip: string | null; direct: boolean };

/** How the {@link RequestClient} of a request is found; injectable for tests. */
export type ClientResolver = (c: Context) => RequestClient;

/** Headers a reverse proxy adds; any of them makes a request "forwarded". */
const FORWARDING_HEADERS = [
  'x-forwarded-for',
  'forwarded',
  'x-real-ip',
  'x-forwarded-host',
  'x-forwarded-proto',
  'via',
] as const;

/** `::ffff:127.0.0.1` → `127.0.0.1`; brackets removed. */
export function normalizeIp(ip: string): string {
  return ip
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

/**
 * A matcher for `security.trustProxy` entries: addresses (`127.0.0.1`, `::1`) or CIDR ranges
 * (`10.0.0.0/8`, `fd00::/8`).
 *
 * @throws {Error} naming the entry when it is neither (the config schema checks first).
 */
export function trustedProxyMatcher(entries: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [addr = '', prefix] = entry.split('/');
    const family = isIP(addr);
    if (family === 0) throw new Error(`trustProxy: "${entry}" is not an IP address or CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(prefix), type);
  }
  // No proxy configured (the default): nothing to match, and no BlockList lookup per request.
  if (entries.length === 0) return () => false;
  return (ip) => {
    const a = normalizeIp(ip);
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** True when `entry` is a valid `security.trustProxy` entry (address or CIDR range). */
export function isTrustProxyEntry(entry: string): boolean {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry);
  if (!m?.[1]) return false;
  const family = isIP(m[1]);
  if (family === 0) return false;
  return m[2] === undefined || Number(m[2]) <= (family === 4 ? 32 : 128);
}

function socketPeer(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/**
 * The resolver for a running server: `trustProxy` lists the reverse proxies whose
 * `X-Forwarded-For` is believed. Their entries are walked from the right (the proxy appends the
 * address it saw) and the first address that is not itself a trusted proxy is the client; what a
 * client wrote further left is never used, so a spoofed `X-Forwarded-For: 127.0.0.1` neither
 * picks a rate-limit bucket nor earns the loopback exemption. Results are cached per request.
 *
 * @example const client = clientResolver({ trustProxy: ['127.0.0.1', '::1'] })(c);
 */
export function clientResolver(p: { trustProxy: readonly string[] }): ClientResolver {
  const trusted = trustedProxyMatcher(p.trustProxy);
  const cache = new WeakMap<Request, RequestClient>();
  /** Socket peer as reported → normalised, and whether it is loopback. */
  const peers = new Map<string, { peer: string; loopback: boolean }>();
  return (c) => {
    const hit = cache.get(c.req.raw);
    if (hit) return hit;
    const peerRaw = socketPeer(c);
    const known = peerRaw === null ? undefined : peers.get(peerRaw);
    let peer: string | null = null;
    let loopbackPeer = true;
    if (known !== undefined) ({ peer, loopback: loopbackPeer } = known);
    else if (peerRaw !== null) {
      peer = normalizeIp(peerRaw);
      loopbackPeer = isLoopbackHost(peer);
      // The same few peers ask again and again (a poller's keep-alive sockets): bounded.
      if (peers.size >= 1024) peers.clear();
      peers.set(peerRaw, { peer, loopback: loopbackPeer });
    }
    const forwarded = FORWARDING_HEADERS.some((h) => c.req.header(h) !== undefined);
    const host = c.req.header('host');
    const direct = !forwarded && loopbackPeer && (host === undefined || isLoopbackHostHeader(host));
    let ip = peer;
    if (peer !== null && trusted(peer)) {
      const hops = (c.req.header('x-forwarded-for') ?? '')
        .split(',')
        .map((s) => normalizeIp(s))
        .filter((s) => s.length > 0);
      // Rightmost first; if every hop is a trusted proxy the leftmost one is the client.
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hops[i]!.slice(0, 64);
        ip = hop;
        if (!trusted(hop)) break;
      }
    }
    const client = { ip, direct };
    cache.set(c.req.raw, client);
    return client;
  };
}
