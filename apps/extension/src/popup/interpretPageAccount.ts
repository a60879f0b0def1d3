import { z } from 'zod';
import { accountFromUrl } from '../content/pageAccount.js';
import { HYPERLIQUID_FRONT_ENDS } from '../sites.js';
import { addressSchema } from '../storage/settings.js';
import { shortAddress } from '../ui/formatBadge.js';

/** An address the exchange page offers, and whether perpscope already watches it. */
export interface PageAccountCandidate {
  /** Lower-case address. */
  readonly address: string;
  /** `wallet`: the connected wallet lists it (`eth_accounts`); `url`: the page's URL views it. */
  readonly source: 'wallet' | 'url';
  readonly watched: boolean;
  /** Its label in the settings, when watched and labelled. */
  readonly label: string | null;
}

/** What clicking "Use this page's account" found, with the sentence to show. */
export type PageAccountOutcome =
  | { readonly kind: 'no-exchange-tab'; readonly message: string }
  | { readonly kind: 'no-wallet'; readonly message: string }
  /** Every address the page offers is watched already. */
  | {
      readonly kind: 'already-watched';
      readonly message: string;
      readonly candidates: readonly PageAccountCandidate[];
    }
  /** One or more addresses to add; with several the user picks. */
  | {
      readonly kind: 'pick';
      readonly message: string;
      readonly candidates: readonly PageAccountCandidate[];
    };

const HL_HOSTS = HYPERLIQUID_FRONT_ENDS.map((f) => f.host);

/** The exchange front-end a tab URL belongs to (`app.hyperliquid.xyz`), null for any other page. */
export function exchangeHostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && HL_HOSTS.includes(u.hostname) ? u.hostname : null;
  } catch {
    return null;
  }
}

/** Sentence for a tab that is not a Hyperliquid front-end (Aevo gets its own: no address there). */
export function noExchangeTabMessage(url: string | undefined): string {
  if (url && /^https:\/\/app\.aevo\.xyz\//.test(url))
    return 'Aevo positions are read from its page: there is no address to add. This works on app.hyperliquid.xyz and the HIP-3 front-ends.';
  return 'No exchange tab: open app.hyperliquid.xyz (or a HIP-3 front-end such as app.trade.xyz) in this window, click perpscope\'s icon there, then "Use this page\'s account".';
}

const probeSchema = z.object({
  href: z.string(),
  wallets: z.array(
    z.object({ name: z.string(), accounts: z.unknown(), error: z.string().nullable() }),
  ),
});

/**
 * Turns what the page's main world reported ({@link pageAccountProbe}) into what to offer: the
 * connected wallet's accounts (`eth_accounts`, validated: anything that is not an address is
 * dropped) and the account the URL views, each marked watched or not. Never adds anything itself.
 *
 * @param probe Unchecked data from the page (the page could put anything there).
 */
export function interpretPageAccount(params: {
  readonly probe: unknown;
  readonly watched: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}): PageAccountOutcome {
  const parsed = probeSchema.safeParse(params.probe);
  if (!parsed.success)
    return {
      kind: 'no-wallet',
      message:
        'The page gave no readable answer: reload the exchange page and try again, or paste your address in the options.',
    };
  const { href, wallets } = parsed.data;
  const watched = new Set(params.watched.map((a) => a.toLowerCase()));
  const candidates: PageAccountCandidate[] = [];
  const push = (address: string, source: PageAccountCandidate['source']) => {
    if (candidates.some((c) => c.address === address)) return;
    candidates.push({
      address,
      source,
      watched: watched.has(address),
      label: params.labels[address] ?? null,
    });
  };
  for (const w of wallets) {
    if (!Array.isArray(w.accounts)) continue;
    for (const a of w.accounts) {
      const address = addressSchema.safeParse(a);
      if (address.success) push(address.data, 'wallet');
    }
  }
  const viewed = accountFromUrl(href);
  if (viewed) push(viewed, 'url');

  if (candidates.length === 0) {
    const failures = wallets.filter((w) => w.error !== null).map((w) => `${w.name}: ${w.error}`);
    const message =
      wallets.length === 0
        ? "No wallet on this page: perpscope found no injected wallet (window.ethereum). Connect your wallet on the exchange page first — perpscope never connects it — or, if you log in by email, copy your address from the exchange's account menu into the options."
        : `No wallet connected on this page: the wallet lists no account for this site.${failures.length > 0 ? ` (${failures.join('; ')})` : ''} Connect it on the exchange page first — perpscope never connects it — then try again.`;
    return { kind: 'no-wallet', message };
  }
  const name = (c: PageAccountCandidate) =>
    c.label ? `${c.label} (${shortAddress(c.address)})` : shortAddress(c.address);
  const fresh = candidates.filter((c) => !c.watched);
  if (fresh.length === 0)
    return {
      kind: 'already-watched',
      candidates,
      message: `Already watched: ${candidates.map(name).join(', ')}. Nothing to add.`,
    };
  const first = candidates[0];
  const message =
    candidates.length === 1 && first
      ? `This page's account: ${first.address}${first.source === 'url' ? ' (from the page address)' : ' (connected wallet)'}. Add it to the watched addresses?`
      : `This page offers ${candidates.length} accounts: pick the one you trade from.`;
  return { kind: 'pick', candidates, message };
}

/** Why an address could not be added (settings hold at most 10 addresses). */
export const ADDRESS_LIMIT_MESSAGE =
  'perpscope watches at most 10 addresses: remove one in the options first.';
