import { HttpRequestError, HttpTransport, InfoClient } from '@nktkas/hyperliquid';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from './scaledClock.js';
import { type HyperliquidReplay, startHyperliquidReplay } from './startHyperliquidReplay.js';

const running: HyperliquidReplay[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function start(timeoutMs = 10_000) {
  const hl = await startHyperliquidReplay({
    clock: createManualClock(1_770_000_000_000),
    tickMs: null,
  });
  running.push(hl);
  const info = new InfoClient({
    transport: new HttpTransport({ apiUrl: hl.url, rpcUrl: hl.url, timeout: timeoutMs }),
  });
  return { hl, info };
}

describe('replay info faults (setInfoFault)', () => {
  it.each([429, 500])(
    'answers HTTP %i with an empty body until cleared, and records it',
    async (status) => {
      const { hl, info } = await start();
      hl.setInfoFault({ kind: 'status', status });
      const error = await info.perpDexs().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpRequestError);
      expect((error as HttpRequestError).response?.status).toBe(status);
      expect(hl.requests.at(-1)).toMatchObject({ endpoint: 'info', type: 'perpDexs', status });
      hl.setInfoFault(null);
      expect((await info.perpDexs())[0]).toBeNull();
    },
  );

  it('limits a fault to the request types named', async () => {
    const { hl, info } = await start();
    hl.setInfoFault({ kind: 'status', status: 429, types: ['clearinghouseState'] });
    await expect(info.perpDexs()).resolves.toBeInstanceOf(Array);
    await expect(
      info.clearinghouseState({ user: '0x00000000000000000000000000000000000000a1' }),
    ).rejects.toBeInstanceOf(HttpRequestError);
  });

  it('holds requests for the hang: a client with a shorter timeout times out; the answer comes after it', async () => {
    const { hl, info } = await start(300);
    hl.setInfoFault({ kind: 'hang', ms: 1_500 });
    const t0 = Date.now();
    await expect(info.perpDexs()).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(1_500);
    const patient = new InfoClient({
      transport: new HttpTransport({ apiUrl: hl.url, rpcUrl: hl.url, timeout: 5_000 }),
    });
    const t1 = Date.now();
    await expect(patient.perpDexs()).resolves.toBeInstanceOf(Array);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(1_400);
    hl.setInfoFault(null);
  });

  it('rejects a status that is not an HTTP error and a negative hang', async () => {
    const { hl } = await start();
    expect(() => hl.setInfoFault({ kind: 'status', status: 200 })).toThrow(/200 is not 400–599/);
    expect(() => hl.setInfoFault({ kind: 'hang', ms: -1 })).toThrow(/negative/);
  });
});
