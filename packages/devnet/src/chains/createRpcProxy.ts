import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A fault an RPC endpoint can be switched into:
 * - `none`: healthy pass-through;
 * - `timeout`: accepts the request and never answers (the socket is held open);
 * - `http500`: answers `500 Internal Server Error` with a plain-text body;
 * - `garbage`: answers `200` with `content-type: application/json` and an unparsable body;
 * - `stale`: a replica stuck at the head it had when the fault was set (`eth_blockNumber` and
 *   `eth_getBlockByNumber('latest' | 'pending' | 'safe' | 'finalized' | n)` never go past it).
 */
export type ChainFault = 'none' | 'timeout' | 'http500' | 'garbage' | 'stale';

/** The chain-level behaviour a proxy consults on each request. */
export type RpcProxyHooks = {
  /** Block number a `safe`/`finalized` tag resolves to, given the head the proxy serves. */
  resolveBlockTag(tag: 'safe' | 'finalized', head: bigint): bigint;
  /** True while the sequencer does not accept transactions (a halt): sends are held unanswered. */
  holdsTransactions(): boolean;
};

/** Parameters of {@link createRpcProxy}. */
export type CreateRpcProxyParameters = {
  /** JSON-RPC URL the proxy forwards to (the anvil node). */
  upstreamUrl: string;
  hooks: RpcProxyHooks;
};

/** A running proxy endpoint. */
export type RpcProxy = {
  readonly url: string;
  readonly fault: ChainFault;
  setFault(fault: ChainFault): void;
  /**
   * Serves another node from now on (`null`: back to `upstreamUrl`) — e.g. a node on a fork of the
   * chain. Faults still apply on top.
   */
  setUpstream(url: string | null): void;
  close(): Promise<void>;
};

type JsonRpcRequest = { jsonrpc?: string; id?: unknown; method?: unknown; params?: unknown };
type JsonRpcResponse = Record<string, unknown>;

const SEND_METHODS = new Set(['eth_sendRawTransaction', 'eth_sendTransaction']);
/** Deliberately broken JSON: truncated object with a trailing garbage token. */
const GARBAGE_BODY = '{"jsonrpc":"2.0","id":1,"result":0x<html>upstream went away';

const toHex = (n: bigint) => `0x${n.toString(16)}`;

/**
 * Starts a small JSON-RPC HTTP proxy on 127.0.0.1 in front of an anvil node. It rewrites the
 * `safe`/`finalized` tags of `eth_getBlockByNumber` to concrete numbers (anvil's own tags trail
 * `latest` by a fixed depth and cannot be stalled, sequencer.md §5.1), supports batch requests,
 * and can be switched into a {@link ChainFault}.
 *
 * @example
 * const proxy = await createRpcProxy({ upstreamUrl: anvil.rpcUrl, hooks });
 * proxy.setFault('http500');
 */
export async function createRpcProxy(params: CreateRpcProxyParameters): Promise<RpcProxy> {
  const { hooks } = params;
  let upstreamUrl = params.upstreamUrl;
  let fault: ChainFault = 'none';
  let staleHead: Promise<bigint> | null = null;
  const sockets = new Set<Socket>();

  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const post = (body: string) =>
    new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        upstreamUrl,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  async function upstream(request: JsonRpcRequest): Promise<JsonRpcResponse> {
    try {
      return JSON.parse(await post(JSON.stringify(request))) as JsonRpcResponse;
    } catch (error) {
      return {
        jsonrpc: '2.0',
        id: request.id ?? null,
        error: { code: -32603, message: `devnet proxy: upstream failed: ${String(error)}` },
      };
    }
  }

  async function upstreamHead(): Promise<bigint> {
    const res = await upstream({ jsonrpc: '2.0', id: 0, method: 'eth_blockNumber', params: [] });
    if (typeof res.result !== 'string') {
      throw new Error(`devnet proxy: eth_blockNumber failed upstream: ${JSON.stringify(res)}`);
    }
    return BigInt(res.result);
  }

  async function handleOne(request: JsonRpcRequest): Promise<JsonRpcResponse> {
    const id = request.id ?? null;
    const frozen = fault === 'stale' && staleHead ? await staleHead : null;
    if (request.method === 'eth_blockNumber' && frozen !== null) {
      return { jsonrpc: '2.0', id, result: toHex(frozen) };
    }
    if (request.method === 'eth_getBlockByNumber' && Array.isArray(request.params)) {
      const [tag, ...rest] = request.params as unknown[];
      let number: bigint | null = null;
      if (tag === 'safe' || tag === 'finalized') {
        number = hooks.resolveBlockTag(tag, frozen ?? (await upstreamHead()));
      } else if (frozen !== null && (tag === 'latest' || tag === 'pending' || tag === undefined)) {
        number = frozen;
      } else if (frozen !== null && typeof tag === 'string' && tag.startsWith('0x')) {
        if (BigInt(tag) > frozen) return { jsonrpc: '2.0', id, result: null };
      }
      if (number !== null) {
        return upstream({ ...request, params: [toHex(number), ...rest] });
      }
    }
    return upstream(request);
  }

  function reply(res: ServerResponse, status: number, body: string, type = 'application/json') {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // Faults apply before parsing: a broken endpoint does not care what was asked.
    if (fault === 'timeout') return; // hold the socket; the client's own timeout must fire
    if (fault === 'http500') return reply(res, 500, 'Internal Server Error', 'text/plain');
    if (fault === 'garbage') return reply(res, 200, GARBAGE_BODY);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(
        res,
        200,
        JSON.stringify({
          jsonrpc: '2.0',
          id: null,
          error: { code: -32700, message: 'Parse error' },
        }),
      );
    }
    const batch = Array.isArray(body);
    const requests = (batch ? body : [body]) as JsonRpcRequest[];
    // A halted sequencer does not answer sends: hold them like a dead endpoint would.
    if (hooks.holdsTransactions() && requests.some((r) => SEND_METHODS.has(String(r?.method)))) {
      return;
    }
    const responses = await Promise.all(requests.map(handleOne));
    return reply(res, 200, JSON.stringify(batch ? responses : responses[0]));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 502, `devnet proxy error: ${String(error)}`, 'text/plain');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get fault() {
      return fault;
    },
    setFault(next: ChainFault) {
      if (next === 'stale' && fault !== 'stale') {
        staleHead = upstreamHead();
        // Surface a failed capture on the next request rather than as an unhandled rejection.
        staleHead.catch(() => {});
      }
      if (next !== 'stale') staleHead = null;
      fault = next;
    },
    setUpstream(url: string | null) {
      upstreamUrl = url ?? params.upstreamUrl;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
