import { HlSubAccounts, HlUserVaultEquities } from '@perpscope/hyperliquid';

/** An account found behind a watched address: a sub-account or a vault it has a deposit in. */
export interface DiscoveredAccount {
  readonly kind: 'sub-account' | 'vault';
  /** The account's address (lower-case): what perpscope watches when the user adds it. */
  readonly address: string;
  /** The sub-account's name, or `vault` + the deposit's equity. */
  readonly label: string;
  /** The watched address it was found under. */
  readonly owner: string;
}

/** Parameters of {@link discoverAccounts}. */
export interface DiscoverAccountsParameters {
  /** Hyperliquid API origin (`https://api.hyperliquid.xyz`). */
  readonly apiBase: string;
  /** The addresses the user watches (their sub-accounts and vault deposits are looked up). */
  readonly addresses: readonly string[];
  readonly fetch: typeof fetch;
}

/**
 * Looks up each watched address's sub-accounts (`subAccounts`) and vault deposits
 * (`userVaultEquities`) on Hyperliquid's info API, so the options can offer them for watching —
 * a sub-account's positions are not in its master's `clearinghouseState`. Addresses already
 * watched are left out. Failures are reported per request, never thrown.
 */
export async function discoverAccounts(
  p: DiscoverAccountsParameters,
): Promise<{ accounts: DiscoveredAccount[]; problems: string[] }> {
  const watched = new Set(p.addresses.map((a) => a.toLowerCase()));
  const accounts: DiscoveredAccount[] = [];
  const problems: string[] = [];
  const post = async (body: object) => {
    const res = await p.fetch(`${p.apiBase}/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(8000),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json() as Promise<unknown>;
  };
  for (const owner of watched) {
    try {
      for (const s of HlSubAccounts.parse(await post({ type: 'subAccounts', user: owner })) ?? [])
        accounts.push({
          kind: 'sub-account',
          address: s.subAccountUser.toLowerCase(),
          label: s.name,
          owner,
        });
    } catch (error) {
      problems.push(`sub-accounts of ${owner}: ${error instanceof Error ? error.message : error}`);
    }
    try {
      for (const v of HlUserVaultEquities.parse(
        await post({ type: 'userVaultEquities', user: owner }),
      ))
        accounts.push({
          kind: 'vault',
          address: v.vaultAddress.toLowerCase(),
          label: `vault (${Number(v.equity).toLocaleString('en-US', { maximumFractionDigits: 2 })} USDC)`,
          owner,
        });
    } catch (error) {
      problems.push(`vaults of ${owner}: ${error instanceof Error ? error.message : error}`);
    }
  }
  return { accounts: accounts.filter((a) => !watched.has(a.address)), problems };
}
