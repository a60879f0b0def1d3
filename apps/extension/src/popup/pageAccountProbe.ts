/** One wallet's answer to `eth_accounts`, as the page's main world saw it (validated later). */
export interface WalletAnswer {
  /** The wallet's name (EIP-6963 `info.name`), or `window.ethereum`. */
  readonly name: string;
  /** What `request({ method: 'eth_accounts' })` resolved to; unchecked page data. */
  readonly accounts: unknown;
  /** Why the request failed (rejected, no answer in time); null when it answered. */
  readonly error: string | null;
}

/** What {@link pageAccountProbe} reports from an exchange page. */
export interface PageAccountProbe {
  /** The page's URL (it may name the viewed account: `/explorer/address/0x…`). */
  readonly href: string;
  /** One entry per injected wallet found (EIP-6963 announcements and `window.ethereum`). */
  readonly wallets: readonly WalletAnswer[];
}

/**
 * Runs in the exchange page's **main world**, injected by the popup with `scripting.executeScript`
 * only when the user clicks "Use this page's account" (activeTab). It asks each injected wallet
 * (EIP-1193 `request`) for `eth_accounts`: the accounts the wallet already exposes to this site.
 * That call is read-only and, per EIP-1102 / MetaMask's docs, does not prompt (a prompt is
 * `eth_requestAccounts`, never sent); a wallet that prompts anyway (one was reported to:
 * github.com/enkryptcom/enkrypt/issues/287) prompts only after this click.
 *
 * Self-contained on purpose: `executeScript` serialises the function, so it may use nothing from
 * its module. Wallets are found by EIP-6963 (`eip6963:requestProvider` → `announceProvider`) and
 * by `window.ethereum`; the same provider object is asked once.
 */
export async function pageAccountProbe(timeoutMs: number): Promise<PageAccountProbe> {
  interface Provider {
    request(args: { method: string; params?: unknown[] }): Promise<unknown>;
  }
  const isProvider = (p: unknown): p is Provider =>
    typeof p === 'object' && p !== null && typeof (p as Provider).request === 'function';
  const found: { name: string; provider: Provider }[] = [];
  const add = (name: string, provider: unknown) => {
    if (isProvider(provider) && !found.some((f) => f.provider === provider))
      found.push({ name, provider });
  };
  const onAnnounce = (event: Event) => {
    const detail = (event as CustomEvent<{ info?: { name?: unknown }; provider?: unknown }>).detail;
    add(typeof detail?.info?.name === 'string' ? detail.info.name : 'wallet', detail?.provider);
  };
  window.addEventListener('eip6963:announceProvider', onAnnounce);
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  // Wallets announce synchronously or within a task; give them one short beat.
  await new Promise((r) => setTimeout(r, 50));
  window.removeEventListener('eip6963:announceProvider', onAnnounce);
  add('window.ethereum', (window as { ethereum?: unknown }).ethereum);
  const wallets = await Promise.all(
    found.map(async ({ name, provider }) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const accounts = await Promise.race([
          provider.request({ method: 'eth_accounts' }),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return { name, accounts, error: null };
      } catch (error) {
        return {
          name,
          accounts: null,
          error: error instanceof Error ? error.message : String(error),
        };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { href: location.href, wallets };
}
