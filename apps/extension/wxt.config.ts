import { defineConfig } from 'wxt';

export default defineConfig({
  manifest: {
    name: 'perpscope',
    description: 'Liquidation distances and infrastructure risk badges on perp DEX pages.',
    permissions: ['storage', 'alarms', 'notifications'],
    host_permissions: ['https://api.hyperliquid.xyz/*'],
  },
});
