import { defineConfig } from 'wxt';

// Permissions are SPEC §5's list plus `activeTab` + `scripting` for "Use this page's account"
// (issue 18) and, on Chrome, `offscreen` for the optional critical-alert sound; asserted by
// src/manifest.test.ts: no `tabs`, `webRequest` or `<all_urls>`. None of the three carries an
// install warning; `activeTab` + `scripting` let the popup run one read-only probe in the tab it was
// opened over, on the user's click only (README, Privacy). The watcher's origin is user-configured,
// so it is only an optional host permission requested at runtime from the options page.
export default defineConfig({
  // Store packages: `.output/perpscope-<version>-chrome.zip`, `-firefox.zip` and AMO's sources zip.
  zip: { name: 'perpscope', excludeSources: ['test-results/**', '.output/**'] },
  manifest: ({ browser }) => ({
    name: 'perpscope',
    description:
      'Liquidation distances and infrastructure risk badges on perp DEX pages. Read-only: no keys, no signing.',
    // Chrome: `offscreen` for the optional critical-alert sound (an MV3 service worker cannot play
    // audio; Firefox's background page can, and Firefox has no offscreen API).
    permissions:
      browser === 'firefox'
        ? ['storage', 'alarms', 'notifications', 'activeTab', 'scripting']
        : ['storage', 'alarms', 'notifications', 'activeTab', 'scripting', 'offscreen'],
    host_permissions: ['https://api.hyperliquid.xyz/*'],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'perpscope@perpscope.dev',
              strict_min_version: '128.0',
              // Firefox's built-in data consent: perpscope collects nothing for itself. The
              // addresses the user enters go only to the venue's public API (the same one its
              // page uses) and, as chain ids and coin names, to the user's own watcher (README
              // "Privacy"). Whether AMO counts the venue API call as transmission is a judgement
              // call to confirm at submission.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : { minimum_chrome_version: '116' }),
  }),
});
