import {
  HL_STANDARD_MODES,
  type HlAccountMode,
  HlBudgetError,
  type HlClearinghouseState,
  type HlUserFill,
  type WeightAccountant,
} from '@perpscope/hyperliquid';
import { formatDecimal, parseDecimal, realizedVolatility } from '@perpscope/math';
import type { GuardedAccountConfig, PositionsConfig } from '../../config/positionsConfig.js';
import type { GuardedAccountRow, GuardedPositionRow } from '../../db/queries/positions.js';
import type { WatcherStore } from '../../db/store/watcherStore.js';
import type { EventLog } from '../../events/eventLog.js';
import type { Logger } from '../../logger.js';
import type { MarkSource } from '../../runtime/markBoard.js';
import {
  analyzeGuardedAccount,
  type GuardedDexState,
  type GuardedPositionRisk,
  withMark,
} from './analyzeGuardedAccount.js';
import type { AccountStatesFeed } from './createAccountStateStream.js';
import { type DistanceLevel, evaluatePosition } from './evaluatePosition.js';
import { addressHash, maskAddress } from './guardedAddress.js';
import type { PositionsSource } from './hlPositionsSource.js';
import {
  type AccountObserved,
  type AccountUnknown,
  type EvaluatedPosition,
  type GuardedAccountRef,
  type MarkSourceKind,
  recordPositionChanges,
  type StoredPositionState,
} from './recordPositionChanges.js';
import { venueDependsOnChainForPrices } from './venueDependsOnChainForPrices.js';

/** Parameters of {@link createPositionsLoop}. */
export type CreatePositionsLoopParameters = {
  config: PositionsConfig;
  source: PositionsSource;
  /** Asked before each account's reads, so an account is deferred whole rather than half read. */
  accountant: WeightAccountant;
  store: WatcherStore;
  eventLog: EventLog;
  /** Watcher clock (ms); levels, staleness and events are judged on it. */
  now: () => number;
  logger: Logger;
  /** Accounts read at the same time. Default 4. */
  concurrency?: number;
  /**
   * The `owner` of the guarded-account rows this loop writes and prunes (`cluster.owner`; default
   * `'local'`): a sharded watcher prunes only its own accounts, never another watcher's.
   */
  owner?: string;
  /**
   * Pushed `allDexsClearinghouseState` (`positions.transport: ws`): while an account's last push is
   * younger than two poll intervals it replaces the per-dex REST `clearinghouseState` reads.
   */
  stream?: AccountStatesFeed;
  /**
   * Does the venue depend on the chain for prices? Default {@link venueDependsOnChainForPrices} with
   * the config's declared `dependencies`.
   */
  dependsForPrices?: (venue: 'hyperliquid', chainKey: string) => boolean;
  /**
   * Marks another subject holds (the HIP-3 watch's ctx stream, via `runtime/markBoard.ts`): one
   * younger than `ctxMarkMaxAgeSeconds` values the position instead of the account state's mark.
   */
  marks?: MarkSource;
};

/** The running guard loop. */
export type PositionsLoop = {
  /** Drops the stored accounts no longer configured, then schedules the first cycle at once. */
  start(): Promise<void>;
  /** Stops scheduling and resolves once the cycle in flight (reads and writes) is done. */
  stop(): Promise<void>;
  /** One pass over every account now (tests, benchmarks). */
  runCycle(): Promise<void>;
  /** Completed cycles. */
  readonly cycles: number;
};

type AccountRuntime = {
  config: GuardedAccountConfig;
  ref: GuardedAccountRef;
  /** For logs: the full address only at debug level. */
  logAddress: string;
  mode: HlAccountMode | null;
  modeAt: number;
  lastScanAt: number;
  dexesWithPositions: Set<string>;
  lastSuccessAt: number | null;
  fillsCheckedTo: number | null;
};

/** Overlap when asking for fills after the cursor (fills are deduped by `tid`). */
const FILLS_OVERLAP_MS = 60_000;
/** Look-back for fills when no cursor exists yet (a first read after a position vanished). */
const FILLS_FIRST_LOOKBACK_MS = 10 * 60_000;

const STANDARD_WEIGHT = { spot: 2, state: 2, mode: 20, meta: 20 } as const;

/** Accounts whose collateral is the per-dex perp clearinghouse (their spot balances are not read). */
const standardMode = (mode: HlAccountMode) => HL_STANDARD_MODES.includes(mode);

