// Which Hyperliquid account an exchange page shows, read passively from its URL and header text.
// Content scripts import this file: keep it free of runtime dependencies (no zod, no math).
//
// Evidence (research/venues.md has none on this; gathered for issue 18):
// - `/explorer/address/0x…` on app.hyperliquid.xyz views that address: many public links use this
//   form (bots, dashboards and trackers linking "view on Hyperliquid"; code search for
//   `app.hyperliquid.xyz/explorer/address/`).
// - `/portfolio/0x…`: one public link only (a trader list in public code). Weak; harmless when wrong.
// - The header's abbreviated address of the connected wallet (`0x1234...abcd`): the issue-18 trial
//   saw an abbreviated address in the page header; its exact format and place are NOT captured. The
//   formats accepted (`0x1234...abcd`, `0x1234…abcd`, 1–10 hex digits before, 2–10 after) follow the truncated
//   forms a public alias extension handles on app.hyperliquid.xyz (github.com/Lafourb/hl-aliases-extension,
//   README: "0x1234...5678", "0x9...690"). An abbreviation only ever selects among the watched
//   addresses; it is never added as one.

import { shortAddress } from '../ui/formatBadge.js';

/** What the page reveals about the account it shows. */
export type PageAccountHint =
  /** A full address: the URL views it (`/explorer/address/0x…`). */
  | { readonly kind: 'full'; readonly address: string; readonly source: 'url' }
  /** An abbreviated address in the page header (the connected wallet, as the page prints it). */
  | {
      readonly kind: 'abbreviated';
      readonly text: string;
      readonly prefix: string;
      readonly suffix: string;
    };

/** Path forms that carry the viewed account's full address (see the file comment for evidence). */
const URL_ACCOUNT = /^\/(?:explorer\/address|portfolio)\/(0x[0-9a-fA-F]{40})(?:[/?#]|$)/;

/** `0x1234...abcd` / `0x1234…abcd`: an address abbreviated the way pages print them. */
const ABBREVIATION = /^0x([0-9a-fA-F]{1,10})(?:\.{2,3}|…)([0-9a-fA-F]{2,10})$/;

/**
 * How far from the top of the viewport (CSS px) header text may sit. The header is the top bar of
 * a full-window app (inference: HL's page does not scroll as a whole); lower down, abbreviated
 * addresses belong to tables (leaderboard, vault depositors) and say nothing about the user.
 */
export const HEADER_BAND_PX = 96;

/** The account a URL views (`/explorer/address/0x…`), lower-case; null when it names none. */
export function accountFromUrl(href: string): string | null {
  let path: string;
  try {
    path = new URL(href).pathname;
  } catch {
    return null;
  }
  return URL_ACCOUNT.exec(path)?.[1]?.toLowerCase() ?? null;
}

/** Parses an abbreviated address (`0x1234...abcd`); null when `text` is not one. */
export function parseAbbreviation(
  text: string,
): Extract<PageAccountHint, { kind: 'abbreviated' }> | null {
  const m = ABBREVIATION.exec(text.trim());
  if (!m?.[1] || !m[2]) return null;
  return {
    kind: 'abbreviated',
    text: text.trim(),
    prefix: m[1].toLowerCase(),
    suffix: m[2].toLowerCase(),
  };
}

/**
 * Reads what the page says about its account: the URL first (a full address), else the first
 * abbreviated address in the header band (top {@link HEADER_BAND_PX} px). Reads only; null when
 * the page says nothing.
 */
export function readPageAccountHint(doc: Document): PageAccountHint | null {
  const fromUrl = accountFromUrl(doc.location?.href ?? '');
  if (fromUrl) return { kind: 'full', address: fromUrl, source: 'url' };
  const root = doc.body;
  const view = doc.defaultView;
  if (!root || !view) return null;
  const walker = doc.createTreeWalker(root, view.NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue ?? '';
    // Cheap filter first: most text nodes are not 0x… abbreviations.
    if (text.length > 40 || !text.includes('0x')) continue;
    const hint = parseAbbreviation(text);
    if (!hint) continue;
    const el = n.parentElement;
    if (!el || el.closest('perpscope-panel, perpscope-badge')) continue;
    if (el.getBoundingClientRect().top > HEADER_BAND_PX) continue;
    return hint;
  }
  return null;
}

/** Which watched account the page's badges and panel use, and the panel line saying so. */
export interface ShownAccount {
  /** The watched address whose positions are shown; null = none (the page shows another). */
  readonly address: string | null;
  /**
   * `page`: the page shows this watched account; `default`: the page does not tell, so the first
   * watched address is shown; `not-watched`: the page shows an account perpscope does not watch;
   * `none`: no address is watched.
   */
  readonly basis: 'page' | 'default' | 'not-watched' | 'none';
  /** The panel's account line; null when there is nothing to say (no address watched). */
  readonly line: string | null;
}

/** `Main (0x0000…00a1)`, or the short address alone when it has no label. */
export function accountName(address: string, labels: Readonly<Record<string, string>>): string {
  const label = labels[address];
  return label ? `${label} (${shortAddress(address)})` : shortAddress(address);
}

/**
 * Picks the watched account a page's badges follow: the one the page shows when it can tell (a
 * full address, or an abbreviation matching exactly one watched address), else the first watched
 * address — and the panel names it either way. A page showing an account perpscope does not watch
 * gets no badges (another account's numbers would sit on its rows) and a line saying how to add it.
 */
export function shownAccount(params: {
  readonly hint: PageAccountHint | null;
  /** Watched addresses, lower-case, in the user's order. */
  readonly addresses: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}): ShownAccount {
  const { hint, addresses, labels } = params;
  const first = addresses[0];
  if (first === undefined) return { address: null, basis: 'none', line: null };
  const notWatched = (shown: string): ShownAccount => ({
    address: null,
    basis: 'not-watched',
    line: `This page shows ${shown}, which perpscope does not watch: no badges. To add it, click the perpscope icon → "Use this page's account".`,
  });
  if (hint?.kind === 'full') {
    if (addresses.includes(hint.address))
      return {
        address: hint.address,
        basis: 'page',
        line: `Account on this page: ${accountName(hint.address, labels)}`,
      };
    return notWatched(shortAddress(hint.address));
  }
  if (hint?.kind === 'abbreviated') {
    const matches = addresses.filter(
      (a) => a.slice(2).startsWith(hint.prefix) && a.endsWith(hint.suffix),
    );
    const only = matches.length === 1 ? matches[0] : undefined;
    if (only !== undefined)
      return {
        address: only,
        basis: 'page',
        line: `Account on this page: ${accountName(only, labels)}`,
      };
    if (matches.length === 0) return notWatched(hint.text);
    // Several watched addresses share the abbreviation's digits: the page cannot tell them apart.
  }
  return {
    address: first,
    basis: 'default',
    line: `Showing ${accountName(first, labels)}: this page does not say which account it shows.`,
  };
}
