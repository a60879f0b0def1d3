import {
  createManualClock,
  type HyperliquidReplay,
  startHyperliquidReplay,
} from '@perpscope/devnet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverAccounts } from './discoverAccounts.js';

const MASTER = '0x00000000000000000000000000000000000000a1';
const SUB = '0x00000000000000000000000000000000000000b2';
const VAULT = '0x00000000000000000000000000000000000000c3';
let hl: HyperliquidReplay;

beforeAll(async () => {
  hl = await startHyperliquidReplay({
    clock: createManualClock(1_770_000_000_000),
    tickMs: null,
    subAccounts: { [MASTER]: [{ name: 'Basis', subAccountUser: SUB }] },
    vaultEquities: { [MASTER]: [{ vaultAddress: VAULT, equity: '1234.5' }] },
  });
});
afterAll(() => hl.stop());

describe('discoverAccounts (replay server)', () => {
  it('offers sub-accounts and vaults of the watched addresses, not those already watched', async () => {
    const r = await discoverAccounts({ apiBase: hl.url, addresses: [MASTER], fetch });
    expect(r.problems).toEqual([]);
    expect(r.accounts).toEqual([
      { kind: 'sub-account', address: SUB, label: 'Basis', owner: MASTER },
      { kind: 'vault', address: VAULT, label: 'vault (1,234.5 USDC)', owner: MASTER },
    ]);
    const again = await discoverAccounts({ apiBase: hl.url, addresses: [MASTER, SUB], fetch });
    expect(again.accounts.map((a) => a.address)).toEqual([VAULT]);
  });

  it('reports a failing API per request instead of throwing', async () => {
    hl.setInfoFault({ kind: 'status', status: 429 });
    try {
      const r = await discoverAccounts({ apiBase: hl.url, addresses: [MASTER], fetch });
      expect(r.accounts).toEqual([]);
      expect(r.problems).toEqual([
        `sub-accounts of ${MASTER}: HTTP 429`,
        `vaults of ${MASTER}: HTTP 429`,
      ]);
    } finally {
      hl.setInfoFault(null);
    }
  });
});
