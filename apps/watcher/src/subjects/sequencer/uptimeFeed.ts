import { type ChainRpc, errorText } from './chainRpc.js';
import type { FeedReading } from './chainStateRecord.js';

/** `latestRoundData()` selector of AggregatorV3Interface. */
export const LATEST_ROUND_DATA = '0xfeaf968c' as const;

/** The decoded `latestRoundData()` words the watcher uses (`answer`: 0 = up, 1 = down). */
export type RoundData = { answer: bigint; startedAt: bigint; updatedAt: bigint };

/** Decodes the five 32-byte words of `latestRoundData()`. @throws on a short answer. */
export function decodeRoundData(hex: string): RoundData {
  const body = hex.slice(2);
  if (body.length < 64 * 5)
    throw new Error(`latestRoundData returned ${body.length / 2} bytes, expected 160`);
  const word = (i: number) => BigInt(`0x${body.slice(i * 64, (i + 1) * 64)}`);
  let answer = word(1);
  if (answer >= 1n << 255n) answer -= 1n << 256n; // int256
  return { answer, startedAt: word(2), updatedAt: word(3) };
}

/**
 * Interprets a round with Chainlink's grace-period logic (research/sequencer.md §1.3, §1.6):
 * `answer == 1` → down; `answer == 0` and `now − startedAt <= grace` → grace; `answer == 0` after the
 * grace period → up. `startedAt == 0` (uninitialised Arbitrum feed), a `startedAt` in the future, or
 * any other answer → unknown, never up.
 *
 * @example interpretRound({ answer: 0n, startedAt: 1_700_000_000n, updatedAt: 1_700_000_000n }, { nowMs, graceSeconds: 3600 })
 */
export function interpretRound(
  round: RoundData,
  params: { nowMs: number; graceSeconds: number },
): Omit<FeedReading, 'readAt' | 'error'> & { error: string | null } {
  const startedAt = Number(round.startedAt);
  const base = {
    answer: Number(round.answer),
    startedAt,
    updatedAt: Number(round.updatedAt),
    graceEndsAt: null,
  };
  const nowSeconds = params.nowMs / 1000;
  if (round.startedAt === 0n)
    return { ...base, state: 'unknown', error: 'startedAt is 0 (feed not initialised)' };
  // Allow a little skew between the watcher clock and L1 time before calling a timestamp "future".
  if (startedAt > nowSeconds + 300)
    return { ...base, state: 'unknown', error: 'startedAt is in the future' };
  if (round.answer === 1n) return { ...base, state: 'down', error: null };
  if (round.answer !== 0n)
    return { ...base, state: 'unknown', error: `unexpected answer ${round.answer}` };
  const graceEnd = startedAt + params.graceSeconds;
  if (nowSeconds <= graceEnd)
    return { ...base, state: 'grace', graceEndsAt: graceEnd * 1000, error: null };
  return { ...base, state: 'up', error: null };
}

/** Reads and interprets the feed; a revert or transport error gives `unknown`. */
export async function readUptimeFeed(params: {
  rpc: ChainRpc;
  address: `0x${string}`;
  nowMs: number;
  graceSeconds: number;
}): Promise<FeedReading> {
  try {
    const hex = await params.rpc.call({ to: params.address, data: LATEST_ROUND_DATA });
    const r = interpretRound(decodeRoundData(hex), params);
    return { ...r, readAt: params.nowMs };
  } catch (error) {
    return {
      state: 'unknown',
      answer: null,
      startedAt: null,
      updatedAt: null,
      graceEndsAt: null,
      readAt: params.nowMs,
      error: `latestRoundData failed: ${errorText(error)}`,
    };
  }
}
