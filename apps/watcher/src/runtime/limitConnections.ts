import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** What {@link limitConnections} observed; for metrics and tests. */
export type ConnectionLimiterStats = {
  /** Sockets open now. */
  open(): number;
  /** Sockets closed because the cap was reached (evicted waiting ones and refused new ones). */
  dropped(): number;
};

/**
 * Caps the open sockets of `server` at `maxConnections`. Node's own `server.maxConnections`
 * refuses *new* connections at the cap, so a slow-header flood that fills it also locks out
 * `/healthz` probes until its sockets time out. Here a new connection instead closes the oldest
 * socket that has no request in progress (still sending headers, or idle between keep-alive
 * requests): a flood evicts itself and a client that sends its request promptly gets in. When
 * every socket is busy with a request (e.g. SSE streams), the new connection is closed.
 *
 * @example limitConnections(server, { maxConnections: 512 })
 */
export function limitConnections(
  server: Server,
  p: { maxConnections: number },
): ConnectionLimiterStats {
  const all = new Set<Socket>();
  // Insertion order = age: the first entry is the oldest socket without a request in progress.
  const waiting = new Set<Socket>();
  let dropped = 0;
  server.on('connection', (socket: Socket) => {
    if (all.size >= p.maxConnections) {
      const oldest = waiting.values().next().value;
      dropped++;
      if (oldest === undefined) {
        socket.destroy();
        return;
      }
      waiting.delete(oldest);
      all.delete(oldest);
      oldest.destroy();
    }
    all.add(socket);
    waiting.add(socket);
    socket.once('close', () => {
      all.delete(socket);
      waiting.delete(socket);
    });
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    waiting.delete(socket);
    res.once('finish', () => {
      // Back to idle keep-alive (newest again); a closed socket already left both sets.
      if (all.has(socket) && !socket.destroyed) waiting.add(socket);
    });
  });
  return { open: () => all.size, dropped: () => dropped };
}