/**
 * The position guard's loop (SPEC §3.4): every `pollIntervalSeconds`, per account, reads the mode
 * (`userAbstraction`, refreshed), the spot balances and the `clearinghouseState` of every dex with
 * positions (every dex on a scan), asks the math for liquidation prices and distances
 * ({@link analyzeGuardedAccount}), checks the fills for liquidations whenever a position shrank or
 * vanished, evaluates each position ({@link evaluatePosition}) and hands the result to
 * {@link recordPositionChanges}. A failed read makes the account's positions `unknown` at once; a
 * read deferred by the weight budget does so once the last success is older than `staleAfterSeconds`.
 */
export function createPositionsLoop(p: CreatePositionsLoopParameters): PositionsLoop {
  const { config: cfg, source, logger } = p;
  const positions = p.store.queries.positions;
  const debug = logger.isLevelEnabled?.('debug') ?? false;
  const accounts: AccountRuntime[] = cfg.accounts.map((a) => ({
    config: a,
    ref: { addressHash: addressHash(a.address), label: a.label },
    logAddress: debug ? a.address : maskAddress(a.address),
    mode: null,
    modeAt: Number.NEGATIVE_INFINITY,
    lastScanAt: Number.NEGATIVE_INFINITY,
    dexesWithPositions: new Set<string>(),
    lastSuccessAt: null,
    fillsCheckedTo: null,
  }));
  /** Resumes each account from its stored row (mode, dexes with positions, fills checked to). */
  const resume = (a: AccountRuntime, row: GuardedAccountRow | null) => {
    if (!row) return;
    const state = JSON.parse(row.stateJson) as { dexesWithPositions?: string[] };
    a.mode = (row.mode as HlAccountMode | null) ?? null;
    a.dexesWithPositions = new Set(state.dexesWithPositions ?? []);
    a.lastSuccessAt = row.lastSuccessAt;
    a.fillsCheckedTo = row.fillsCheckedTo;
  };
  // Read once before the first cycle (which awaits it); a failed read fails that cycle, is logged
  // and read again by the next one.
  let resumed: Promise<void> | null = null;
  const resumeAccounts = () => {
    resumed ??= Promise.all(
      accounts.map(async (a) => resume(a, await positions.getGuardedAccount(a.ref.addressHash))),
    ).then(
      () => undefined,
      (error: unknown) => {
        resumed = null;
        throw error;
      },
    );
    return resumed;
  };
  let dexes: { names: string[]; at: number } | null = null;
  const metas = new Map<string, { meta: unknown; at: number }>();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | null = null;
  let stopped = true;
  /** Set by `stop()`: the cycle in flight finishes the accounts it started and skips the rest. */
  let aborting = false;
  let cycles = 0;

  // Requests shared by the accounts read at the same time (one perpDexs, one meta per dex).
  let dexesInFlight: Promise<void> | null = null;
  const metasInFlight = new Map<string, Promise<unknown>>();

  async function knownDexes(now: number): Promise<string[] | null> {
    if (!dexes || now - dexes.at >= cfg.dexScanIntervalSeconds * 1000) {
      dexesInFlight ??= source
        .perpDexs()
        .then((names) => {
          dexes = { names, at: now };
        })
        .catch((error: unknown) => {
          logger.warn({ err: error }, 'position guard: perpDexs failed; scanning known dexes only');
        })
        .finally(() => {
          dexesInFlight = null;
        });
      await dexesInFlight;
    }
    return dexes?.names ?? null;
  }

  async function metaOf(dex: string, now: number): Promise<unknown> {
    const cached = metas.get(dex);
    if (cached && now - cached.at < cfg.metaRefreshSeconds * 1000) return cached.meta;
    let pending = metasInFlight.get(dex);
    if (!pending) {
      pending = source.meta(dex).finally(() => metasInFlight.delete(dex));
      metasInFlight.set(dex, pending);
    }
    try {
      const meta = await pending;
      metas.set(dex, { meta, at: now });
      return meta;
    } catch (error) {
      // Older tables beat none: margin tiers change rarely.
      if (cached) return cached.meta;
      throw error;
    }
  }

  const sigmas = new Map<string, { sigmaDay: number | null; at: number }>();
  const sigmasInFlight = new Map<string, Promise<void>>();

  /**
   * σ of a coin's 24-hour move from 24 hourly closes (realized volatility), refreshed every
   * `volatilityRefreshSeconds` and only while 40 % of the weight budget is left: it is context, the
   * levels never depend on it. `null` until known.
   */
  async function sigmaDayOf(coin: string, now: number): Promise<number | null> {
    const cached = sigmas.get(coin);
    const due = !cached || now - cached.at >= cfg.volatilityRefreshSeconds * 1000;
    const room = p.accountant.used() <= p.accountant.budget * 0.6;
    if (due && room) {
      let pending = sigmasInFlight.get(coin);
      if (!pending) {
        pending = source
          .hourlyCloses(coin, now - 25 * 3_600_000)
          .then((closes) => {
            const last = closes.slice(-25);
            sigmas.set(coin, {
              sigmaDay:
                last.length >= 3
                  ? realizedVolatility({ prices: last, sampleIntervalHours: 1, horizonHours: 24 })
                  : null,
              at: now,
            });
          })
          .catch((error: unknown) => {
            logger.debug({ err: error, coin }, 'position guard: hourly candles unavailable');
            sigmas.set(coin, { sigmaDay: cached?.sigmaDay ?? null, at: now });
          })
          .finally(() => sigmasInFlight.delete(coin));
        sigmasInFlight.set(coin, pending);
      }
      await pending;
    }
    return sigmas.get(coin)?.sigmaDay ?? null;
  }

  const dependsByConfig = (venue: 'hyperliquid', chainKey: string) =>
    venueDependsOnChainForPrices(venue, chainKey, cfg.dependencies[venue]);

  /**
   * The position's mark: the ctx stream's when it holds one younger than `ctxMarkMaxAgeSeconds`
   * (distance re-measured from it, {@link withMark}), else the account state's, aged since
   * `accountStateMs` (when the state was read or pushed).
   */
  function freshestMark(
    pos: GuardedPositionRisk,
    accountStateMs: number,
    now: number,
  ): { pos: GuardedPositionRisk; markSource: MarkSourceKind; markAgeMs: number } {
    const quote = p.marks?.markOf(pos.coin) ?? null;
    const age = quote === null ? null : now - quote.receivedMs;
    if (
      quote !== null &&
      age !== null &&
      age <= cfg.ctxMarkMaxAgeSeconds * 1000 &&
      Number(quote.markPx) > 0
    )
      return {
        pos: withMark(pos, quote.markPx),
        markSource: quote.via === 'ws' ? 'ctxStream' : 'ctxRest',
        markAgeMs: Math.max(0, age),
      };
    return { pos, markSource: 'accountState', markAgeMs: Math.max(0, now - accountStateMs) };
  }

  async function multiplierNow(): Promise<{ multiplier: number; reason?: string }> {
    const chains = (await positions.chainStatusesByKey()).filter(
      (c) =>
        (c.status === 'halted' || c.status === 'recovering') &&
        (p.dependsForPrices ?? dependsByConfig)('hyperliquid', c.key),
    );
    if (chains.length === 0) return { multiplier: 1 };
    return { multiplier: cfg.haltMultiplier, reason: chains.map((c) => c.name).join(', ') };
  }

  function estimateWeight(
    a: AccountRuntime,
    readDexes: readonly string[],
    metaDexes: readonly string[],
    now: number,
  ) {
    let w = STANDARD_WEIGHT.state * readDexes.length;
    if (a.mode === null || !standardMode(a.mode)) w += STANDARD_WEIGHT.spot;
    if (now - a.modeAt >= cfg.modeRefreshSeconds * 1000) w += STANDARD_WEIGHT.mode;
    for (const d of metaDexes) if (!metas.has(d)) w += STANDARD_WEIGHT.meta;
    return w;
  }

  /**
   * The account's pushed states when current: received within two poll intervals on the watcher
   * clock. Older (a mute stream) or absent (down, no snapshot yet) → `null`, and REST is read.
   */
  function pushedStates(a: AccountRuntime, now: number) {
    const last = p.stream?.latest(a.config.address) ?? null;
    if (!last || now - last.receivedMs > 2 * cfg.pollIntervalSeconds * 1000) return null;
    return last;
  }

  function accountStateJson(a: AccountRuntime, extra: Record<string, unknown> = {}) {
    return {
      addressMasked: maskAddress(a.config.address),
      venues: a.config.venues,
      dexesWithPositions: [...a.dexesWithPositions].sort(),
      ...extra,
    };
  }

  async function markUnknown(a: AccountRuntime, previous: GuardedPositionRow[], reason: string) {
    const observation: AccountUnknown = {
      kind: 'unknown',
      account: a.ref,
      mode: a.mode,
      reason,
      lastSuccessAt: a.lastSuccessAt,
      fillsCheckedTo: a.fillsCheckedTo,
      accountState: accountStateJson(a),
    };
    const prevStatus = (await positions.getGuardedAccount(a.ref.addressHash))?.status ?? null;
    // Already unknown with every position unknown: nothing new to record (no write per cycle).
    if (prevStatus === 'unknown' && previous.every((r) => r.level === 'unknown')) return;
    await recordPositionChanges({
      eventLog: p.eventLog,
      observation,
      previous,
      ...(p.owner !== undefined && { owner: p.owner }),
    });
  }

  async function pollAccount(
    a: AccountRuntime,
    chainContext: Awaited<ReturnType<typeof multiplierNow>>,
  ) {
    const now = p.now();
    const previous = await positions.guardedPositionsOf(a.ref.addressHash);
    // One push covers every dex: no REST state reads, no dex scan while it is current.
    const pushedLast = pushedStates(a, now);
    const pushed = pushedLast?.states ?? null;
    // When the account state's figures (its mark) were current: the push's receipt, or this read.
    const accountStateMs = pushedLast?.receivedMs ?? now;
    const scanDue = pushed === null && now - a.lastScanAt >= cfg.dexScanIntervalSeconds * 1000;
    const all = scanDue ? await knownDexes(now) : null;
    // Between scans only the dexes that held positions are read (2 weight each); a scan reads all.
    const scanDexes = [
      ...new Set([
        ...(scanDue ? ['', ...(all ?? [])] : []),
        ...a.dexesWithPositions,
        ...previous.map((r) => r.dex),
      ]),
    ];
    const weight = pushed
      ? estimateWeight(
          a,
          [],
          pushed.filter((s) => s.state.assetPositions.length > 0).map((s) => s.dex),
          now,
        )
      : estimateWeight(a, scanDexes, scanDexes, now);
    if (p.accountant.waitMs(weight) > 0) {
      await deferred(a, previous, now);
      return;
    }
    try {
      if (a.mode === null || now - a.modeAt >= cfg.modeRefreshSeconds * 1000) {
        a.mode = await source.userAbstraction(a.config.address);
        a.modeAt = now;
      }
      const mode = a.mode;
      // Spot balances are the collateral of unified/portfolio accounts only (venues.md §4).
      const [spot, states] = await Promise.all([
        standardMode(mode) ? null : source.spotClearinghouseState(a.config.address),
        pushed ??
          Promise.all(
            scanDexes.map(async (dex) => ({
              dex,
              state: await source.clearinghouseState(a.config.address, dex),
            })),
          ),
      ]);
      const held = states.filter((s) => s.state.assetPositions.length > 0);
      const dexStates: GuardedDexState[] = await Promise.all(
        held.map(async (s) => ({
          dex: s.dex,
          clearinghouseState: s.state,
          meta: await metaOf(s.dex, now),
        })),
      );
      const risk = analyzeGuardedAccount({ mode, dexStates, spot });
      const hlTime = states.length === 0 ? null : Math.max(...states.map((s) => s.state.time));
      const liquidations = await checkFills(a, previous, states, hlTime);
      const byCoin = new Map<string, HlClearinghouseState['assetPositions'][number]['position']>();
      for (const s of held)
        for (const ap of s.state.assetPositions) byCoin.set(ap.position.coin, ap.position);
      const thresholds = a.config.thresholds ?? cfg.thresholds;
      const evaluated: EvaluatedPosition[] = [];
      const venuePositions = risk.computable
        ? risk.positions
        : held.flatMap((s) =>
            s.state.assetPositions.map((ap) => {
              const size = ap.position.szi.replace(/^-/, '');
              return {
                dex: s.dex,
                coin: ap.position.coin,
                side: ap.position.szi.startsWith('-') ? ('short' as const) : ('long' as const),
                size,
                marginMode: ap.position.leverage.type,
                markPrice:
                  Number(size) > 0 ? String(Number(ap.position.positionValue) / Number(size)) : '0',
                liquidationPrice: null,
                exchangeLiquidationPrice: ap.position.liquidationPx,
                distancePct: null,
                distanceFrom: null,
              };
            }),
          );
      for (const fromState of venuePositions) {
        // Not computable: no distance is shown, so no other mark is put beside it either.
        const marked = risk.computable
          ? freshestMark(fromState, accountStateMs, now)
          : {
              pos: fromState,
              markSource: 'accountState' as const,
              markAgeMs: Math.max(0, now - accountStateMs),
            };
        const pos = marked.pos;
        const prev = previous.find((r) => r.coin === pos.coin);
        const oracle = await positions.marketOracleStatus(pos.coin);
        const ev = evaluatePosition({
          distancePct: pos.distancePct === null ? null : Number(pos.distancePct),
          previousBaseLevel: (prev?.baseLevel as DistanceLevel | undefined) ?? null,
          warnPct: thresholds.warnPct,
          criticalPct: thresholds.criticalPct,
          hysteresisPct: cfg.hysteresisPct,
          multiplier: chainContext.multiplier,
          ...(chainContext.reason !== undefined && { multiplierReason: chainContext.reason }),
          oracle: risk.computable ? oracle : null,
        });
        const raw = byCoin.get(pos.coin);
        const sigmaDay = pos.distancePct === null ? null : await sigmaDayOf(pos.coin, now);
        const state: StoredPositionState = {
          coin: pos.coin,
          dex: pos.dex,
          side: pos.side,
          size: pos.size,
          marginMode: pos.marginMode,
          markPrice: pos.markPrice,
          markSource: marked.markSource,
          markAgeMs: marked.markAgeMs,
          liquidationPrice: pos.liquidationPrice,
          venueLiquidationPrice: pos.exchangeLiquidationPrice,
          distancePct: pos.distancePct,
          distanceFrom: pos.distanceFrom,
          distanceSigmas:
            sigmaDay && pos.distancePct !== null
              ? Math.round((Number(pos.distancePct) / 100 / sigmaDay) * 100) / 100
              : null,
          reasons: risk.computable ? ev.reasons : [risk.reason],
          warnPct: ev.warnPct,
          criticalPct: ev.criticalPct,
          multiplier: chainContext.multiplier,
          unrealizedPnl: raw?.unrealizedPnl ?? null,
          fundingSinceOpen: raw?.cumFunding?.sinceOpen ?? null,
          ...fundingPerHour(
            prev ? (JSON.parse(prev.stateJson) as StoredPositionState) : null,
            raw?.cumFunding?.sinceOpen ?? null,
            now,
          ),
          observedAt: now,
        };
        evaluated.push({ state, baseLevel: ev.baseLevel, level: ev.level });
      }
      // A push covers every dex: as good as a scan.
      if (all || pushed) a.lastScanAt = now;
      a.dexesWithPositions = new Set(held.map((s) => s.dex));
      a.lastSuccessAt = now;
      if (liquidations.checkedTo !== null) a.fillsCheckedTo = liquidations.checkedTo;
      const observation: AccountObserved = {
        kind: 'observed',
        account: a.ref,
        mode,
        status: risk.computable ? 'ok' : 'not-computable',
        reason: risk.computable ? null : risk.reason,
        positions: evaluated,
        liquidations: liquidations.fills,
        fillsCheckedTo: a.fillsCheckedTo,
        accountState: accountStateJson(
          a,
          spot
            ? {
                balances: spot.balances.slice(0, 20).map((b) => ({ coin: b.coin, total: b.total })),
              }
            : {},
        ),
      };
      const changes = await recordPositionChanges({
        eventLog: p.eventLog,
        observation,
        previous,
        ...(p.owner !== undefined && { owner: p.owner }),
      });
      if (changes.levelChanges + changes.liquidations + changes.closed > 0)
        logger.info(
          { account: a.ref.label, address: a.logAddress, ...changes },
          'position guard: changes recorded',
        );
    } catch (error) {
      if (error instanceof HlBudgetError) {
        await deferred(a, previous, now);
        return;
      }
      const reason = readFailure(error);
      logger.warn(
        { account: a.ref.label, address: a.logAddress, reason },
        'position guard: account read failed; its positions are unknown until the next good read',
      );
      await markUnknown(a, previous, reason);
    }
  }

  async function deferred(a: AccountRuntime, previous: GuardedPositionRow[], now: number) {
    const age = a.lastSuccessAt === null ? Number.POSITIVE_INFINITY : now - a.lastSuccessAt;
    if (age > cfg.staleAfterSeconds * 1000)
      await markUnknown(
        a,
        previous,
        `request weight budget exhausted; no read for ${Number.isFinite(age) ? `${Math.round(age / 1000)} s` : 'ever'}`,
      );
  }

  /**
   * Liquidation fills since the cursor, asked only when a position shrank, flipped or vanished
   * (fills cost weight 20+; the positions are read every cycle anyway).
   */
  async function checkFills(
    a: AccountRuntime,
    previous: readonly GuardedPositionRow[],
    states: readonly { dex: string; state: HlClearinghouseState }[],
    hlTime: number | null,
  ): Promise<{ fills: HlUserFill[]; checkedTo: number | null }> {
    const sizes = new Map<string, number>();
    for (const s of states)
      for (const ap of s.state.assetPositions) sizes.set(ap.position.coin, Number(ap.position.szi));
    const shrank = previous.some((r) => {
      const prev = JSON.parse(r.stateJson) as StoredPositionState;
      const signed = Number(prev.size) * (prev.side === 'short' ? -1 : 1);
      const next = sizes.get(r.coin) ?? 0;
      return Math.sign(next) !== Math.sign(signed) || Math.abs(next) < Math.abs(signed);
    });
    if (!shrank) return { fills: [], checkedTo: hlTime };
    const from =
      a.fillsCheckedTo !== null
        ? a.fillsCheckedTo - FILLS_OVERLAP_MS
        : (a.lastSuccessAt ?? hlTime ?? Date.now()) - FILLS_FIRST_LOOKBACK_MS;
    const fills = await source.userFillsByTime(a.config.address, Math.max(0, from));
    const mine = fills.filter(
      (f) =>
        f.liquidation !== undefined &&
        (f.liquidation === true ||
          f.liquidation.liquidatedUser === undefined ||
          f.liquidation.liquidatedUser.toLowerCase() === a.config.address),
    );
    return { fills: mine, checkedTo: Math.max(hlTime ?? 0, ...fills.map((f) => f.time)) };
  }

  async function runCycle() {
    await resumeAccounts();
    const chainContext = await multiplierNow();
    let next = 0;
    const worker = async () => {
      while (!aborting) {
        const a = accounts[next++];
        if (!a) return;
        await pollAccount(a, chainContext);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(p.concurrency ?? 4, accounts.length) }, () => worker()),
    );
    cycles += 1;
  }

  function schedule(delayMs: number) {
    timer = setTimeout(() => {
      if (stopped) return;
      const startedAt = Date.now();
      inFlight = runCycle()
        .catch((error: unknown) => logger.error({ err: error }, 'position guard cycle failed'))
        .finally(() => {
          inFlight = null;
          if (!stopped)
            schedule(Math.max(0, cfg.pollIntervalSeconds * 1000 - (Date.now() - startedAt)));
        });
    }, delayMs);
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      aborting = false;
      await positions.pruneGuardedAccounts(
        accounts.map((a) => a.ref.addressHash),
        p.owner,
      );
      if (!stopped) schedule(0);
    },
    async stop() {
      stopped = true;
      aborting = true;
      clearTimeout(timer);
      await inFlight;
    },
    runCycle,
    get cycles() {
      return cycles;
    },
  };
}

