import type { ReplayUser } from './answerUserInfo.js';
import type { ReplayAccount } from './clearinghouseState.js';

/**
 * A unified account spread over the main dex and `xyz` (both USDC-collateralized), for
 * `startHyperliquidReplay({ users, accounts })` and the extension e2e: BTC long and ETH short cross on
 * the main dex, an isolated `xyz:XYZ100` long (xyz markets are isolated-only), 5,000 USDC of spot cash.
 * The perp ledger holds only the entry notionals (`crossRawUsd = −Σ szi·entry`), so the spot total is
 * cash + unrealized PnL + isolated margin, and the served `liquidationPx` values follow the unified pool.
 */
export const unifiedAccountPreset = {
  user: '0x00000000000000000000000000000000000a11ce',
  /** For `users`: the mode and spot balances. */
  mode: {
    abstraction: 'unifiedAccount',
    spot: [{ coin: 'USDC', token: 0, cash: '5000.0' }],
  } satisfies ReplayUser,
  /** For `accounts[user]`: per dex. */
  accounts: {
    '': {
      crossRawUsd: '-12000.0', // −(0.5·64,000) + 10·2,000
      positions: [
        { coin: 'BTC', szi: '0.5', entryPx: '64000.0', leverage: { type: 'cross', value: 10 } },
        { coin: 'ETH', szi: '-10.0', entryPx: '2000.0', leverage: { type: 'cross', value: 10 } },
      ],
    },
    xyz: {
      crossRawUsd: '0.0',
      positions: [
        {
          coin: 'xyz:XYZ100',
          szi: '1.0',
          entryPx: '24000.0',
          // 2,400 USDC of margin at 10x: rawUsd = 2,400 − 24,000.
          leverage: { type: 'isolated', value: 10, rawUsd: '-21600.0' },
        },
      ],
    },
  } satisfies Record<string, ReplayAccount>,
} as const;
