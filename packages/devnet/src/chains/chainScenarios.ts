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

/*
 * Arbitrum One, 2022-01-09 (sequencer.md §3 #2): the sequencer went down at ~10:30 UTC after a
 * hardware failure, the backup failed because an upgrade was in progress, and blocks resumed at
 * ~17:30 (L2 4509809 → 4509828): a ~7 h halt. The 284 transactions it had accepted but not posted
 * were kept and included after the restart — **no reorg**. While down the sequencer answered no
 * transactions (the devnet's tx-driven halt holds sends, so the invalid-tx probe fails).
 * Compression 600× (1 h → 6 s): 7 h → 42 s.
 * Expected from the post-mortem (a multi-hour halt, then a clean restart): up → degraded (no
 * block for the degraded threshold, probe failing) → halted → recovering (blocks again; no reorg,
 * so the reorg flag never rises) → up (after the grace period).
 */
const arbitrum20220109: ChainScenario = {
  name: 'arbitrum-2022-01-09',
  description:
    'Arbitrum One sequencer hardware failure: ~7 h halt, accepted transactions preserved, no reorg. Compressed 600×.',
  source:
    'Arbitrum One sequencer downtime 2022-01-09 — https://offchain.medium.com/todays-arbitrum-sequencer-downtime-what-happened-6382a3066fbc',
  chains: [{ name: 'arbitrum-one', chainId: 42161, blockTime: 'tx-driven' }],
  steps: [
    step(
      4_000,
      'arbitrum-one',
      { kind: 'halt' },
      '~10:30 sequencer hardware failure; the backup fails mid-upgrade (after L2 4509809)',
    ),
    step(
      46_000,
      'arbitrum-one',
      { kind: 'resume' },
      '~17:30 sequencer back (L2 4509828); the accepted transactions are included, no reorg',
    ),
  ],
  durationMs: 58_000,
  expectedStatuses: { 'arbitrum-one': ['up', 'degraded', 'halted', 'recovering', 'up'] },
};

/*
 * ZKsync Era, 2023-12-25 (sequencer.md §3 #8): at 05:50 UTC a state-diff mismatch in the operator
 * tripped its safety mode and block production stopped; blocks resumed ~10:52 (batches
 * 363034 → 363035): a ~5 h halt. With no new batches, nothing was committed to L1 either, so the
 * `safe` (= l1_committed) head stalled with the halt and caught up after it. zk-class chain (no
 * invalid-tx probe: a halt is judged on head progress alone). Compression 600× (1 h → 6 s): 5 h → 30 s.
 * Expected from the post-mortem: up → degraded → halted → recovering → up, with safeLagWarn and
 * safeLagCrit raised during the halt and cleared once batches are committed again; no reorg.
 */
const zksync20231225: ChainScenario = {
  name: 'zksync-2023-12-25',
  description:
    'ZKsync Era safety mode: the operator stops on a state-diff mismatch for ~5 h, L1 commits stop with it, then production resumes. Compressed 600×.',
  source:
    'ZKsync Era block production halt 2023-12-25 — https://x.com/zkSyncDevs/status/1739395228233335154 , https://cryptopotato.com/zksync-era-network-bug-causes-block-production-halt/',
  chains: [{ name: 'zksync-era', chainId: 324, blockTime: 1 }],
  steps: [
    step(
      4_000,
      'zksync-era',
      { kind: 'stallSafeHead' },
      '05:50 state-diff mismatch: no batch is committed to L1 any more (safe = l1_committed stalls)',
    ),
    step(
      4_000,
      'zksync-era',
      { kind: 'halt' },
      '05:50 safety mode tripped: block production stops (after batch 363034)',
    ),
    step(34_000, 'zksync-era', { kind: 'resume' }, '~10:52 block production resumes'),
    step(
      36_000,
      'zksync-era',
      { kind: 'releaseSafeHead' },
      'batch 363035 committed: the safe head catches up',
    ),
  ],
  durationMs: 46_000,
  expectedStatuses: { 'zksync-era': ['up', 'degraded', 'halted', 'recovering', 'up'] },
};

/*
 * Degen and Proof of Play Apex (Conduit-run Arbitrum Orbit / AnyTrust chains), 2024-05-12
 * (sequencer.md §3 #12, Conduit's post-mortem): on Fri May 10 larger batches (10 MB) delayed batch
 * posting; on Sun May 12 ~13:00 PST the change was reverted, the batches then landed after the 24 h
 * force-inclusion window, Nitro re-ordered the delayed inbox messages first and replayed the
 * transactions with new timestamps — a deep reorg — and the nodes came back with corrupted
 * databases: the chains were down until May 14 19:30 PST (~54 h). Seen from outside, blocks the
 * watcher had seen before the outage have other hashes once the chain is back: a deep reorg
 * **after resumption**. Orbit chains are tx-driven (Nitro). Compression: the batch delay phase
 * (May 10, hour not given → May 12 13:00) → 12 s; the 54 h outage at 6000× → 32.4 s; the reorg is
 * replayed 1 s after blocks resume, 14 blocks deep (≥ the watcher's critical depth of 10).
 * Expected from the post-mortem: up (safe-lag flags rise while batches are delayed) → degraded →
 * halted → recovering (with the reorg flag and a critical reorg incident right after the
 * resumption) → up.
 */
