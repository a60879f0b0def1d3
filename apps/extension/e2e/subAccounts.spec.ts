import {
  createManualClock,
  type HyperliquidReplay,
  startHyperliquidReplay,
} from '@perpscope/devnet';
import { expect, seedSettings, test, USER } from './fixtures.js';

// Sub-accounts and vaults are discovered from the HL info API (`subAccounts`,
// `userVaultEquities`, served by the replay server in their documented shapes) and offered in the
// options; an added sub-account is watched under its name.
const SUB = '0x00000000000000000000000000000000000000b2';
const VAULT = '0x00000000000000000000000000000000000000c3';

test('the options discover a sub-account and a vault of the watched address; the added sub-account shows in the popup under its name', async ({
  context,
  sw,
  hl,
  extensionId,
}) => {
  let discovery: HyperliquidReplay | null = null;
  try {
    discovery = await startHyperliquidReplay({
      clock: createManualClock(Date.UTC(2026, 1, 6)),
      tickMs: null,
      subAccounts: { [USER]: [{ name: 'Basis', subAccountUser: SUB }] },
      vaultEquities: { [USER]: [{ vaultAddress: VAULT, equity: '1234.5' }] },
    });
    const url = discovery.url;
    // Discovery requests go to this replay; everything else falls through to the fixture's.
    await context.route('https://api.hyperliquid.xyz/**', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { type?: string };
      if (body.type !== 'subAccounts' && body.type !== 'userVaultEquities') {
        await route.fallback();
        return;
      }
      const res = await route.fetch({ url: `${url}/info`, headers: { connection: 'close' } });
      await route.fulfill({ response: res });
    });
    // The sub-account's own position on the main replay.
    hl.setAccount(SUB, '', {
      crossRawUsd: '-3000',
      positions: [
        { coin: 'ETH', szi: '2', entryPx: '2000', leverage: { type: 'cross', value: 5 } },
      ],
    });
    await seedSettings(sw, { addresses: [USER], labels: {} });
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(options.locator('#addresses')).toHaveValue(USER);
    await options.click('#discover');
    const sub = options.locator(`#discovered button[data-address="${SUB}"]`);
    await expect(sub).toHaveText('+ sub-account Basis (0x0000…00b2)', { timeout: 15_000 });
    await expect(options.locator(`#discovered button[data-address="${VAULT}"]`)).toHaveText(
      '+ vault vault (1,234.5 USDC) (0x0000…00c3)',
    );
    await sub.click();
    await expect(options.locator('#addresses')).toHaveValue(`${USER}\n${SUB} Basis`);
    await options.click('button[type="submit"]');
    await expect(options.locator('#status')).toHaveText(/^Saved\./);

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    const row = popup.locator(`li.pos[data-key="hyperliquid|${SUB}|ETH"]`);
    await expect(row.locator('.venue')).toHaveText(' · HL · Basis · ', { timeout: 15_000 });
    await popup.screenshot({ path: 'test-results/screenshots/popup-sub-account.png' });
  } finally {
    await discovery?.stop();
  }
});
