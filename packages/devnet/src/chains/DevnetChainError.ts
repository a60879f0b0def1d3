/**
 * Error thrown by the devnet chain controls (`startDevnetChain`, `playScenario`, …). `name` is
 * stable (`'Devnet.ChainError'`) so callers can match on it; the message names the chain and what
 * was wrong.
 */
export class DevnetChainError extends Error {
  override readonly name = 'Devnet.ChainError';
}
