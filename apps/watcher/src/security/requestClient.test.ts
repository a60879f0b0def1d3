import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientResolver, isTrustProxyEntry, type RequestClient } from './requestClient.js';

/** Resolves the client of one request from `peer` (the socket address) with `headers`. */
async function resolve(
  trustProxy: readonly string[],
  peer: string | null,
  headers: Record<string, string> = {},
): Promise<RequestClient> {
  const resolver = clientResolver({ trustProxy });
  let seen: RequestClient | undefined;
  const app = new Hono().get('/', (c) => {
    seen = resolver(c);
    return c.text('ok');
  });
  // @hono/node-server's getConnInfo reads the socket from the bindings; none = in-process call.
  const env = peer === null ? undefined : { incoming: { socket: { remoteAddress: peer } } };
  await app.request('/', { headers }, env);
  return seen!;
}

describe('clientResolver (security.trustProxy)', () => {
  it('uses the socket peer when it is not a trusted proxy, whatever X-Forwarded-For says', async () => {
    expect(await resolve([], '198.51.100.7', { 'x-forwarded-for': '127.0.0.1' })).toEqual({
      ip: '198.51.100.7',
      direct: false,
    });
    expect(await resolve(['10.0.0.0/8'], '192.0.2.1', { 'x-forwarded-for': '1.2.3.4' })).toEqual({
      ip: '192.0.2.1',
      direct: false,
    });
  });

  it('takes the rightmost untrusted entry behind trusted proxies (addresses and CIDR)', async () => {
    const trust = ['127.0.0.1', '10.0.0.0/8', '::1'];
    const xff = { 'x-forwarded-for': '127.0.0.1, 203.0.113.9, 10.1.2.3' };
    expect(await resolve(trust, '::ffff:127.0.0.1', xff)).toEqual({
      ip: '203.0.113.9',
      direct: false,
    });
    expect(await resolve(trust, '::1', { 'x-forwarded-for': '2001:db8::5' })).toEqual({
      ip: '2001:db8::5',
      direct: false,
    });
    // Every hop trusted: the leftmost is the client (a local client through the proxy).
    expect(await resolve(trust, '127.0.0.1', { 'x-forwarded-for': '10.0.0.1, 127.0.0.1' })).toEqual(
      { ip: '10.0.0.1', direct: false },
    );
  });

  it('calls a request direct only from loopback without forwarding headers and with a loopback Host', async () => {
    expect(await resolve([], '127.0.0.1')).toEqual({ ip: '127.0.0.1', direct: true });
    expect(await resolve([], '::1', { host: 'localhost:8787' })).toEqual({
      ip: '::1',
      direct: true,
    });
    expect(await resolve([], null)).toEqual({ ip: null, direct: true });
    for (const h of ['forwarded', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-proto', 'via'])
      expect((await resolve([], '127.0.0.1', { [h]: 'x' })).direct, h).toBe(false);
    expect((await resolve([], '127.0.0.1', { host: 'status.example.com' })).direct).toBe(false);
    expect((await resolve([], '192.168.1.2')).direct).toBe(false);
  });

  it('validates trustProxy entries', () => {
    for (const ok of ['127.0.0.1', '::1', '10.0.0.0/8', 'fd00::/8', '0.0.0.0/0'])
      expect(isTrustProxyEntry(ok), ok).toBe(true);
    for (const bad of ['proxy.local', '10.0.0.0/33', '::1/129', '1.2.3', '', '10.0.0.0/'])
      expect(isTrustProxyEntry(bad), bad).toBe(false);
  });
});
