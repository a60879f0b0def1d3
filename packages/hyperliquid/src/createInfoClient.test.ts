import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExplorerClient, HttpTransport, InfoClient } from '@nktkas/hyperliquid';
import { describe, expect, it } from 'vitest';
import { createInfoClient, type InfoTransport } from './createInfoClient.js';
import { createWeightAccountant } from './createWeightAccountant.js';
import { HlBudgetError, HlHttpError, HlPayloadError } from './HyperliquidError.js';

const fixture = (file: string): unknown =>
  JSON.parse(
    readFileSync(
      fileURLToPath(new URL(`../../../../shared/fixtures/hyperliquid/${file}`, import.meta.url)),
      'utf8',
    ),
  );
const USER = '0x00000000000000000000000000000000000000A1';

/** A stand-in for the outside world: records what is sent and answers with `answer(body)`. */
function recordingTransport(answer: (body: { type: string }) => unknown = () => null) {
  const sent: { endpoint: string; body: unknown }[] = [];
  const transport = {
    isTestnet: false,
    async request<T>(endpoint: 'info' | 'exchange' | 'explorer', payload: unknown): Promise<T> {
      sent.push({ endpoint, body: payload });
      return answer(payload as { type: string }) as T;
    },
  };
  return { sent, transport };
}

