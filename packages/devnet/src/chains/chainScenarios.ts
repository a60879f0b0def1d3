import type { ChainScenario, ChainScenarioStep } from './ChainScenario.js';

/*
 * Scenario library. Times are milliseconds from the start of the scenario; `playScenario`'s
 * `timeScale` stretches or squeezes them further. The incident replays compress hours into about a
 * minute, so they are meant for a watcher whose thresholds are scaled down the same way (e.g. a
 * 1–2 s chain: degraded after ~3–6 s without a head, halted after ~6–12 s; safe-lag warn/crit
 * after ~15/30 s). Every halt below lasts ≥ 20 s and every degradation phase uses blocks ≥ 2× the
 * nominal interval so those scaled thresholds are crossed with margin on a loaded machine.
 *
 * OP-stack incidents are replayed from wall-clock timelines (status pages/postmortems), not from
 * L2 block timestamps, which OP chains back-fill after a halt (sequencer.md §3, "Notes for replays");
 * their chains use `timestamps: 'op-stack'` so the devnet back-fills the same way.
 */

const step = (
  atMs: number,
  chain: string,
  action: ChainScenarioStep['action'],
  note: string,
): ChainScenarioStep => ({ atMs, chain, action, note });

/**
 * Three chains, ~90 s: an OP-stack-like 2 s chain degrades (longer gaps, empty blocks), halts and
 * recovers (with the uptime feed flipping down→up around the recovery); an Arbitrum-like
 * tx-driven chain suffers a 2-block reorg and a failing RPC; a 1 s chain has its safe head stall
 * and one stale RPC replica.
 */
const demo: ChainScenario = {
  name: 'demo',
  description:
    'OP-stack-like 2 s chain: degradation → halt → recovery (feed down, then up with a fresh startedAt); ' +
    'Arbitrum-like tx-driven chain: 2-block reorg and an RPC answering 500; ' +
    '1 s chain: safe-head stall and a stale RPC replica. ~90 s, loops cleanly (every control is undone).',
  chains: [
    { name: 'op-devnet', chainId: 901, blockTime: 2, timestamps: 'op-stack' },
    { name: 'arb-devnet', chainId: 902, blockTime: 'tx-driven' },
    { name: 'fast-devnet', chainId: 903, blockTime: 1 },
  ],
  steps: [
    step(
      10_000,
      'op-devnet',
      { kind: 'slowBlocks', secondsPerBlock: 4 },
      'pre-halt: block gaps double (4 s instead of 2 s)',
    ),
    step(
      15_000,
      'fast-devnet',
      { kind: 'stallSafeHead' },
      'batcher stops posting: safe/finalized stall while latest advances',
    ),
    step(
      18_000,
      'op-devnet',
      { kind: 'emptyBlocks', on: true },
      'pre-halt: blocks keep coming but carry no transactions',
    ),
    step(
      20_000,
      'arb-devnet',
      { kind: 'reorg', depth: 2 },
      'the last 2 blocks are replaced (same height, new hashes)',
    ),
    step(
      24_000,
      'op-devnet',
      { kind: 'slowBlocks', secondsPerBlock: 8 },
      'pre-halt: block gaps 8 s',
    ),
    step(30_000, 'op-devnet', { kind: 'halt' }, 'sequencer halted: no new blocks'),
    step(
      35_000,
      'fast-devnet',
      { kind: 'rpcFault', index: 0, fault: 'stale' },
      'RPC 0 stops syncing and keeps serving an old head',
    ),
    step(
      40_000,
      'op-devnet',
      { kind: 'sequencerUp', up: false },
      "uptime feed 'down' queued as an L1→L2 message; it lands only when the sequencer resumes",
    ),
    step(
      45_000,
      'fast-devnet',
      { kind: 'releaseSafeHead' },
      'batches posted again: safe/finalized catch up',
    ),
    step(
      50_000,
      'arb-devnet',
      { kind: 'rpcFault', index: 1, fault: 'http500' },
      'RPC 1 answers HTTP 500',
    ),
    step(55_000, 'fast-devnet', { kind: 'rpcFault', index: 0, fault: 'none' }, 'RPC 0 resynced'),
    step(
      60_000,
      'op-devnet',
      { kind: 'slowBlocks', secondsPerBlock: 2 },
      'nominal 2 s block production restored (takes effect on resume)',
    ),
    step(
      60_000,
      'op-devnet',
      { kind: 'resume' },
      'sequencer back: the queued feed "down" round lands first, missed slots are back-filled',
    ),
    step(
      64_000,
      'op-devnet',
      { kind: 'sequencerUp', up: true },
      'uptime feed up again: startedAt = now, grace period starts',
    ),
    step(66_000, 'op-devnet', { kind: 'emptyBlocks', on: false }, 'user transactions return'),
    step(
      70_000,
      'arb-devnet',
      { kind: 'rpcFault', index: 1, fault: 'none' },
      'RPC 1 healthy again',
    ),
  ],
  durationMs: 90_000,
};

