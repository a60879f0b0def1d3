import type { Hex } from 'viem';
import type { Clock } from '../../clock.js';
import { type ClusterRuntime, singleWatcher } from '../../cluster/clusterRuntime.js';
import {
  combineObserverEvaluations,
  FRESH_POLLS,
  type QuorumResult,
} from '../../cluster/observerQuorum.js';
import type { ChainConfig } from '../../config/chainsConfig.js';
import type { BlockRecord } from '../../db/queries/blocks.js';
import type { RpcHealthRow } from '../../db/queries/chains.js';
import type { WatcherStore } from '../../db/store/watcherStore.js';
import type { EventLog } from '../../events/eventLog.js';
import type { Logger } from '../../logger.js';
import {
  createSecretRedactor,
  redactError,
  redactUrlSecrets,
  type TextRedactor,
} from '../../security/redactSecrets.js';
import { blockGapStats, type HeadSample } from './blockGapStats.js';
import { type ChainRpc, type ChainRpcFactory, errorText, malformedKind } from './chainRpc.js';
import {
  type ChainStateRecord,
  type FeedReading,
  initialChainState,
  type ProbeReading,
  type RpcStateRecord,
} from './chainStateRecord.js';
import { chainWriter } from './chainWithWriteFailure.js';
import { evaluateChainStatus } from './evaluateChainStatus.js';
import { type AdvanceResult, HeadTracker } from './headTracker.js';
import { runInvalidTxProbe, signInvalidTransaction } from './invalidTxProbe.js';
import { recordChainChanges } from './recordChainChanges.js';
import { RpcQuorum, type RpcReading } from './rpcQuorum.js';
import { readUptimeFeed } from './uptimeFeed.js';

export type ChainWatcherDeps = {
  config: ChainConfig;
  store: WatcherStore;
  eventLog: EventLog;
  clock: Clock;
  logger: Logger;
  rpcFactory: ChainRpcFactory;
  /**
   * This watcher's place among the watchers on its database (default {@link singleWatcher}):
   * RPC health is kept per `observer`; in `redundant` mode the watcher also stores its evaluation
   * as a `chain_observations` row every poll, and only the holder of the `incidents` duty turns the
   * observers' combined status into chain state, transitions, events and incidents.
   */
  cluster?: ClusterRuntime;
};

type RpcRuntime = {
  rpc: ChainRpc;
  /** The endpoint's URL as logs may show it (`redactUrlSecrets`): never log `rpc.url` itself. */
  label: string;
  consecutiveFailures: number;
  lastOkAt: number | null;
  malformedResponses: number;
  /** Malformed-payload kinds already logged for this endpoint (log once per kind). */
  loggedMalformed: Set<string>;
};

/**
 * Watches one chain: polls every endpoint on the watcher's clock, believes the quorum head, tracks
 * blocks and reorgs, reads safe/finalized heads, the uptime feed and (on probe chains) the invalid-tx
 * probe, evaluates the status and commits everything — blocks, RPC health, state, transitions, events,
 * incidents — in one transaction per poll. A failing poll is logged and retried; it never throws.
 */
export class ChainWatcher {
  readonly config: ChainConfig;
  readonly #deps: ChainWatcherDeps;
  readonly #rpcs: RpcRuntime[];
  /** Redacts error texts: URLs by structure, plus this chain's key fragments quoted bare. */
  readonly #redact: TextRedactor;
  #tracker: HeadTracker;
  readonly #quorum: RpcQuorum;
  #state: ChainStateRecord;
  #samples: HeadSample[] = [];
  #probeTx: Promise<Hex> | null = null;
  #running = false;
  #current: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #wake: (() => void) | null = null;
  #polls = 0;
  #untrustedPolls = 0;
  #safeReadAt = Number.NEGATIVE_INFINITY;
  readonly #cluster: ClusterRuntime;
  /** The last combined status this watcher recorded (redundant mode), to log changes of the quorum. */
  #lastQuorum: QuorumResult | null = null;
  /** The last poll failure logged at error level (repeats within a minute go to debug). */
  #lastFailure: { message: string; at: number } | null = null;

