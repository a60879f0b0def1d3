import { HttpTransport, InfoClient } from '@nktkas/hyperliquid';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from './scaledClock.js';
import { type HyperliquidReplay, startHyperliquidReplay } from './startHyperliquidReplay.js';

const MASTER = '0x00000000000000000000000000000000000000a1';
const SUB = '0x00000000000000000000000000000000000000B2';
const VAULT = '0x00000000000000000000000000000000000000c3';
const running: HyperliquidReplay[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

describe('account discovery on the replay server (through the real SDK)', () => {
  it('lists sub-accounts with their state, vault equities, and null / [] for users without', async () => {
    const hl = await startHyperliquidReplay({
      clock: createManualClock(1_770_000_000_000),
      tickMs: null,
      accounts: {
        [SUB]: {
          '': {
            crossRawUsd: '-20000',
            positions: [
              { coin: 'BTC', szi: '0.5', entryPx: '60000', leverage: { type: 'cross', value: 10 } },
            ],
          },
        },
      },
      subAccounts: { [MASTER]: [{ name: 'Basis', subAccountUser: SUB }] },
      vaultEquities: { [MASTER]: [{ vaultAddress: VAULT, equity: '1234.5' }] },
    });
    running.push(hl);
    const info = new InfoClient({ transport: new HttpTransport({ apiUrl: hl.url }) });
    const subs = await info.subAccounts({ user: MASTER });
    expect(subs?.map((s) => [s.name, s.subAccountUser, s.master])).toEqual([
      ['Basis', SUB.toLowerCase(), MASTER],
    ]);
    // The sub-account's own positions, as clearinghouseState serves them for its address.
    expect(subs?.[0]?.clearinghouseState.assetPositions.map((a) => a.position.coin)).toEqual([
      'BTC',
    ]);
    expect(subs?.[0]?.clearinghouseState).toEqual(
      await info.clearinghouseState({ user: SUB.toLowerCase() as `0x${string}` }),
    );
    expect(await info.userVaultEquities({ user: MASTER })).toEqual([
      { vaultAddress: VAULT, equity: '1234.5' },
    ]);
    expect(await info.subAccounts({ user: SUB.toLowerCase() as `0x${string}` })).toBeNull();
    expect(await info.userVaultEquities({ user: SUB.toLowerCase() as `0x${string}` })).toEqual([]);
    // A malformed user is refused like the real API does.
    const bad = await fetch(`${hl.url}/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'subAccounts', user: '0x12' }),
    });
    expect(bad.status).toBe(422);
  });
});
