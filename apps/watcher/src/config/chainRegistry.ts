import type { ChainClass, ChainThresholds } from './chainClassDefaults.js';

/** An L2 uptime feed: Chainlink's `AggregatorV2V3Interface` proxy, or Linea's own compatible feed. */
export type UptimeFeedRef = { kind: 'chainlink' | 'linea'; address: `0x${string}` };

/** One entry of the built-in chain registry (SPEC §3.1). Thresholds override the class defaults. */
export type RegistryChain = {
  key: string;
  chainId: number;
  name: string;
  class: ChainClass;
  /** Nominal block time; `null` for chains without a fixed cadence (tx-driven or unknown). */
  blockTimeMs: number | null;
  rpcUrls: readonly string[];
  uptimeFeed: UptimeFeedRef | null;
  thresholds?: Partial<ChainThresholds>;
};

/**
 * The default chain registry. Feed addresses: Chainlink's L2 sequencer uptime feed proxies and
 * Linea's `LineaSequencerUptimeFeed`, keyed by chainId (research/sequencer.md §1.1 — the same address
 * appears on several chains, so never key by address). Block times: viem chain definitions
 * (sequencer.md §4.1). Thresholds: sequencer.md §4.3. RPC URLs are public endpoints; operators should
 * put their own first in a config file.
 */
export const chainRegistry: readonly RegistryChain[] = [
  {
    key: 'arbitrum-one',
    chainId: 42161,
    name: 'Arbitrum One',
    class: 'nitro',
    blockTimeMs: 250,
    rpcUrls: [
      'https://arb1.arbitrum.io/rpc',
      'https://arbitrum-one-rpc.publicnode.com',
      'https://arbitrum.drpc.org',
    ],
    uptimeFeed: { kind: 'chainlink', address: '0xFdB631F5EE196F0ed6FAa767959853A9F217697D' },
  },
  {
    key: 'op-mainnet',
    chainId: 10,
    name: 'OP Mainnet',
    class: 'op-stack',
    blockTimeMs: 2000,
    rpcUrls: [
      'https://mainnet.optimism.io',
      'https://optimism-rpc.publicnode.com',
      'https://optimism.drpc.org',
    ],
    uptimeFeed: { kind: 'chainlink', address: '0x371EAD81c9102C9BF4874A9075FFFf170F2Ee389' },
  },
  {
    key: 'base',
    chainId: 8453,
    name: 'Base',
    class: 'op-stack',
    blockTimeMs: 2000,
    rpcUrls: [
      'https://mainnet.base.org',
      'https://base-rpc.publicnode.com',
      'https://base.drpc.org',
    ],
    uptimeFeed: { kind: 'chainlink', address: '0xBCF85224fc0756B9Fa45aA7892530B47e10b6433' },
  },
  {
    key: 'unichain',
    chainId: 130,
    name: 'Unichain',
    class: 'op-stack',
    blockTimeMs: 1000,
    rpcUrls: ['https://mainnet.unichain.org', 'https://unichain-rpc.publicnode.com'],
    // A Unichain feed at 0x4956…F813 is claimed by a third party only (sequencer.md §1.1): unverified.
    uptimeFeed: null,
  },
  {
    key: 'zksync-era',
    chainId: 324,
    name: 'ZKsync Era',
    class: 'zk',
    blockTimeMs: 200,
    rpcUrls: ['https://mainnet.era.zksync.io', 'https://zksync.drpc.org'],
    uptimeFeed: { kind: 'chainlink', address: '0x0E6AC8B967393dcD3D36677c126976157F993940' },
  },
  {
    key: 'scroll',
    chainId: 534352,
    name: 'Scroll',
    class: 'zk',
    blockTimeMs: 3000,
    rpcUrls: ['https://rpc.scroll.io', 'https://scroll-rpc.publicnode.com'],
    uptimeFeed: { kind: 'chainlink', address: '0x45c2b8C204568A03Dc7A2E32B71D67Fe97F908A9' },
    // Scroll does not support the `safe` tag (sequencer.md §4.2).
    thresholds: { safeLagWarnSeconds: null, safeLagCritSeconds: null },
  },
  {
    key: 'linea',
    chainId: 59144,
    name: 'Linea',
    class: 'zk',
    blockTimeMs: 2000,
    rpcUrls: ['https://rpc.linea.build', 'https://linea-rpc.publicnode.com'],
    uptimeFeed: { kind: 'linea', address: '0x3ae6ea694a52748e517486b962250eb20d98535d' },
    // Linea's own liveness plugin uses a 60 s max block age; finalized lag of hours is normal.
    thresholds: { haltedAfterSeconds: 60, safeLagWarnSeconds: null, safeLagCritSeconds: null },
  },
  {
    key: 'blast',
    chainId: 81457,
    name: 'Blast',
    class: 'op-stack',
    blockTimeMs: 2000,
    rpcUrls: ['https://rpc.blast.io', 'https://blast-rpc.publicnode.com'],
    uptimeFeed: null,
  },
  {
    key: 'mode',
    chainId: 34443,
    name: 'Mode',
    class: 'op-stack',
    blockTimeMs: 2000,
    rpcUrls: ['https://mainnet.mode.network', 'https://mode.drpc.org'],
    uptimeFeed: null,
  },
  {
    key: 'mantle',
    chainId: 5000,
    name: 'Mantle',
    class: 'op-stack',
    blockTimeMs: 2000,
    rpcUrls: ['https://rpc.mantle.xyz', 'https://mantle-rpc.publicnode.com'],
    uptimeFeed: { kind: 'chainlink', address: '0xaDE1b9AbB98c6A542E4B49db2588a3Ec4bF7Cdf0' },
  },
  {
    key: 'metis',
    chainId: 1088,
    name: 'Metis Andromeda',
    class: 'other',
    blockTimeMs: null,
    rpcUrls: ['https://andromeda.metis.io/?owner=1088', 'https://metis-rpc.publicnode.com'],
    uptimeFeed: { kind: 'chainlink', address: '0x58218ea7422255EBE94e56b504035a784b7AA204' },
    // Chainlink's adapter uses a 10-minute delta for Metis (sequencer.md §1.5, §4.3).
    thresholds: { degradedAfterSeconds: 300, haltedAfterSeconds: 600 },
  },
  {
    key: 'aevo',
    chainId: 2999,
    name: 'Aevo (OP-stack, Conduit)',
    class: 'op-stack',
    blockTimeMs: 2000,
    // Conduit-hosted endpoints; not reachable from the build machine, so unverified here.
    rpcUrls: ['https://l2-aevo-mainnet-prod-0.t.conduit.xyz', 'https://rpc.aevo.xyz'],
    uptimeFeed: null,
  },
  {
    key: 'hyperevm',
    chainId: 999,
    name: 'HyperEVM',
    class: 'other',
    blockTimeMs: 1000,
    rpcUrls: ['https://rpc.hyperliquid.xyz/evm', 'https://rpc.hypurrscan.io'],
    uptimeFeed: null,
  },
];
