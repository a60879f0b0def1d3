import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';

/** An HTTP + WebSocket pass-through proxy that can be switched into answering 500 to everything. */
export type FaultProxy = {
  url: string;
  wsUrl: string;
  /** `true`: every HTTP request gets 500, WS upgrades are refused and open tunnels are cut. */
  setFailing(on: boolean): void;
  readonly refused: number;
  close(): Promise<void>;
};

/**
 * Sits in front of the Hyperliquid replay server (`upstream` = its base URL) so a test can make
 * "the HL server return 500 for minutes": REST answers 500 and the WebSocket is dropped and refused.
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  let failing = false;
  let refused = 0;
  const tunnels = new Set<Socket>();
  const server = createServer(async (req, res) => {
    if (failing) {
      refused++;
      res
        .writeHead(500, { 'content-type': 'text/plain' })
        .end('upstream unavailable (fault injected)');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      const up = await fetch(new URL(req.url ?? '/', target), {
        method: req.method ?? 'GET',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        ...(chunks.length > 0 && { body: Buffer.concat(chunks) }),
      });
      res.writeHead(up.status, {
        'content-type': up.headers.get('content-type') ?? 'application/json',
      });
      res.end(Buffer.from(await up.arrayBuffer()));
    } catch {
      res.writeHead(502).end();
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (failing) {
      refused++;
      socket.end(
        'HTTP/1.1 500 Internal Server Error\r\nconnection: close\r\ncontent-length: 0\r\n\r\n',
      );
      return;
    }
    const up = connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    const drop = () => {
      up.destroy();
      socket.destroy();
      tunnels.delete(socket);
    };
    tunnels.add(socket);
    up.on('error', drop);
    socket.on('error', drop);
    up.on('close', drop);
    socket.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    setFailing(on) {
      failing = on;
      if (on) for (const s of tunnels) s.destroy();
    },
    get refused() {
      return refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of tunnels) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