/**
 * Shortest useful halt, for integration tests: one 1 s chain, halt at 2 s for 10 s.
 * With thresholds degraded 3 s / halted 6 s the watcher sees up → degraded → halted → recovering.
 */
const quickHalt: ChainScenario = {
  name: 'quick-halt',
  description: 'One 1 s chain halts at 2 s and resumes at 12 s; ends at 16 s.',
  chains: [{ name: 'quick', chainId: 904, blockTime: 1 }],
  steps: [
    step(2_000, 'quick', { kind: 'halt' }, 'halt'),
    step(12_000, 'quick', { kind: 'resume' }, 'resume'),
  ],
  durationMs: 16_000,
};

/**
 * A quiet tx-driven chain is not a halted one: Nitro makes no blocks without transactions
 * (sequencer.md §2.4), so a 20 s lull must keep the chain `up` as long as the sequencer endpoint
 * still answers (the invalid-tx probe is rejected, not timed out) — compare `quick-halt`-style halts,
 * where the proxies hold `eth_sendRawTransaction` unanswered (sequencer.md §5.3 "Arbitrum-style idle").
 */
const txDrivenIdle: ChainScenario = {
  name: 'tx-driven-idle',
  description:
    'Arbitrum-like chain goes idle for 20 s (no transactions, so no blocks) while its sequencer stays reachable, then halts for 15 s.',
  chains: [{ name: 'idle-arb', chainId: 905, blockTime: 'tx-driven' }],
  steps: [
    step(
      3_000,
      'idle-arb',
      { kind: 'emptyBlocks', on: true },
      'no user transactions: no blocks, sequencer alive',
    ),
    step(
      23_000,
      'idle-arb',
      { kind: 'emptyBlocks', on: false },
      'transactions again: blocks again',
    ),
    step(30_000, 'idle-arb', { kind: 'halt' }, 'sequencer halted: sends time out'),
    step(45_000, 'idle-arb', { kind: 'resume' }, 'sequencer back'),
  ],
  durationMs: 50_000,
};

/*
 * Arbitrum One, 2023-12-15 (sequencer.md §3 #7). Real timeline (UTC): 00:07 L1 node lag starts a
 * batch-posting backlog; 12:11 backlog grows; 14:59 backlog peaks at 34,515 messages with ~2-tx
 * blocks; ~15:34 halt (feed relay OOM); ~16:57 recovery; fees elevated until 21:04.
 * Compression is piecewise (one factor would make the halt too short to see next to 15 h of
 * degradation): 00:07→15:34 (927 min) → 30 s (≈1850×); halt 15:34→16:57 (83 min) → 25 s (≈200×);
 * 16:57→21:04 (247 min) → 15 s (≈990×). The Arbitrum uptime feed recorded no round for this
 * incident (sequencer.md §1.6 item 3), so the feed is left untouched.
 */
const arbitrum20231215: ChainScenario = {
  name: 'arbitrum-2023-12-15',
  description:
    'Arbitrum One degraded → halt: batch backlog stalls the safe head and throughput drops for hours, ' +
    'then the sequencer halts for 83 min. Piecewise compressed (≈1850× degraded, ≈200× halt, ≈990× tail).',
  source:
    'Arbitrum One outage 2023-12-15 — https://github.com/ArbitrumFoundation/docs/blob/50ee88b406e6e5f3866b32d147d05a6adb0ab50e/postmortems/15_Dec_2023.md , https://status.arbitrum.io/clq6te1l142387b8n5bmllk9es',
  chains: [{ name: 'arbitrum-one', chainId: 42161, blockTime: 'tx-driven' }],
  steps: [
    step(
      2_000,
      'arbitrum-one',
      { kind: 'stallSafeHead' },
      '00:07 L1 node lag: batches stop landing on L1, safe head stalls',
    ),
    step(
      14_000,
      'arbitrum-one',
      { kind: 'slowBlocks', secondsPerBlock: 2 },
      '12:11 backlog grows, fewer transactions get sequenced',
    ),
    step(
      24_000,
      'arbitrum-one',
      { kind: 'slowBlocks', secondsPerBlock: 4 },
      '14:59 backlog peaks at 34,515 messages; blocks with ~2 txs',
    ),
    step(
      32_000,
      'arbitrum-one',
      { kind: 'halt' },
      '15:34 feed relay out of memory: sequencer halts',
    ),
    step(57_000, 'arbitrum-one', { kind: 'resume' }, '16:57 sequencer back'),
    step(
      57_000,
      'arbitrum-one',
      { kind: 'slowBlocks', secondsPerBlock: 1 },
      'throughput back to normal',
    ),
    step(
      64_000,
      'arbitrum-one',
      { kind: 'releaseSafeHead' },
      'backlog posted to L1: safe head catches up',
    ),
  ],
  durationMs: 72_000,
};