  /**
   * A watcher resumed from what the store holds for its chain (RPC health, state, recent canonical
   * blocks); not started.
   */
  static async open(deps: ChainWatcherDeps): Promise<ChainWatcher> {
    const { chains, blocks } = deps.store.queries;
    const c = deps.config;
    const cluster = deps.cluster ?? singleWatcher();
    // Redundant: `chain_state` holds the combined status; this observer resumes from its own row.
    const ownState = async () =>
      cluster.mode === 'redundant'
        ? ((await chains.chainObservationsOf(c.chainId)).find(
            (o) => o.observer === cluster.observer,
          )?.state ?? null)
        : chains.readChainState(c.chainId);
    const [rpcHealth, state, recentBlocks] = await Promise.all([
      chains.rpcHealthOf(c.chainId, cluster.observer),
      ownState(),
      blocks.recentCanonicalBlocks(c.chainId, c.keepBlocks),
    ]);
    return new ChainWatcher(deps, { rpcHealth, state, recentBlocks });
  }

  private constructor(
    deps: ChainWatcherDeps,
    stored: {
      rpcHealth: readonly RpcHealthRow[];
      state: ChainStateRecord | null;
      recentBlocks: BlockRecord[];
    },
  ) {
    this.#deps = deps;
    this.#cluster = deps.cluster ?? singleWatcher();
    this.config = deps.config;
    const c = deps.config;
    this.#redact = createSecretRedactor(c.rpcUrls);
    const stored_ = stored.rpcHealth;
    this.#rpcs = c.rpcUrls.map((url, position) => {
      // Stored rows carry the redacted URL (the key never reaches the database).
      const row = stored_.find((r) => r.position === position && r.url === redactUrlSecrets(url));
      return {
        rpc: deps.rpcFactory({ url, timeoutMs: c.rpcTimeoutMs }),
        label: redactUrlSecrets(url),
        consecutiveFailures: row?.consecutiveFailures ?? 0,
        lastOkAt: row?.lastOkAt ?? null,
        malformedResponses: row?.malformedResponses ?? 0,
        loggedMalformed: new Set<string>(),
      };
    });
    // Resume from the persisted state and blocks: a restart continues open incidents and reorg checks.
    this.#state = stored.state ?? initialChainState(c.chainId, deps.clock.now());
    // Per-endpoint head progress survives a restart, so `stuck` keeps counting from the real moment.
    // Stored records carry the redacted URL at their position (the key never reaches the database).
    const storedRpcs = this.#state.rpcs ?? [];
    this.#quorum = new RpcQuorum({
      lagToleranceBlocks: c.thresholds.lagToleranceBlocks,
      stuckAfterMs: c.thresholds.haltedAfterSeconds * 1000,
      initial: c.rpcUrls.map((url, position) => {
        const r = storedRpcs[position];
        return r &&
          r.url === redactUrlSecrets(url) &&
          r.headNumber !== null &&
          r.headHash !== null &&
          r.headTimestamp !== null &&
          r.changedAt !== null
          ? {
              number: r.headNumber,
              hash: r.headHash,
              timestamp: r.headTimestamp,
              changedAt: r.changedAt,
            }
          : null;
      }),
    });
    this.#tracker = this.#newTracker(stored.recentBlocks);
  }

  /** A head tracker resumed from the stored canonical blocks (`recentCanonicalBlocks`). */
  #newTracker(initial: BlockRecord[]): HeadTracker {
    const c = this.#deps.config;
    return new HeadTracker({
      keep: c.keepBlocks,
      maxBackfill: Math.max(
        64,
        Math.ceil((c.pollIntervalMs * 4) / Math.max(c.blockTimeMs ?? 1000, 50)),
      ),
      initial,
    });
  }

  /** Current in-memory state (last committed poll). */
  get state(): ChainStateRecord {
    return this.#state;
  }

  /** Number of completed polls since start. */
  get polls(): number {
    return this.#polls;
  }

  /**
   * Starts the poll loop: the first poll at once, the following ones every poll interval, shifted
   * once by `phaseMs` (ms, default 0). The chains subject spreads its chains over the interval this
   * way: started together, every chain would poll in the same few milliseconds of each second and
   * their RPC answers and commits would queue up behind each other (and the API behind them).
   */
  start(params: { phaseMs?: number } = {}): void {
    if (this.#running) return;
    this.#running = true;
    let phaseMs = Math.max(0, params.phaseMs ?? 0);
    const loop = async () => {
      while (this.#running) {
        const started = this.#deps.clock.now();
        this.#current = this.pollOnce();
        await this.#current;
        this.#current = null;
        if (!this.#running) break;
        const wait =
          Math.max(0, this.#nextDelayMs() - (this.#deps.clock.now() - started)) + phaseMs;
        phaseMs = 0;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          this.#timer = setTimeout(resolve, wait);
        });
        this.#wake = null;
      }
    };
    void loop();
  }

  /**
   * Poll period; while no endpoint can be trusted it backs off (×2 per failed poll, up to 8× or 10 s)
   * with ±20% jitter so a dead provider isn't hammered in lockstep (SPEC §7).
   */
  #nextDelayMs(): number {
    const base = this.config.pollIntervalMs;
    if (this.#untrustedPolls === 0) return base;
    const factor = Math.min(2 ** this.#untrustedPolls, 8);
    const delay = Math.min(base * factor, Math.max(base, 10_000));
    return delay * (0.8 + Math.random() * 0.4);
  }

  /** Stops after the poll in flight has committed its write. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#wake?.();
    await this.#current;
  }

  /** One poll; exposed for tests that step the watcher by hand. Never throws. */
  async pollOnce(): Promise<void> {
    try {
      await this.#poll();
    } catch (error) {
      // A failing disk fails every poll the same way: one error line per minute, the rest at debug.
      const err = redactError(error, this.#redact);
      const now = this.#deps.clock.now();
      const repeat =
        this.#lastFailure?.message === err.message && now - this.#lastFailure.at < 60_000;
      if (!repeat) this.#lastFailure = { message: err.message, at: now };
      this.#deps.logger[repeat ? 'debug' : 'error'](
        { err, chainId: this.config.chainId },
        'chain poll failed',
      );
    } finally {
      this.#polls++;
    }
  }

  async #poll(): Promise<void> {
    const { config, clock, logger } = this.#deps;
    const t = config.thresholds;
    const readings = await Promise.all(
      this.#rpcs.map(async (r): Promise<RpcReading> => {
        const t0 = performance.now();
        try {
          const block = await r.rpc.getBlock('latest');
          if (!block) throw new Error('latest block is null');
          return { ok: true, block, latencyMs: Math.round(performance.now() - t0) };
        } catch (error) {
          const kind = malformedKind(error);
          if (kind !== null) {
            r.malformedResponses++;
            if (!r.loggedMalformed.has(kind)) {
              r.loggedMalformed.add(kind);
              logger.warn(
                {
                  chainId: config.chainId,
                  url: r.label,
                  kind,
                  err: this.#redact(errorText(error)),
                },
                'malformed RPC payload rejected (logged once per kind and endpoint)',
              );
            }
          }
          return {
            ok: false,
            error: kind === null ? this.#redact(errorText(error)) : `malformed ${kind} payload`,
            latencyMs: Math.round(performance.now() - t0),
          };
        }
      }),
    );
    let now = clock.now();
    const tip = this.#tracker.tip;
    const quorum = await this.#quorum.decide({
      readings,
      now,
      knownTip: tip && { number: tip.number, hash: tip.hash },
      knownHashAt: (n) => this.#tracker.hashAt(n),
      fetchBlock: (i, n) => this.#rpcs[i]!.rpc.getBlock(n),
    });
    this.#untrustedPolls = quorum.head ? 0 : this.#untrustedPolls + 1;
    const chosen = quorum.chosen === null ? null : this.#rpcs[quorum.chosen]!.rpc;
    const prev = this.#state;

    let advance: AdvanceResult | null = null;
    let safe: ChainStateRecord['safe'] = null;
    let finalized: ChainStateRecord['finalized'] = null;
    let feed: FeedReading | null = prev.feed;
    let probe: ProbeReading | null = prev.probe;
    if (quorum.head && chosen) {
      const head = quorum.head;
      try {
        advance = await this.#tracker.advance(head, now, (n) => chosen.getBlock(n));
      } catch (error) {
        logger.warn(
          { chainId: config.chainId, err: this.#redact(errorText(error)) },
          'block tracking failed; retrying next poll',
        );
      }
      const noProgressSince =
        prev.lastIncreaseNumber !== null &&
        head.number <= prev.lastIncreaseNumber &&
        prev.lastIncreaseAt !== null
          ? (now - prev.lastIncreaseAt) / 1000
          : 0;
      const tasks: Promise<void>[] = [];
      // Safe-lag thresholds are minutes on real chains: read the tags at 1/20 of the warn threshold
      // (at most every 10 s, at least every poll) and keep the last reading in between.
      const safeEveryMs = Math.min(10_000, ((t.safeLagWarnSeconds ?? 200) * 1000) / 20);
      const safeDue = now - this.#safeReadAt >= safeEveryMs;
      if (config.traits.safeTags && !safeDue) {
        safe = prev.safe;
        finalized = prev.finalized;
      }
      if (config.traits.safeTags && safeDue) {
        this.#safeReadAt = now;
        tasks.push(
          Promise.all([chosen.getBlock('safe'), chosen.getBlock('finalized')]).then(
            ([s, f]) => {
              safe = s && { number: s.number, timestamp: s.timestamp };
              finalized = f && { number: f.number, timestamp: f.timestamp };
            },
            (error) => {
              // Keep the last reading rather than clearing the safe-lag flags on one failed read.
              safe = prev.safe;
              finalized = prev.finalized;
              logger.debug(
                { chainId: config.chainId, err: this.#redact(errorText(error)) },
                'safe/finalized read failed',
              );
            },
          ),
        );
      }
      if (config.uptimeFeed && (!feed || now - feed.readAt >= config.feedIntervalMs)) {
        const address = config.uptimeFeed.address;
        tasks.push(
          readUptimeFeed({
            rpc: chosen,
            address,
            nowMs: now,
            graceSeconds: t.feedGraceSeconds,
          }).then((f) => {
            feed = f.error === null ? f : { ...f, error: this.#redact(f.error) };
          }),
        );
      }
      // Probe from half the degraded threshold on: `noProgressSince` is taken at the poll's start and
      // the evaluation's clock after its requests, so a probe started only at the threshold leaves the
      // poll that crosses it without a result — an idle chain flickered degraded → up under load.
      if (config.traits.probe && noProgressSince >= t.degradedAfterSeconds / 2) {
        this.#probeTx ??= signInvalidTransaction(config.chainId);
        const raw = await this.#probeTx;
        tasks.push(
          runInvalidTxProbe({ rpc: chosen, raw, nowMs: now }).then((p) => {
            probe = { ...p, detail: this.#redact(p.detail) };
          }),
        );
      }
      await Promise.all(tasks);
      now = clock.now();
      this.#samples.push({ at: now, number: head.number });
      const keepFrom = now - 2 * t.blockGapWindowSeconds * 1000;
      while (this.#samples.length > 2 && this.#samples[1]!.at < keepFrom) this.#samples.shift();
    } else if (feed && config.uptimeFeed) {
      // Without a trusted endpoint the feed cannot be read either.
      feed = { ...feed, state: 'unknown', error: 'no trusted RPC endpoint to read the feed from' };
    }
    const gap = blockGapStats({
      now,
      windowSeconds: t.blockGapWindowSeconds,
      blockTimeMs: config.blockTimeMs,
      systemTxsPerBlock: config.traits.systemTxsPerBlock,
      samples: this.#samples,
      blocks: this.#tracker.blocksSeenSince(now - t.blockGapWindowSeconds * 1000),
    });
    const progress = this.#quorum.progress;
    const rpcStates: RpcStateRecord[] = this.#rpcs.map((r, i) => {
      const v = quorum.verdicts[i]!;
      const p = progress[i] ?? null;
      return {
        url: r.label,
        health: v.health,
        reasonCode: v.reasonCode,
        reason: v.note === null ? null : this.#redact(v.note),
        headNumber: p?.number ?? null,
        headHash: p?.hash ?? null,
        headTimestamp: p?.timestamp ?? null,
        changedAt: p?.changedAt ?? null,
      };
    });
    const evaluated = evaluateChainStatus(
      prev,
      {
        now,
        head: quorum.head && {
          number: quorum.head.number,
          hash: quorum.head.hash,
          timestamp: quorum.head.timestamp,
        },
        untrustedReason: quorum.reason,
        blockGap: gap,
        safe,
        finalized,
        feed,
        probe,
        reorgDepth: advance?.reorg?.depth ?? null,
      },
      { thresholds: t, traits: config.traits, pollIntervalMs: config.pollIntervalMs },
    );
    const next: ChainStateRecord = { ...evaluated, rpcs: rpcStates };
    const rpcRows = this.#rpcs.map((r, i) => {
      const reading = readings[i]!;
      const verdict = quorum.verdicts[i]!;
      if (reading.ok) {
        r.consecutiveFailures = 0;
        r.lastOkAt = now;
      } else {
        r.consecutiveFailures++;
      }
      return {
        chainId: config.chainId,
        position: i,
        health: verdict.health,
        headNumber: reading.ok ? reading.block.number : null,
        latencyMs: reading.latencyMs,
        lastOkAt: r.lastOkAt,
        lastError: verdict.note === null ? null : this.#redact(verdict.note),
        consecutiveFailures: r.consecutiveFailures,
        malformedResponses: r.malformedResponses,
        updatedAt: now,
      };
    });
    const reorg = advance?.reorg ?? null;
    const writeStarted = performance.now();
    try {
      await this.#deps.eventLog.write(
        async (w) => {
          if (advance && advance.added.length > 0) {
            const rows = advance.added.map((b) => ({
              chainId: config.chainId,
              number: b.number,
              hash: b.hash,
              parentHash: b.parentHash,
              timestamp: b.timestamp,
              txCount: b.txCount,
              seenAt: b.seenAt,
            }));
            await w.q.blocks.insertBlocks(rows);
          }
          if (reorg)
            await w.q.blocks.markNonCanonical({ chainId: config.chainId, blocks: reorg.replaced });
          await w.q.chains.updateRpcHealth(rpcRows, this.#cluster.observer);
          if (this.#cluster.mode !== 'redundant') {
            await w.q.chains.writeChainState(next);
            await recordChainChanges(w, { config, prev, next, reorg });
            return;
          }
          await w.q.chains.writeChainObservation({
            chainId: config.chainId,
            observer: this.#cluster.observer,
            at: now,
            status: next.status,
            headNumber: next.head?.number ?? null,
            headSeenAt: next.lastIncreaseAt,
            state: next,
          });
          // Only the incidents duty holder records the pair's status (its transitions, events and
          // incidents); the others' observations vote in it.
          // Fenced in this transaction: a holder that lost the duty (paused through a takeover)
          // cannot commit the combined state after the new holder did; its observation still commits.
          const incidents = this.#cluster.duty('incidents');
          if (!incidents.held() || !(await w.fence(incidents))) return;
          const observations = await w.q.chains.chainObservationsOf(config.chainId);
          const combinedQuorum = combineObserverEvaluations(observations, {
            now,
            freshMs: FRESH_POLLS * config.pollIntervalMs,
          });
          const storedCombined =
            (await w.q.chains.readChainState(config.chainId)) ??
            initialChainState(config.chainId, now);
          const chosen =
            combinedQuorum.observer === null
              ? null
              : (observations.find((o) => o.observer === combinedQuorum.observer)?.state ?? null);
          const combined = combinedRecord(storedCombined, chosen ?? next, combinedQuorum, now);
          await w.q.chains.writeChainState(combined);
          await recordChainChanges(w, {
            config,
            prev: storedCombined,
            next: combined,
            reorg: combinedQuorum.observer === this.#cluster.observer ? reorg : null,
          });
          if (storedCombined.status !== combined.status) this.#lastQuorum = combinedQuorum;
        },
        { writer: chainWriter(config.chainId) },
      );
    } catch (error) {
      // Nothing of this poll was stored: forget the blocks it tracked so the next poll backfills
      // them from the last stored block instead of treating them as known.
      this.#tracker = this.#newTracker(
        await this.#deps.store.queries.blocks.recentCanonicalBlocks(
          config.chainId,
          config.keepBlocks,
        ),
      );
      throw error;
    }
    const writeMs = performance.now() - writeStarted;
    // SQLite writes block the event loop (and with it the API): make slow ones visible.
    if (writeMs > 50)
      logger.warn({ chainId: config.chainId, writeMs: Math.round(writeMs) }, 'slow poll write');
    this.#state = next;
    if (prev.status !== next.status) {
      logger.info(
        {
          chainId: config.chainId,
          chain: config.name,
          from: prev.status,
          to: next.status,
          reasons: next.reasons,
          ...(this.#cluster.mode === 'redundant' && { observer: this.#cluster.observer }),
        },
        this.#cluster.mode === 'redundant'
          ? "chain status changed (this observer's evaluation)"
          : 'chain status changed',
      );
    }
    const changed = this.#lastQuorum;
    this.#lastQuorum = null;
    if (changed)
      logger.info(
        { chainId: config.chainId, chain: config.name, to: changed.status, quorum: changed.reason },
        'combined chain status changed (observers quorum)',
      );
    if (reorg)
      logger.info(
        { chainId: config.chainId, depth: reorg.depth, from: reorg.fromNumber },
        'reorg detected',
      );
  }
}

/**
 * The combined chain state a redundant pair serves: the chosen observer's record (its head, flags,
 * reasons) with the quorum's status; `statusSince` continues the stored combined state while the
 * status holds. No voter: `unknown`, with the quorum's reason.
 */
function combinedRecord(
  stored: ChainStateRecord,
  chosen: ChainStateRecord,
  quorum: QuorumResult,
  now: number,
): ChainStateRecord {
  const status = quorum.status;
  return {
    ...chosen,
    status,
    statusSince: stored.status === status ? stored.statusSince : now,
    reasons: quorum.observer === null ? [quorum.reason] : chosen.reasons,
  };
}
