/**
 * Content-script match patterns per site (SPEC §5: content scripts only on the target sites).
 * HIP-3 front-ends are a build-time list: adding one means a new manifest `matches` entry, which
 * Chrome shows to the user on update. Each site can be switched off in the options.
 */
export const SITE_MATCHES = {
  hyperliquid: ['https://app.hyperliquid.xyz/*'],
  /**
   * HIP-3 front-ends that render Hyperliquid-style positions tables. The hostnames are not confirmed
   * by our research (research/extension.md §6 item 3): verify before a store release.
   */
  hip3: ['https://app.trade.xyz/*', 'https://app.ventuals.com/*', 'https://usefelix.xyz/*'],
  aevo: ['https://app.aevo.xyz/*'],
} as const;

/** How often a visible exchange tab asks the background for fresh data (ms). */
export const PAGE_POLL_MS = 3000;