/*
 * Arbitrum One, 2023-06-07 (sequencer.md §3 #5): the batch poster was stuck from 06:04:53 to
 * ~08:00 while the sequencer kept producing L2 blocks 98671050–98696350 normally — safe lag only.
 * Compression 120× (1 min → 0.5 s): ~115 min → 57.5 s. Real safe-lag thresholds 30/65 min
 * (sequencer.md §4.3) scale to 15 s/32.5 s and are both crossed. No feed round (§1.6 item 3).
 */
const arbitrum20230607: ChainScenario = {
  name: 'arbitrum-2023-06-07',
  description:
    'Arbitrum One batch-poster outage: blocks keep coming, only safe/finalized stall for ~115 min. Compressed 120×.',
  source:
    'Arbitrum One batch poster outage 2023-06-07 — https://arbitrumfoundation.notion.site/June-7-2023-Batch-Poster-Outage-d49c50df42864c7b83521fd7aa5897f2',
  chains: [{ name: 'arbitrum-one', chainId: 42161, blockTime: 'tx-driven' }],
  steps: [
    step(
      5_000,
      'arbitrum-one',
      { kind: 'stallSafeHead' },
      '06:04:53 batch poster stuck: no batches on L1, safe head stalls',
    ),
    step(
      62_500,
      'arbitrum-one',
      { kind: 'releaseSafeHead' },
      '~08:00 batch posting resumes: safe head catches up',
    ),
  ],
  durationMs: 70_000,
};

/*
 * Base, 2025-08-05 (sequencer.md §3 #15): 06:07 → 06:40 (33 min); op-conductor failed over to an
 * unprovisioned sequencer. Press reports differ — block 33,792,704 stuck, or ~1-tx blocks from
 * 33,792,346 to 33,793,679 — so the replay shows both: near-empty blocks first, then a stuck head,
 * then near-empty blocks again after the restart. Compression 60× (1 min → 1 s): 33 min → 33 s.
 * The exact split between "empty blocks" and "stuck" inside the window is not documented.
 */
const base20250805: ChainScenario = {
  name: 'base-2025-08-05',
  description:
    'Base: conductor failover to an unprovisioned sequencer — near-empty blocks, then a stuck head for most of 33 min, then recovery. Compressed 60×.',
  source:
    'Base block production incident 2025-08-05 — https://base-l2.statuspage.io/incidents/kdq3t8s13gfs',
  chains: [{ name: 'base', chainId: 8453, blockTime: 2, timestamps: 'op-stack' }],
  steps: [
    step(
      5_000,
      'base',
      { kind: 'emptyBlocks', on: true },
      '06:07 failover: blocks keep coming but carry no user transactions',
    ),
    step(8_000, 'base', { kind: 'halt' }, 'unsafe head stuck (press: block 33,792,704)'),
    step(38_000, 'base', { kind: 'resume' }, '06:40 block production restored'),
    step(
      44_000,
      'base',
      { kind: 'emptyBlocks', on: false },
      'user transactions included again (press: from block 33,793,679)',
    ),
  ],
  durationMs: 55_000,
};

/*
 * OP Mainnet, 2024-02-15 (sequencer.md §3 #9): ~11:00 → ~13:00 "unsafe head stall" with
 * single-block unsafe reorgs; L1 batcher gaps at L1 blocks 19231012–19231145 (133 blocks ≈ 27 min)
 * and 19231183–19231255 (72 blocks ≈ 14 min); a full node restart was needed. Compression 120×
 * (1 min → 0.5 s): 2 h → 60 s; the batcher gaps become 13.5 s and 7 s. Where inside the window
 * each stall and reorg happened is not documented; the replay spreads two stalls and three 1-block
 * reorgs across it.
 */
