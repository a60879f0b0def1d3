import type { Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { ChainRpc } from './chainRpc.js';
import type { ProbeReading } from './chainStateRecord.js';

/**
 * Signs the probe transaction: legacy, gas limit 0 and gas price 0 from a fresh random key with no
 * funds, so no node can ever include it. A sequencer endpoint that is alive rejects it with a
 * JSON-RPC error ("intrinsic gas too low", "gas price too low", ...) — the Chainlink adapter's
 * method (research/sequencer.md §1.5).
 */
export async function signInvalidTransaction(chainId: number): Promise<Hex> {
  const account = privateKeyToAccount(generatePrivateKey());
  return account.signTransaction({
    type: 'legacy',
    chainId,
    nonce: 0,
    gas: 0n,
    gasPrice: 0n,
    to: '0x0000000000000000000000000000000000000000',
    value: 0n,
  });
}

/**
 * Sends the invalid transaction. `alive` when the endpoint answers with a JSON-RPC error (or,
 * oddly, accepts it); `failed` on timeouts, HTTP errors and garbage.
 */
export async function runInvalidTxProbe(params: {
  rpc: ChainRpc;
  raw: Hex;
  nowMs: number;
}): Promise<ProbeReading> {
  const answer = await params.rpc.sendRawTransaction(params.raw);
  switch (answer.kind) {
    case 'rejected':
      return {
        result: 'alive',
        at: params.nowMs,
        detail: `rejected as expected: ${answer.message}`,
      };
    case 'accepted':
      return {
        result: 'alive',
        at: params.nowMs,
        detail: `accepted an invalid transaction (${answer.hash})`,
      };
    case 'failed':
      return { result: 'failed', at: params.nowMs, detail: answer.message };
  }
}
