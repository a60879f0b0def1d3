import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the test sink received. */
export type SinkHit = { path: string; headers: IncomingHttpHeaders; body: unknown; status: number };

/** A running local HTTP sink. */
export type TestSinkServer = {
  url: string;
  hits: SinkHit[];
  /** Status codes to answer with, consumed in order; afterwards `defaultStatus`. */
  script: number[];
  defaultStatus: number;
  close(): Promise<void>;
};

/**
 * A real HTTP server on 127.0.0.1 that records every POSTed JSON body and answers with scripted
 * status codes. Used by the alert tests (and the e2e suite) in place of Slack/Discord/Telegram.
 */
export async function startTestSinkServer(): Promise<TestSinkServer> {
  const sink: Omit<TestSinkServer, 'url' | 'close'> = { hits: [], script: [], defaultStatus: 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = sink.script.shift() ?? sink.defaultStatus;
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      sink.hits.push({ path: req.url ?? '/', headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(sink, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
