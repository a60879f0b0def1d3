import { describe, expect, it } from 'vitest';
import type { ObservedBlock } from './chainRpc.js';
import { decideQuorum, type RpcReading } from './rpcQuorum.js';

const block = (number: number): ObservedBlock => ({
  number,
  hash: `0x${number.toString(16).padStart(64, '0')}`,
  parentHash: `0x${(number - 1).toString(16).padStart(64, '0')}`,
  timestamp: 1_700_000_000 + number,
  txCount: 1,
});
const ok = (n: number): RpcReading => ({ ok: true, block: block(n), latencyMs: 5 });
const err = (e: string): RpcReading => ({ ok: false, error: e, latencyMs: 5 });

describe('decideQuorum', () => {
  it('ignores a stale replica and marks it lagging', () => {
    const q = decideQuorum([ok(100), ok(80), ok(101)], 6);
    expect(q.head?.number).toBe(101);
    expect(q.chosen).toBe(2);
    expect(q.verdicts.map((v) => v.health)).toEqual(['healthy', 'lagging', 'healthy']);
  });

  it('ignores an erroring endpoint', () => {
    const q = decideQuorum([err('HTTP 500'), ok(50), ok(50)], 6);
    expect(q.head?.number).toBe(50);
    expect(q.verdicts[0]).toEqual({ health: 'failing', note: 'HTTP 500' });
  });

  it('does not believe one endpoint far ahead of two agreeing peers', () => {
    const q = decideQuorum([ok(10_000), ok(100), ok(99)], 6);
    expect(q.head?.number).toBe(100);
    expect(q.verdicts[0]?.health).toBe('failing');
  });

  it('trusts nothing when every endpoint fails', () => {
    const q = decideQuorum([err('timeout'), err('garbage')], 6);
    expect(q.head).toBeNull();
    expect(q.reason).toMatch(/none of the 2/);
  });

  it('within tolerance every answering endpoint is healthy', () => {
    const q = decideQuorum([ok(100), ok(97)], 6);
    expect(q.verdicts.every((v) => v.health === 'healthy')).toBe(true);
    expect(q.head?.number).toBe(100);
  });
});
