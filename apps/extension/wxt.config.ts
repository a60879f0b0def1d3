import { defineConfig } from 'wxt';

// Permissions are exactly SPEC §5's list, asserted by src/manifest.test.ts: no `tabs`, `scripting`,
// `webRequest` or `<all_urls>`. The watcher's origin is user-configured, so it is only an optional
// host permission requested at runtime from the options page.
export default defineConfig({
  // Firefox's data-collection categories must be declared before an AMO submission (the address
  // goes to the Hyperliquid API, page numbers stay local); until that decision, silence the warning.
  suppressWarnings: { firefoxDataCollection: true },
  manifest: ({ browser }) => ({
    name: 'perpscope',
    description:
      'Liquidation distances and infrastructure risk badges on perp DEX pages. Read-only: no keys, no signing.',
    permissions: ['storage', 'alarms', 'notifications'],
    host_permissions: ['https://api.hyperliquid.xyz/*'],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: { id: 'perpscope@perpscope.dev', strict_min_version: '128.0' },
          },
        }
      : { minimum_chrome_version: '116' }),
  }),
});
