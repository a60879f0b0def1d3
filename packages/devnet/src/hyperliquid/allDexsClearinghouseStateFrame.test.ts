import {
  HttpTransport,
  InfoClient,
  SubscriptionClient,
  WebSocketTransport,
} from '@nktkas/hyperliquid';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from './scaledClock.js';
import { type HyperliquidReplay, startHyperliquidReplay } from './startHyperliquidReplay.js';

const T0 = 1_770_000_000_000;
const USER = '0x00000000000000000000000000000000000b0b00';
const OTHER = '0x0000000000000000000000000000000000000c0c';
const running: HyperliquidReplay[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  for (const r of running.splice(0)) await r.stop();
});

type Event = { user: string; clearinghouseStates: [string, { assetPositions: unknown[] }][] };

async function subscribed(user = USER) {
  const clock = createManualClock(T0);
  const hl = await startHyperliquidReplay({ clock, tickMs: null, dexes: ['xyz', 'flx'] });
  running.push(hl);
  hl.setMark('xyz:TSLA', 90);
  const transport = new WebSocketTransport({ url: hl.wsUrl, reconnect: { reconnectionDelay: 50 } });
  closers.push(() => transport.close());
  const events: Event[] = [];
  await new SubscriptionClient({ transport }).allDexsClearinghouseState({ user }, (e) => {
    events.push(e as unknown as Event);
  });
  const info = new InfoClient({ transport: new HttpTransport({ apiUrl: hl.url }) });
  return { hl, clock, events, info };
}

describe('replay server: allDexsClearinghouseState subscription (through the real SDK)', () => {
  it('snapshots every dex on subscribe, with the same state REST answers', async () => {
    const { hl, events, info } = await subscribed();
    await expect.poll(() => events.length).toBeGreaterThanOrEqual(1);
    expect(events[0]?.user).toBe(USER);
    expect(events[0]?.clearinghouseStates.map(([d]) => d)).toEqual(['', 'xyz', 'flx']);
    hl.setAccount(USER, 'xyz', {
      crossRawUsd: '500.0',
      positions: [
        { coin: 'xyz:TSLA', szi: '2', entryPx: '80', leverage: { type: 'cross', value: 5 } },
      ],
    });
    await expect.poll(() => events.length).toBeGreaterThanOrEqual(2);
    const xyz = events.at(-1)?.clearinghouseStates.find(([d]) => d === 'xyz')?.[1];
    expect(xyz).toEqual(await info.clearinghouseState({ user: USER, dex: 'xyz' }));
    expect(xyz?.assetPositions).toHaveLength(1);
    expect(
      hl.requests.some(
        (r) => r.endpoint === 'ws-subscribe' && r.type === 'allDexsClearinghouseState',
      ),
    ).toBe(true);
  });

  it('pushes on a mark move, a liquidation and each tick; not for another user', async () => {
    const { hl, clock, events } = await subscribed();
    hl.setAccount(OTHER, 'xyz', { crossRawUsd: '1.0', positions: [] });
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toHaveLength(1);
    hl.setAccount(USER, 'xyz', {
      crossRawUsd: '0.0',
      positions: [
        { coin: 'xyz:TSLA', szi: '-2', entryPx: '80', leverage: { type: 'cross', value: 5 } },
      ],
    });
    await expect.poll(() => events.length).toBe(2);
    hl.setMark('xyz:TSLA', 95);
    await expect.poll(() => events.length).toBe(3);
    const pos = (e: Event | undefined) =>
      e?.clearinghouseStates.find(([d]) => d === 'xyz')?.[1].assetPositions[0] as
        | { position: { positionValue: string } }
        | undefined;
    expect(pos(events[2])?.position.positionValue).toBe('190.0');
    hl.users.liquidate(USER, 'xyz', 'xyz:TSLA');
    await expect.poll(() => events.length).toBe(4);
    expect(pos(events[3])).toBeUndefined();
    clock.advance(1000);
    hl.tick();
    await expect.poll(() => events.length).toBe(5);
  });

  it('wsDrop silent stops the pushes; close ends them and the SDK resubscribes with a new snapshot', async () => {
    const { hl, events } = await subscribed();
    await expect.poll(() => events.length).toBe(1);
    hl.apply({ type: 'wsDrop', mode: 'close' });
    await expect.poll(() => hl.connectionsAccepted).toBe(2);
    await expect.poll(() => events.length).toBe(2);
    hl.apply({ type: 'wsDrop', mode: 'silent' });
    hl.setMark('xyz:TSLA', 91);
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toHaveLength(2);
  });
});
