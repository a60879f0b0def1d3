import { describe, expect, it } from 'vitest';
import { decodeRoundData, interpretRound } from './uptimeFeed.js';

const word = (v: bigint) => (v < 0n ? (1n << 256n) + v : v).toString(16).padStart(64, '0');
const encode = (answer: bigint, startedAt: bigint, updatedAt: bigint) =>
  `0x${word(1n)}${word(answer)}${word(startedAt)}${word(updatedAt)}${word(1n)}`;

const nowMs = 1_700_010_000_000;

describe('uptime feed (sequencer.md §1.2, §1.3, §1.6)', () => {
  it('decodes latestRoundData words, int256 answer included', () => {
    expect(decodeRoundData(encode(1n, 5n, 6n))).toEqual({
      answer: 1n,
      startedAt: 5n,
      updatedAt: 6n,
    });
    expect(decodeRoundData(encode(-2n, 5n, 6n)).answer).toBe(-2n);
    expect(() => decodeRoundData('0x1234')).toThrow(/expected 160/);
  });

  it('answer 1 is down (the inverted convention)', () => {
    expect(
      interpretRound(
        { answer: 1n, startedAt: 1_700_000_000n, updatedAt: 1_700_000_000n },
        { nowMs, graceSeconds: 3600 },
      ).state,
    ).toBe('down');
  });

  it('answer 0 within the grace period is grace, with its end; after it, up', () => {
    const startedAt = BigInt(nowMs / 1000 - 3599);
    const g = interpretRound(
      { answer: 0n, startedAt, updatedAt: startedAt },
      { nowMs, graceSeconds: 3600 },
    );
    expect(g.state).toBe('grace');
    expect(g.graceEndsAt).toBe((Number(startedAt) + 3600) * 1000);
    const old = BigInt(nowMs / 1000 - 3601);
    expect(
      interpretRound({ answer: 0n, startedAt: old, updatedAt: old }, { nowMs, graceSeconds: 3600 })
        .state,
    ).toBe('up');
  });

  it('startedAt == 0, a future startedAt and odd answers are unknown, never up', () => {
    expect(
      interpretRound({ answer: 0n, startedAt: 0n, updatedAt: 0n }, { nowMs, graceSeconds: 3600 }),
    ).toMatchObject({
      state: 'unknown',
      error: 'startedAt is 0 (feed not initialised)',
    });
    const future = BigInt(nowMs / 1000 + 3600);
    expect(
      interpretRound(
        { answer: 0n, startedAt: future, updatedAt: future },
        { nowMs, graceSeconds: 3600 },
      ).state,
    ).toBe('unknown');
    expect(
      interpretRound({ answer: 2n, startedAt: 1n, updatedAt: 1n }, { nowMs, graceSeconds: 3600 })
        .state,
    ).toBe('unknown');
  });
});
