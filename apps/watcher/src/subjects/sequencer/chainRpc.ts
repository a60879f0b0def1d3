import { BaseError, createPublicClient, type Hex, http, RpcRequestError } from 'viem';
import { z } from 'zod';
import { MalformedPayloadError } from '../../errors.js';
import { redactUrlsInText } from '../../security/redactSecrets.js';

const Quantity = z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, 'hex quantity');
const Hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, '32-byte hash');

/** The fields of `eth_getBlockByNumber(…, false)` the watcher uses; anything else is rejected. */
const RpcBlock = z.object({
  number: Quantity,
  hash: Hash,
  parentHash: Hash,
  timestamp: Quantity,
  transactions: z.array(z.string()),
});

/** A block as read from an RPC (validated). `timestamp` is Unix seconds. */
export type ObservedBlock = {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
  txCount: number;
};

/** Result of sending the intentionally invalid transaction. */
export type ProbeAnswer =
  | { kind: 'rejected'; message: string }
  | { kind: 'accepted'; hash: string }
  | { kind: 'failed'; message: string };

/**
 * The RPC reads one endpoint serves to the watcher. Injected (see {@link createChainRpc}) so tests
 * can substitute endpoints; in the product it is a viem client over HTTP.
 */
export type ChainRpc = {
  readonly url: string;
  /** `null` when the node answers `null` (unknown tag or number). @throws on transport/RPC errors or garbage. */
  getBlock(tag: 'latest' | 'safe' | 'finalized' | number): Promise<ObservedBlock | null>;
  /** `eth_call` at latest. @throws on revert and transport errors. */
  call(params: { to: Hex; data: Hex }): Promise<Hex>;
  /** Sends a raw transaction, classifying the answer: a JSON-RPC error means the endpoint is alive. */
  sendRawTransaction(raw: Hex): Promise<ProbeAnswer>;
};

/** Creates the {@link ChainRpc} for one endpoint. */
export type ChainRpcFactory = (params: { url: string; timeoutMs: number }) => ChainRpc;

/**
 * Short, single-line error text for logs, the database and the API, with every URL in it redacted
 * (`redactUrlsInText`): RPC URLs often carry provider API keys, and error texts end up in logs,
 * `/v1/chains/{id}`, status reasons, events and alerts.
 */
export function errorText(error: unknown): string {
  // viem's shortMessage is generic ("HTTP request failed."); its `details` names the cause.
  const msg =
    error instanceof BaseError
      ? error.details && error.details !== error.shortMessage
        ? `${error.shortMessage} ${error.details}`
        : error.shortMessage
      : (error as Error)?.message;
  // Redact before cutting: a cut could leave half a key that no longer looks like a URL.
  return redactUrlsInText(String(msg ?? error).split('\n')[0]!).slice(0, 200);
}

/**
 * The kind of malformed payload behind an error (`eth_getBlockByNumber`, `json`), or `null` when the
 * error is something else (transport, timeout, JSON-RPC error object).
 */
export function malformedKind(error: unknown): string | null {
  if (error instanceof MalformedPayloadError) return error.kind;
  // By name, not instanceof: the JSON parser's SyntaxError may come from another realm (fetch internals).
  if (
    error instanceof BaseError &&
    error.walk((e) => (e as Error | null)?.name === 'SyntaxError')
  ) {
    return 'json';
  }
  return null;
}

/** True when the endpoint answered with a JSON-RPC error object (as opposed to a transport failure). */
function isJsonRpcError(error: unknown): boolean {
  return error instanceof BaseError && error.walk((e) => e instanceof RpcRequestError) !== null;
}

/**
 * The default {@link ChainRpcFactory}: a viem public client per endpoint with `cacheTime: 0` and no
 * retries (the quorum, not the transport, decides what to believe).
 */
export const createChainRpc: ChainRpcFactory = ({ url, timeoutMs }) => {
  const client = createPublicClient({
    transport: http(url, { timeout: timeoutMs, retryCount: 0 }),
    cacheTime: 0,
  });
  return {
    url,
    async getBlock(tag) {
      const param = typeof tag === 'number' ? `0x${tag.toString(16)}` : tag;
      const raw = await client.request({
        method: 'eth_getBlockByNumber',
        params: [param as `0x${string}`, false],
      });
      if (raw === null) return null;
      const parsed = RpcBlock.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new MalformedPayloadError(
          'eth_getBlockByNumber',
          `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
        );
      }
      const b = parsed.data;
      return {
        number: Number.parseInt(b.number, 16),
        hash: b.hash,
        parentHash: b.parentHash,
        timestamp: Number.parseInt(b.timestamp, 16),
        txCount: b.transactions.length,
      };
    },
    async call({ to, data }) {
      const res = await client.request({ method: 'eth_call', params: [{ to, data }, 'latest'] });
      return z
        .string()
        .regex(/^0x[0-9a-fA-F]*$/)
        .parse(res) as Hex;
    },
    async sendRawTransaction(raw) {
      try {
        const hash = await client.request({ method: 'eth_sendRawTransaction', params: [raw] });
        return { kind: 'accepted', hash: String(hash) };
      } catch (error) {
        return isJsonRpcError(error)
          ? { kind: 'rejected', message: errorText(error) }
          : { kind: 'failed', message: errorText(error) };
      }
    },
  };
};