const op20240215: ChainScenario = {
  name: 'op-2024-02-15',
  description:
    'OP Mainnet instabilities: two unsafe-head stalls, 1-block reorgs and two L1 batcher gaps (safe-head stalls) over ~2 h. Compressed 120×.',
  source:
    'OP Mainnet unsafe head stall 2024-02-15 — https://status.optimism.io/clsmrawc31448hmlj2ja14ui3 , https://blockworks.co/news/optimism-outage-instabilities',
  chains: [{ name: 'op-mainnet', chainId: 10, blockTime: 2, timestamps: 'op-stack' }],
  steps: [
    step(
      2_000,
      'op-mainnet',
      { kind: 'stallSafeHead' },
      'L1 batcher gap 19231012–19231145 (~27 min)',
    ),
    step(5_000, 'op-mainnet', { kind: 'reorg', depth: 1 }, 'single-block unsafe reorg'),
    step(8_000, 'op-mainnet', { kind: 'halt' }, 'unsafe head stalls'),
    step(15_500, 'op-mainnet', { kind: 'releaseSafeHead' }, 'batches land again'),
    step(
      19_500,
      'op-mainnet',
      { kind: 'stallSafeHead' },
      'L1 batcher gap 19231183–19231255 (~14 min)',
    ),
    step(28_000, 'op-mainnet', { kind: 'resume' }, 'unsafe head moves again'),
    step(30_000, 'op-mainnet', { kind: 'reorg', depth: 1 }, 'single-block unsafe reorg'),
    step(26_700, 'op-mainnet', { kind: 'releaseSafeHead' }, 'batches land again'),
    step(34_000, 'op-mainnet', { kind: 'halt' }, 'unsafe head stalls again; node restart needed'),
    step(54_000, 'op-mainnet', { kind: 'resume' }, '~13:00 restarted node: head moves'),
    step(
      56_000,
      'op-mainnet',
      { kind: 'reorg', depth: 1 },
      'single-block unsafe reorg after the restart',
    ),
  ],
  durationMs: 62_000,
};

/*
 * Linea, 2024-06-02 (sequencer.md §3 #13): deliberate halt after the Velocore exploit, ~1–1.5 h,
 * L2 block 5081800 → 5081801, plus address censorship (not modelled: the devnet has no
 * per-address censorship control). Linea's own uptime feed is written by the sequencer's liveness
 * plugin, which prepends the update to the next block once the last block is older than 60 s
 * (sequencer.md §1.1), so the "down" round lands with the first block after the restart.
 * Compression 100× (1 min → 0.6 s): 75 min → 45 s.
 */
const linea20240602: ChainScenario = {
  name: 'linea-2024-06-02',
  description:
    'Linea deliberate halt (~75 min) after the Velocore exploit; the liveness feed records "down" in the first block after the restart, then "up". Compressed 100×.',
  source:
    'Linea halt 2024-06-02 — https://x.com/LineaBuild/status/1797283402745573837 , https://thedefiant.io/news/defi/linea-halts-network-after-velocore-exploit',
  chains: [{ name: 'linea', chainId: 59144, blockTime: 2 }],
  steps: [
    step(5_000, 'linea', { kind: 'halt' }, 'sequencer stopped deliberately after block 5081800'),
    step(
      6_000,
      'linea',
      { kind: 'sequencerUp', up: false },
      'liveness plugin: last block older than 60 s, "down" update queued for the next block',
    ),
    step(
      50_000,
      'linea',
      { kind: 'resume' },
      'block 5081801: production resumes, the "down" round lands first',
    ),
    step(52_000, 'linea', { kind: 'sequencerUp', up: true }, 'liveness feed back to "up"'),
  ],
  durationMs: 60_000,
};

/** The scenario library, keyed by scenario name (see each scenario's `description`/`source`). */
export const chainScenarios = {
  demo,
  'quick-halt': quickHalt,
  'tx-driven-idle': txDrivenIdle,
  'arbitrum-2023-12-15': arbitrum20231215,
  'arbitrum-2023-06-07': arbitrum20230607,
  'base-2025-08-05': base20250805,
  'op-2024-02-15': op20240215,
  'linea-2024-06-02': linea20240602,
} as const satisfies Record<string, ChainScenario>;

/** Names of the scenarios in {@link chainScenarios}. */
export type ChainScenarioName = keyof typeof chainScenarios;
