/**
 * Error thrown by the devnet chain controls (`startDevnetChain`, `playScenario`, …). `name` is
 * stable (`'Devnet.ChainError'`) so callers can match on it; the message names the chain and what
 * was wrong, and `chain` carries the chain (or scenario) name when there is one.
 *
 * @example
 * try { await chain.reorg(0); } catch (e) { if (e instanceof DevnetChainError) console.log(e.chain); }
 */
export class DevnetChainError extends Error {
  override readonly name = 'Devnet.ChainError';
  /** Name of the chain (or scenario) the error is about, if any. */
  readonly chain: string | undefined;

  constructor(message: string, details: { chain?: string } = {}) {
    super(message);
    this.chain = details.chain;
  }
}