describe('createInfoClient', () => {
  it('sends the request bodies the SDK InfoClient / ExplorerClient send for the same calls', async () => {
    const ours = recordingTransport();
    const sdk = recordingTransport();
    const hl = createInfoClient({
      transport: ours.transport,
      budget: createWeightAccountant({ budget: 1e9, now: () => 0 }),
    });
    const info = new InfoClient({ transport: sdk.transport });
    const explorer = new ExplorerClient({ transport: sdk.transport });
    const calls: [() => Promise<unknown>, () => Promise<unknown>][] = [
      [() => hl.perpDexs(), () => info.perpDexs()],
      [() => hl.meta('xyz'), () => info.meta({ dex: 'xyz' })],
      [() => hl.metaAndAssetCtxs('xyz'), () => info.metaAndAssetCtxs({ dex: 'xyz' })],
      [() => hl.metaAndValidAssetCtxs(''), () => info.metaAndAssetCtxs({ dex: '' })],
      [() => hl.perpDexLimits('xyz'), () => info.perpDexLimits({ dex: 'xyz' })],
      [() => hl.perpsAtOpenInterestCap('xyz'), () => info.perpsAtOpenInterestCap({ dex: 'xyz' })],
      [() => hl.l2Book('xyz:TSLA'), () => info.l2Book({ coin: 'xyz:TSLA', nSigFigs: null })],
      [() => hl.userAbstraction(USER), () => info.userAbstraction({ user: USER })],
      [
        () => hl.clearinghouseState(USER, 'xyz'),
        () => info.clearinghouseState({ user: USER, dex: 'xyz' }),
      ],
      [() => hl.spotClearinghouseState(USER), () => info.spotClearinghouseState({ user: USER })],
      [
        () => hl.userFillsByTime(USER, 1_700_000_000_000),
        () => info.userFillsByTime({ user: USER, startTime: 1_700_000_000_000 }),
      ],
      [
        () => hl.candleSnapshot({ coin: 'BTC', interval: '1h', startTime: 1, endTime: 2 }),
        () => info.candleSnapshot({ coin: 'BTC', interval: '1h', startTime: 1, endTime: 2 }),
      ],
      [() => hl.subAccounts(USER), () => info.subAccounts({ user: USER })],
      [() => hl.userVaultEquities(USER), () => info.userVaultEquities({ user: USER })],
      [() => hl.userDetails(USER), () => explorer.userDetails({ user: USER })],
    ];
    for (const [mine, theirs] of calls) {
      await mine().catch(() => undefined); // null answers fail most schemas: only the body matters
      await theirs();
    }
    expect(ours.sent).toHaveLength(calls.length);
    expect(ours.sent).toEqual(sdk.sent);
  });

  it('userDetails with isKnownTx parses and validates only the transactions the caller lacks', async () => {
    const hash = (n: number) => `0x${String(n).padStart(64, '0')}`;
    const tx = (n: number, h: string) => ({
      action: { type: 'perpDeploy' },
      block: n,
      error: null,
      hash: h,
      time: n,
      user: USER.toLowerCase(),
    });
    let text = JSON.stringify({
      type: 'userDetails',
      txs: [tx(3, hash(3)), tx(2, 'not a hash'), tx(1, hash(1))],
    });
    const sent: unknown[] = [];
    const transport: InfoTransport = {
      request: async () => JSON.parse(text),
      requestChunks: async (endpoint, payload) => {
        sent.push({ endpoint, payload });
        const bytes = new TextEncoder().encode(text);
        // Split anywhere: the reader must not care where the network cuts.
        async function* chunks() {
          for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
        }
        return { status: 200, chunks: chunks() };
      },
    };
    const hl = createInfoClient({
      transport,
      budget: createWeightAccountant({ budget: 1e9, now: () => 0 }),
    });
    // The malformed transaction is one the caller has: cut out unread.
    const fresh = await hl.userDetails(USER, (h) => h !== hash(3));
    expect(fresh.txs.map((t) => t.hash)).toEqual([hash(3)]);
    expect(sent).toEqual([
      { endpoint: 'explorer', payload: { type: 'userDetails', user: USER.toLowerCase() } },
    ]);
    // Kept, it is validated as before; so is the whole answer without isKnownTx.
    await expect(hl.userDetails(USER, (h) => h === hash(1))).rejects.toThrow(HlPayloadError);
    await expect(hl.userDetails(USER)).rejects.toThrow(HlPayloadError);
    text = '<html>busy</html>';
    const notJson = await hl.userDetails(USER, () => true).catch((e: unknown) => e);
    expect(notJson).toBeInstanceOf(HlHttpError);
    expect(notJson).toMatchObject({
      message:
        'Hyperliquid explorer userDetails: response is not JSON (explorer answer is not JSON: unexpected < at byte 0)',
      status: 200,
    });
  });

  it('the SDK HttpTransport is an InfoTransport (the watcher passes it as is)', () => {
    const transport: InfoTransport = new HttpTransport({ apiUrl: 'http://127.0.0.1:9' });
    expect(typeof transport.request).toBe('function');
  });

  it('charges the documented weight before sending, and sends nothing without room', async () => {
    let t = 0;
    const budget = createWeightAccountant({ budget: 24, now: () => t });
    const { sent, transport } = recordingTransport(() =>
      fixture('info.clearinghouseState.empty.mainnet.2025-12-13.json'),
    );
    const hl = createInfoClient({ transport, budget });
    await hl.clearinghouseState(USER, '');
    expect(budget.used()).toBe(2);
    await expect(hl.perpDexs()).rejects.toThrow(HlPayloadError); // 20 spent, answer was wrong
    expect(budget.used()).toBe(22);
    const refused = hl.perpDexs();
    await expect(refused).rejects.toBeInstanceOf(HlBudgetError);
    await expect(refused).rejects.toThrow(
      'Hyperliquid info perpDexs: weight budget exhausted, retry in 60001 ms',
    );
    expect(sent.map((s) => (s.body as { type: string }).type)).toEqual([
      'clearinghouseState',
      'perpDexs',
    ]);
    t = 60_000;
    expect(budget.used()).toBe(0);
  });

  it('charges the budget synchronously, in call order, before anything is awaited', () => {
    const budget = createWeightAccountant({ budget: 22, now: () => 0 });
    const hl = createInfoClient({ transport: recordingTransport().transport, budget });
    const first = hl.metaAndAssetCtxs('xyz');
    const second = hl.clearinghouseState(USER, 'xyz');
    const third = hl.clearinghouseState(USER, 'flx');
    expect(budget.used()).toBe(22);
    for (const p of [first, second, third]) p.catch(() => undefined);
    return expect(third).rejects.toBeInstanceOf(HlBudgetError);
  });

  it('rejects a bad answer with the request and the bad field named, and reports it', async () => {
    const good = fixture('info.clearinghouseState.cross-BTC-small.roq-test.2026-02-03.json') as {
      assetPositions: { position: object }[];
    };
    const bad = {
      ...good,
      assetPositions: [{ position: { ...good.assetPositions[0]?.position, liquidationPx: 1 } }],
    };
    const rejected: [string, string][] = [];
    const hl = createInfoClient({
      transport: recordingTransport(() => bad).transport,
      budget: createWeightAccountant({ now: () => 0 }),
      onReject: (type, issue) => rejected.push([type, issue]),
    });
    const error = await hl.clearinghouseState(USER, 'xyz').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HlPayloadError);
    expect((error as Error).message).toBe(
      'Hyperliquid info clearinghouseState dex=xyz: unexpected payload at assetPositions.0.position.liquidationPx: Invalid input: expected string, received number',
    );
    expect((error as Error).message).not.toContain(USER.slice(2).toLowerCase());
    expect(rejected).toEqual([
      [
        'clearinghouseState',
        'assetPositions.0.position.liquidationPx: Invalid input: expected string, received number',
      ],
    ]);
  });

  it('charges list answers per item after the fact (1 per 20 fills, 1 per 60 candles)', async () => {
    const fill = {
      coin: 'BTC',
      px: '1.0',
      sz: '1.0',
      side: 'B',
      time: 1,
      startPosition: '0.0',
      dir: 'Open Long',
      closedPnl: '0.0',
      tid: 1,
    };
    const budget = createWeightAccountant({ budget: 1e6, now: () => 0 });
    const hl = createInfoClient({
      transport: recordingTransport((b) =>
        b.type === 'userFillsByTime'
          ? Array.from({ length: 45 }, () => fill)
          : Array.from({ length: 130 }, (_, i) => ({ t: i, c: '1.5' })),
      ).transport,
      budget,
    });
    await hl.userFillsByTime(USER, 0);
    expect(budget.used()).toBe(20 + 2);
    await hl.candleSnapshot({ coin: 'BTC', interval: '1h', startTime: 0 });
    expect(budget.used()).toBe(22 + 20 + 2);
  });
});
