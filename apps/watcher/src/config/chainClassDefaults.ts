/** Execution stack of a chain; decides the default thresholds and which signals apply. */
export const chainClasses = ['op-stack', 'nitro', 'zk', 'other'] as const;
export type ChainClass = (typeof chainClasses)[number];

/**
 * Detection thresholds of one chain, in seconds of the watcher's wall clock unless named otherwise.
 * Defaults: research/sequencer.md §4.3 (SPEC §3.1).
 */
export type ChainThresholds = {
  /** No new head for this long → `degraded` (pre-halt). */
  degradedAfterSeconds: number;
  /** No new head for this long → `halted` (on probe chains only when the probe fails too). */
  haltedAfterSeconds: number;
  /** `now − safe.timestamp` above this → flag `safeLagWarn`; `null` disables. */
  safeLagWarnSeconds: number | null;
  /** `now − safe.timestamp` above this → flag `safeLagCrit`; `null` disables. */
  safeLagCritSeconds: number | null;
  /** `recovering` lasts this long after a halt ends (Chainlink GRACE_PERIOD_TIME, sequencer.md §1.3). */
  recoveryGraceSeconds: number;
  /** Grace period after the uptime feed flips back to up (`now − startedAt <= grace`). */
  feedGraceSeconds: number;
  /** Wall-clock window of the expected-vs-observed block count (op-conductor rule, sequencer.md §2.1). */
  blockGapWindowSeconds: number;
  /** Observed/expected blocks in the window below this ratio → `degraded` (slow blocks). */
  slowBlockRatio: number;
  /** How long the `reorg` flag stays set after the last reorg. */
  reorgFlagHoldSeconds: number;
  /** Reorgs at least this deep open a critical incident. */
  reorgCriticalDepth: number;
  /**
   * An RPC whose head is more than this many blocks behind the believed head is `lagging` (or
   * `stuck` after `haltedAfterSeconds` without moving) and ignored; one further ahead than this is
   * believed only once its chain is confirmed (`subjects/sequencer/rpcQuorum.ts`). Chainlink EA: 6.
   */
  lagToleranceBlocks: number;
  /**
   * A chain `unknown` (no trusted endpoint) since it was first watched opens a `no-data` incident
   * after this long (a change into `unknown` opens it at once). Default: `haltedAfterSeconds`.
   */
  noDataAfterSeconds: number;
};

/** Per-class behaviour that is not a threshold. */
export type ChainClassTraits = {
  /** Blocks are made only when there are transactions (Nitro): head age alone is not proof of a halt. */
  txDriven: boolean;
  /** Run the invalid-transaction probe before declaring a halt. */
  probe: boolean;
  /** The chain answers `safe`/`finalized` block tags meaningfully. */
  safeTags: boolean;
  /** Transactions every block carries even when idle (OP: the L1-info deposit; Nitro: StartBlock). */
  systemTxsPerBlock: number;
};

const minutes = (m: number) => m * 60;

/**
 * Default thresholds and traits of a chain class (research/sequencer.md §4.3).
 *
 * OP-stack: degraded after 10 block times (20 s at 2 s, 10 s at 1 s), halted after 60 s, safe lag
 * 10/30 min. Nitro: 30 s/120 s + failed probe, safe lag 30/65 min. zk: 30 s/120 s, safe lag 30/90 min.
 * other: 30 s/120 s, no safe-lag flags.
 *
 * @example classDefaults('op-stack', 2000).thresholds.degradedAfterSeconds // 20
 */
export function classDefaults(
  chainClass: ChainClass,
  blockTimeMs: number | null,
): { thresholds: ChainThresholds; traits: ChainClassTraits } {
  const d = classDefaultsWithoutNoData(chainClass, blockTimeMs);
  return {
    thresholds: { ...d.thresholds, noDataAfterSeconds: d.thresholds.haltedAfterSeconds },
    traits: d.traits,
  };
}

function classDefaultsWithoutNoData(
  chainClass: ChainClass,
  blockTimeMs: number | null,
): { thresholds: Omit<ChainThresholds, 'noDataAfterSeconds'>; traits: ChainClassTraits } {
  const common = {
    recoveryGraceSeconds: 3600,
    feedGraceSeconds: 3600,
    slowBlockRatio: 0.5,
    reorgFlagHoldSeconds: minutes(10),
    reorgCriticalDepth: 10,
    lagToleranceBlocks: 6,
  };
  switch (chainClass) {
    case 'op-stack': {
      const blockSeconds = (blockTimeMs ?? 2000) / 1000;
      return {
        thresholds: {
          ...common,
          degradedAfterSeconds: Math.max(10, 10 * blockSeconds),
          haltedAfterSeconds: 60,
          safeLagWarnSeconds: minutes(10),
          safeLagCritSeconds: minutes(30),
          blockGapWindowSeconds: Math.max(30, 30 * blockSeconds),
        },
        traits: { txDriven: false, probe: false, safeTags: true, systemTxsPerBlock: 1 },
      };
    }
    case 'nitro':
      return {
        thresholds: {
          ...common,
          degradedAfterSeconds: 30,
          haltedAfterSeconds: 120,
          safeLagWarnSeconds: minutes(30),
          safeLagCritSeconds: minutes(65),
          blockGapWindowSeconds: 60,
        },
        traits: { txDriven: true, probe: true, safeTags: true, systemTxsPerBlock: 1 },
      };
    case 'zk':
      return {
        thresholds: {
          ...common,
          degradedAfterSeconds: 30,
          haltedAfterSeconds: 120,
          safeLagWarnSeconds: minutes(30),
          safeLagCritSeconds: minutes(90),
          blockGapWindowSeconds: 60,
        },
        traits: { txDriven: false, probe: false, safeTags: true, systemTxsPerBlock: 0 },
      };
    case 'other':
      return {
        thresholds: {
          ...common,
          degradedAfterSeconds: 30,
          haltedAfterSeconds: 120,
          safeLagWarnSeconds: null,
          safeLagCritSeconds: null,
          blockGapWindowSeconds: 60,
        },
        traits: { txDriven: false, probe: false, safeTags: false, systemTxsPerBlock: 0 },
      };
  }
}
