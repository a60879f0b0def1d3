import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running {@link startTestProxy}. */
export type TestProxy = { url: string; port: number; close(): Promise<void> };

/**
 * A reverse proxy on 127.0.0.1 (port 0) that forwards to `target` the way the nginx block in the
 * watcher README does: `Host $host` (the client's Host is kept) and
 * `X-Forwarded-For $proxy_add_x_forwarded_for` (the client's header, then the address the proxy
 * saw). Responses are streamed back unbuffered (`proxy_buffering off`), so SSE works through it.
 */
export async function startTestProxy(target: string): Promise<TestProxy> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const peer = req.socket.remoteAddress ?? '';
    const prior = req.headers['x-forwarded-for'];
    const headers: IncomingHttpHeaders = {
      ...req.headers,
      'x-forwarded-for': prior ? `${prior}, ${peer}` : peer,
    };
    const up = httpRequest(
      { hostname: to.hostname, port: to.port, path: req.url, method: req.method, headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One HTTP request with any headers (fetch cannot set `Host`); the whole body as text. */
export function rawRequest(
  base: string,
  p: { path: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: u.hostname,
        port: u.port,
        path: p.path,
        method: p.method ?? 'GET',
        headers: p.headers ?? {},
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(p.body);
  });
}