const HOUR_MS = 3_600_000;

/**
 * Funding per hour from `cumFunding.sinceOpen` (no extra request): HL pays funding on the hour, so
 * the difference between the first reads of two hours is what the position paid at the boundary
 * (averaged over the hours in between when reads were missed). Positive = paid.
 */
export function fundingPerHour(
  previous: Pick<StoredPositionState, 'fundingHourMark' | 'fundingLastHour'> | null,
  sinceOpen: string | null,
  nowMs: number,
): Pick<StoredPositionState, 'fundingHourMark' | 'fundingLastHour'> {
  const hour = Math.floor(nowMs / HOUR_MS);
  if (sinceOpen === null) return { fundingHourMark: null, fundingLastHour: null };
  const mark = previous?.fundingHourMark ?? null;
  if (!mark) return { fundingHourMark: { hour, sinceOpen }, fundingLastHour: null };
  if (mark.hour >= hour)
    return { fundingHourMark: mark, fundingLastHour: previous?.fundingLastHour ?? null };
  const paid = parseDecimal(sinceOpen) - parseDecimal(mark.sinceOpen);
  return {
    fundingHourMark: { hour, sinceOpen },
    fundingLastHour: formatDecimal(paid / BigInt(hour - mark.hour)),
  };
}

/** A short, address-free reason for a failed read (HTTP status, budget, schema). */
function readFailure(error: unknown): string {
  if (!(error instanceof Error)) return 'read failed';
  const status = (error as { response?: { status?: unknown } }).response?.status;
  if (typeof status === 'number') return `Hyperliquid info API answered HTTP ${status}`;
  if (error.name === 'Hyperliquid.PayloadError') return error.message;
  if (error.name === 'Math.InvalidPayloadError' || error.name.startsWith('Math.'))
    return `cannot compute: ${error.message}`;
  return `Hyperliquid info API unreachable (${error.name})`;
}