const conduitOrbit20240512: ChainScenario = {
  name: 'conduit-orbit-2024-05-12',
  description:
    'Conduit Orbit chains (Degen, Proof of Play Apex): delayed batches, a 54 h outage, and a deep reorg once blocks resume. Piecewise compressed (batch delay → 12 s, outage 6000×).',
  source:
    'Degen and Proof of Play Apex outage 2024-05-12 — https://conduitxyz.notion.site/External-Degen-and-Proof-of-Play-Incident-Post-Mortem-0b47c88868034e51924b00e712ca1ddb',
  chains: [{ name: 'degen', chainId: 666666666, blockTime: 'tx-driven' }],
  steps: [
    step(
      3_000,
      'degen',
      { kind: 'stallSafeHead' },
      'May 10: 10 MB batches delay batch posting; the safe head stalls',
    ),
    step(
      15_000,
      'degen',
      { kind: 'halt' },
      'May 12 ~13:00 PST: batches land after the 24 h force-inclusion window; the nodes go down corrupted',
    ),
    step(
      47_400,
      'degen',
      { kind: 'resume' },
      'May 14 19:30 PST: the resynced chain is back online',
    ),
    step(
      48_400,
      'degen',
      { kind: 'reorg', depth: 14 },
      'the blocks seen before the outage were replayed with new timestamps: deep reorg',
    ),
    step(
      50_400,
      'degen',
      { kind: 'releaseSafeHead' },
      'batches posted again: the safe head catches up',
    ),
  ],
  durationMs: 62_000,
  expectedStatuses: { degen: ['up', 'degraded', 'halted', 'recovering', 'up'] },
};

/**
 * Endpoints stuck after a halt (sequencer.md §3 #10, Blast 2024-03-13: 2 of 5 public RPCs stayed at
 * block 764454 after the recovery): one 1 s chain with `n` RPC endpoints halts; `k` of them
 * (`1 ≤ k < n`) stop syncing at the halt block and stay there after the resumption; healed at the
 * end. With `k > n/2` the stuck endpoints outnumber the healthy ones.
 *
 * @example stuckEndpointsAfterHalt({ n: 3, k: 2 })
 */
export function stuckEndpointsAfterHalt(params: { n: number; k: number }): ChainScenario {
  const { n, k } = params;
  if (!(Number.isInteger(n) && Number.isInteger(k) && k >= 1 && k < n)) {
    throw new Error(`stuckEndpointsAfterHalt: need integers 1 ≤ k < n, got k=${k}, n=${n}`);
  }
  const stuck = Array.from({ length: k }, (_, i) => i);
  return {
    name: `stuck-rpcs-${k}-of-${n}`,
    description: `A 1 s chain with ${n} RPC endpoints halts for 12 s; ${k} of them stay stuck at the halt block for 20 s after the resumption.`,
    chains: [{ name: 'stuck-rpcs', chainId: 906, blockTime: 1, rpcCount: n }],
    steps: [
      step(3_000, 'stuck-rpcs', { kind: 'halt' }, 'sequencer halted'),
      ...stuck.map((index) =>
        step(
          3_000,
          'stuck-rpcs',
          { kind: 'rpcFault', index, fault: 'stale' },
          `RPC ${index} stops syncing at the halt block`,
        ),
      ),
      step(15_000, 'stuck-rpcs', { kind: 'resume' }, 'sequencer back; the stuck RPCs stay stuck'),
      ...stuck.map((index) =>
        step(
          35_000,
          'stuck-rpcs',
          { kind: 'rpcFault', index, fault: 'none' },
          `RPC ${index} resynced`,
        ),
      ),
    ],
    durationMs: 40_000,
    expectedStatuses: { 'stuck-rpcs': ['up', 'degraded', 'halted', 'recovering', 'up'] },
  };
}

/**
 * The reverse of {@link stuckEndpointsAfterHalt}: one of three endpoints runs 10 blocks ahead on a
 * fork of the chain (other hashes above the split) for 20 s, then is put back; the chain itself
 * stays healthy throughout, so a watcher must stay `up` and record no reorg.
 */
const forkAhead: ChainScenario = {
  name: 'fork-ahead-1-of-3',
  description:
    'A 1 s chain whose RPC 0 runs 10 blocks ahead on a fork for 20 s; the chain itself never stops.',
  chains: [{ name: 'forked-rpc', chainId: 907, blockTime: 1 }],
  steps: [
    step(
      3_000,
      'forked-rpc',
      { kind: 'forkRpc', index: 0, aheadBlocks: 10 },
      'RPC 0 serves a fork running 10 blocks ahead',
    ),
    step(
      23_000,
      'forked-rpc',
      { kind: 'rpcFault', index: 0, fault: 'none' },
      'RPC 0 back on the canonical chain',
    ),
  ],
  durationMs: 28_000,
  expectedStatuses: { 'forked-rpc': ['up'] },
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
  'arbitrum-2022-01-09': arbitrum20220109,
  'zksync-2023-12-25': zksync20231225,
  'conduit-orbit-2024-05-12': conduitOrbit20240512,
  'stuck-rpcs-2-of-3': stuckEndpointsAfterHalt({ n: 3, k: 2 }),
  'stuck-rpcs-1-of-3': stuckEndpointsAfterHalt({ n: 3, k: 1 }),
  'fork-ahead-1-of-3': forkAhead,
} as const satisfies Record<string, ChainScenario>;

/** Names of the scenarios in {@link chainScenarios}. */
export type ChainScenarioName = keyof typeof chainScenarios;
