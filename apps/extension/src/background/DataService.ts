import {
  createFetchTransport,
  createInfoClient,
  dexOf,
  HL_FUNDING_INTERVAL_HOURS,
  HlBudgetError,
  type HlClearinghouseState,
  type HlMeta,
  type HlPerpAssetCtx,
  type HlSpotClearinghouseState,
  type InfoClient,
  type WeightAccountant,
} from '@perpscope/hyperliquid';
import { annualizeRate } from '@perpscope/math';
import { GuardedAccountList, RiskSummary, VENUE_CHAIN_IMPACT } from '@perpscope/schemas';
import type {
  AevoPageAccount,
  AevoPagePosition,
  ChainImpact,
  ChainView,
  DependencyKind,
  Freshness,
  GuardView,
  HaltPlan,
  LiqCheck,
  MarketView,
  PositionView,
  Snapshot,
} from '../model.js';
import { getJson } from '../net/getJson.js';
import { watcherEndpoint } from '../net/watcherUrl.js';
import {
  type AccountDexInput,
  aevoMaintenanceBuffer,
  annualizedVolatility,
  annualizedVolatilityFromHourlyCloses,
  distanceToLiquidation,
  hyperliquidAccountRisk,
  type PriceSample,
  SPOT_MODES,
  STANDARD_MODES,
} from '../risk/computePositionRisk.js';
import { haltPlan } from '../risk/haltPlan.js';
import { positionBasis } from '../risk/positionBasis.js';
import { compareRiskLevels, riskLevel } from '../risk/riskLevel.js';
import { PAGE_POLL_MS } from '../sites.js';
import type { Settings } from '../storage/settings.js';
import { collateralOf } from '../ui/formatBadge.js';

/** Cache lifetimes (ms). Positions of dexes where the user holds nothing are polled rarely. */
export const TTL = {
  activeState: 2_000,
  idleState: 60_000,
  /** A failed refresh of a dex holding positions is retried this soon (its numbers are stale meanwhile). */
  retryActive: 5_000,
  ctx: 15_000,
  dexes: 3_600_000,
  /** Account mode: re-read every 10 min (wallets move users to unified mode, venues.md §4). */
  abstraction: 600_000,
  candles: 3_600_000,
  /** Aevo page reports older than this are dropped (the tab was closed). */
  aevoPage: 120_000,
  watcher: 2_000,
} as const;

/** Why Aevo positions get no what-if and no halt amounts. */
const AEVO_NO_BASIS =
  'not available for Aevo positions (read from the page, without their margin inputs)';

/** Relative difference between our and HL's liquidation price above which the badge flags it. */
export const LIQ_TOLERANCE = 0.001;

const DAY_MS = 86_400_000;
const MAX_SAMPLES = 240;

/** A venue's dependency on a chain; guidance defaults to a text per kind. */
export interface VenueDependency {
  readonly chain: string;
  readonly kind: DependencyKind;
  readonly guidance?: string;
}

/** Halts remembered per chain (see `DataService.exportHaltMemory`). */
export type HaltMemory = Readonly<
  Record<string, { readonly haltSeenAt: number; readonly upSince: number | null }>
>;

/** What the data service needs from the outside world. */
export interface DataServiceDeps {
  readonly fetch: typeof fetch;
  readonly now: () => number;
  /** Hyperliquid API origin, e.g. `https://api.hyperliquid.xyz`. */
  readonly apiBase: string;
  /** The request-weight budget every Hyperliquid request is charged to (its clock: `now`). */
  readonly budget: WeightAccountant;
  /** Venue ↔ chain dependencies. Default: `VENUE_CHAIN_IMPACT` of `@perpscope/schemas`. */
  readonly impacts?: Readonly<Partial<Record<'hyperliquid' | 'aevo', readonly VenueDependency[]>>>;
}

interface Timed<T> {
  readonly at: number;
  readonly value: T;
}

interface DexCtx {
  readonly meta: HlMeta;
  readonly ctxs: readonly HlPerpAssetCtx[];
}

/** Options of one refresh. */
export interface RefreshOptions {
  /** Coin shown on the page (e.g. from `/trade/xyz:TSLA`), so its market data is fetched too. */
  readonly focusCoin?: string | null;
}

/**
 * Owns every network request of the extension (Hyperliquid info API + optional watcher), their
 * caches and request budget, and turns the results into the {@link Snapshot} the UI shows.
 * One instance lives in the background service worker.
 */
export class DataService {
  readonly #deps: DataServiceDeps;
  #dexes: Timed<readonly string[]> | null = null;
  readonly #states = new Map<string, Timed<HlClearinghouseState>>();
  /**
   * Last failure per `addr|dex` and its reason: retried after {@link TTL.retryActive} when the dex
   * holds positions, at the idle TTL otherwise (e.g. a dex the API does not know).
   */
  readonly #stateFailures = new Map<string, { at: number; reason: string }>();
  /** `addr|dex` whose due refresh the budget skipped in the last run. */
  #stateSkipped = new Set<string>();
  readonly #ctx = new Map<string, Timed<DexCtx>>();
  /** Why the last market-data refresh of a dex failed or was skipped (cleared on success). */
  readonly #ctxFailures = new Map<string, string>();
  /** Account modes that the API answered; a failed or skipped lookup leaves the mode unknown. */
  readonly #abstraction = new Map<string, Timed<string>>();
  readonly #abstractionFailures = new Map<string, number>();
  /** Spot balances per address: the collateral of unified and portfolio-margin accounts. */
  readonly #spot = new Map<string, Timed<HlSpotClearinghouseState>>();
  /** Why the last spot refresh of an address failed or was skipped (cleared on success). */
  readonly #spotFailures = new Map<string, { at: number; reason: string }>();
  /** Per chain: last time seen halted/recovering, and since when it is `up` again (halt hold). */
  readonly #haltSeen = new Map<string, number>();
  readonly #upSince = new Map<string, number>();
  /** Hourly closes of the last day per coin (null = the API has none; samples are used instead). */
  readonly #candles = new Map<string, Timed<readonly string[] | null>>();
  #watcher: Timed<RiskSummary> | null = null;
  #watcherError: string | null = null;
  /** The watcher's guarded accounts (`GET /v1/positions`) and why the last read failed. */
  #guarded: Timed<GuardedAccountList> | null = null;
  #guardedError: string | null = null;
  /** Address → the watcher's address hash (sha256, computed once per address). */
  readonly #hashes = new Map<string, string>();
  readonly #samples = new Map<string, PriceSample[]>();
  #aevo: { positions: readonly AevoPagePosition[]; account: AevoPageAccount; at: number } | null =
    null;
  /** The run under way (or queued) and the settings + options it was started with. */
  #inflight: { readonly key: string; readonly run: Promise<Snapshot> } | null = null;

  readonly #hl: InfoClient;

  constructor(deps: DataServiceDeps) {
    this.#deps = deps;
    // Every Hyperliquid request: charged to the budget when called, answer validated
    // (@perpscope/hyperliquid); plain fetch, so the SDK stays out of the service worker.
    this.#hl = createInfoClient({
      transport: createFetchTransport({ apiUrl: deps.apiBase, fetch: deps.fetch }),
      budget: deps.budget,
    });
  }

  /** Price samples per coin (persisted by the background across service-worker restarts). */
  exportSamples(): Record<string, PriceSample[]> {
    return Object.fromEntries(this.#samples);
  }

  /** Restores samples saved by {@link exportSamples}. */
  importSamples(samples: Readonly<Record<string, readonly PriceSample[]>>): void {
    for (const [coin, list] of Object.entries(samples))
      this.#samples.set(coin, [...list].slice(-MAX_SAMPLES));
  }

  /**
   * Halts remembered per chain (when last seen halted/recovering, since when `up` again): persisted
   * by the background so a service-worker restart does not drop a multiplier still on hold.
   */
  exportHaltMemory(): HaltMemory {
    const out: Record<string, { haltSeenAt: number; upSince: number | null }> = {};
    for (const [chain, at] of this.#haltSeen)
      out[chain] = { haltSeenAt: at, upSince: this.#upSince.get(chain) ?? null };
    return out;
  }

  /** Restores what {@link exportHaltMemory} returned. */
  importHaltMemory(memory: HaltMemory): void {
    for (const [chain, m] of Object.entries(memory)) {
      this.#haltSeen.set(chain, m.haltSeenAt);
      if (m.upSince !== null) this.#upSince.set(chain, m.upSince);
    }
  }

  /** Stores the Aevo page's positions (read by the content script); used by the next snapshot. */
  setAevoPage(page: { positions: readonly AevoPagePosition[]; account: AevoPageAccount }): void {
    this.#aevo = { ...page, at: this.#deps.now() };
  }

  /**
   * Fetches what is stale (within the budget) and builds a snapshot. Concurrent calls with equal
   * settings and options share one run; a call with different ones (the user changed the
   * settings, another tab shows another coin) never gets the result of a run started before it:
   * it runs next, once the current run is done (runs never overlap: they share caches and budget).
   */
  refresh(settings: Settings, options: RefreshOptions = {}): Promise<Snapshot> {
    const key = JSON.stringify([settings, options.focusCoin ?? null]);
    const current = this.#inflight;
    if (current?.key === key) return current.run;
    const previous = current ? current.run.then(noop, noop) : Promise.resolve();
    const entry = {
      key,
      run: previous
        .then(() => this.#refresh(settings, options))
        .finally(() => {
          if (this.#inflight === entry) this.#inflight = null;
        }),
    };
    this.#inflight = entry;
    return entry.run;
  }

  async #refresh(settings: Settings, options: RefreshOptions): Promise<Snapshot> {
    const problems: string[] = [];
    const skipped = new Set<string>();
    this.#stateSkipped = new Set();
    const now = this.#deps.now;
    // The client charges the budget synchronously when a request is made, so the jobs below,
    // started in priority order before anything is awaited, spend it in that order.
    const budgetSkipped = (error: unknown): boolean => {
      if (!(error instanceof HlBudgetError)) return false;
      skipped.add(error.requestType);
      return true;
    };
    const note = (error: unknown) =>
      problems.push(error instanceof Error ? error.message : String(error));

    // 1. Dex list (main dex '' + HIP-3 dexes from perpDexs).
    if (!this.#dexes || now() - this.#dexes.at > TTL.dexes) {
      try {
        const list = await this.#hl.perpDexs();
        this.#dexes = { at: now(), value: ['', ...list.flatMap((d) => (d ? [d.name] : []))] };
      } catch (error) {
        if (!budgetSkipped(error)) {
          note(error);
          this.#dexes ??= { at: now() - TTL.dexes + 60_000, value: [''] };
        }
      }
    }
    const dexes = this.#dexes?.value ?? [''];

    // 2. One batched round: positions per address and dex, spot balances and account modes, and
    // market data (with `meta.collateralToken`) of the dexes already known to hold positions. The
    // budget is taken in priority order before anything is awaited: held dexes' states, spot
    // balances, market data, idle dexes, account modes.
    const stateJobs: { addr: string; dex: string; active: boolean }[] = [];
    for (const addr of settings.addresses) {
      const mode = this.#abstraction.get(addr)?.value ?? null;
      for (const dex of dexes) {
        const cached = this.#states.get(`${addr}|${dex}`);
        const active = cached !== undefined && holdsNumbers(cached.value, mode);
        const failed = this.#stateFailures.get(`${addr}|${dex}`);
        if (failed && now() - failed.at < (active ? TTL.retryActive : TTL.idleState)) continue;
        const ttl = active ? TTL.activeState : TTL.idleState;
        if (!cached || now() - cached.at >= ttl) stateJobs.push({ addr, dex, active });
      }
    }
    const stateJob = async ({ addr, dex }: { addr: string; dex: string }) => {
      try {
        const value = await this.#hl.clearinghouseState(hex(addr), dex);
        this.#states.set(`${addr}|${dex}`, { at: now(), value });
        this.#stateFailures.delete(`${addr}|${dex}`);
      } catch (error) {
        if (budgetSkipped(error)) {
          this.#stateSkipped.add(`${addr}|${dex}`);
          return;
        }
        this.#stateFailures.set(`${addr}|${dex}`, { at: now(), reason: reasonOf(error) });
        note(error);
      }
    };
    // Spot balances are the collateral of unified / portfolio-margin accounts and move with the
    // perps' PnL: polled with the positions while the mode is one of those or still unknown.
    const spotJobs = settings.addresses.filter((addr) => {
      const mode = this.#abstraction.get(addr)?.value;
      if (mode !== undefined && !SPOT_MODES.includes(mode)) return false;
      const failed = this.#spotFailures.get(addr);
      if (failed && failed.reason !== BUDGET && now() - failed.at < TTL.retryActive) return false;
      const cached = this.#spot.get(addr);
      return !cached || now() - cached.at >= TTL.activeState;
    });
    const spotJob = async (addr: string) => {
      try {
        const value = await this.#hl.spotClearinghouseState(hex(addr));
        this.#spot.set(addr, { at: now(), value });
        this.#spotFailures.delete(addr);
      } catch (error) {
        if (budgetSkipped(error)) {
          this.#spotFailures.set(addr, { at: now(), reason: BUDGET });
          return;
        }
        this.#spotFailures.set(addr, { at: now(), reason: reasonOf(error) });
        note(error);
      }
    };
    const ctxJob = async (dex: string) => {
      const cached = this.#ctx.get(dex);
      if (cached && now() - cached.at < TTL.ctx) return;
      try {
        // Every row validated: a dex's market data is used only when all of it is sound.
        const [meta, ctxs] = await this.#hl.metaAndValidAssetCtxs(dex);
        this.#ctx.set(dex, { at: now(), value: { meta, ctxs } });
        this.#ctxFailures.delete(dex);
      } catch (error) {
        if (budgetSkipped(error)) {
          this.#ctxFailures.set(dex, BUDGET);
          return;
        }
        this.#ctxFailures.set(dex, reasonOf(error));
        note(error);
      }
    };
    const abstractionJob = async (addr: string) => {
      const cached = this.#abstraction.get(addr);
      if (cached && now() - cached.at < TTL.abstraction) return;
      const failedAt = this.#abstractionFailures.get(addr);
      if (!cached && failedAt !== undefined && now() - failedAt < TTL.idleState) return;
      try {
        const value = await this.#hl.userAbstraction(hex(addr));
        this.#abstraction.set(addr, { at: now(), value });
        this.#abstractionFailures.delete(addr);
      } catch (error) {
        if (budgetSkipped(error)) return;
        // The mode stays unknown (a cached older answer is kept): until it is known, our
        // number is "not computable" and the venue's own price is the headline.
        this.#abstractionFailures.set(addr, now());
        note(error);
      }
    };
    // The focus coin comes from the page URL: a dex the API does not list would answer HTTP 500
    // on every poll and eat the budget, so only listed dexes are fetched for it.
    const focusDex =
      options.focusCoin && dexes.includes(dexOf(options.focusCoin))
        ? dexOf(options.focusCoin)
        : null;
    const wantedBefore = this.#wantedDexes(settings, focusDex);
    await Promise.all([
      ...stateJobs.filter((j) => j.active).map(stateJob),
      ...spotJobs.map(spotJob),
      ...[...wantedBefore].map(ctxJob),
      ...stateJobs.filter((j) => !j.active).map(stateJob),
      ...settings.addresses.map(abstractionJob),
    ]);
    // 3. Market data of dexes that this round found holding positions (first poll, a new dex).
    await Promise.all(
      [...this.#wantedDexes(settings, focusDex)].filter((d) => !wantedBefore.has(d)).map(ctxJob),
    );

    // 4. Recent volatility: a day of hourly candles per held coin (refreshed hourly).
    const coins = new Set<string>();
    for (const [key, st] of this.#states) {
      if (!settings.addresses.includes(key.split('|')[0] ?? '')) continue;
      for (const p of st.value.assetPositions) coins.add(p.position.coin);
    }
    await Promise.all(
      [...coins].map(async (coin) => {
        const cached = this.#candles.get(coin);
        if (cached && now() - cached.at < TTL.candles) return;
        const endTime = now();
        try {
          const candles = await this.#hl.candleSnapshot({
            coin,
            interval: '1h',
            startTime: endTime - DAY_MS,
            endTime,
          });
          this.#candles.set(coin, { at: now(), value: candles.map((c) => c.c) });
        } catch (error) {
          if (budgetSkipped(error)) return;
          // Not served (e.g. a local replay server): fall back to polled mark samples.
          this.#candles.set(coin, { at: now(), value: null });
        }
      }),
    );

    // 5. Watcher (optional).
    if (options.focusCoin) coins.add(options.focusCoin);
    const chainIds = [...new Set([...settings.chains.hyperliquid, ...settings.chains.aevo])];
    let watcherState: Snapshot['watcher'] = 'off';
    if (settings.watcherUrl) {
      if (!this.#watcher || now() - this.#watcher.at >= TTL.watcher) {
        const watcherUrl = settings.watcherUrl;
        const summaryJob = async () => {
          try {
            const url = watcherEndpoint(watcherUrl, 'v1/risk-summary');
            url.searchParams.set('coins', [...coins].join(','));
            url.searchParams.set('chains', chainIds.join(','));
            const value = await getJson({
              fetch: this.#deps.fetch,
              url: url.href,
              schema: RiskSummary,
            });
            this.#watcher = { at: now(), value };
            this.#watcherError = null;
          } catch (error) {
            this.#watcherError = error instanceof Error ? error.message : String(error);
          }
        };
        // Which addresses the watcher guards (issue 16), in the same cadence. The list carries
        // only hashes and masked addresses: nothing about the user's addresses is sent.
        const guardJob = async () => {
          if (settings.addresses.length === 0) return;
          try {
            const value = await getJson({
              fetch: this.#deps.fetch,
              url: watcherEndpoint(watcherUrl, 'v1/positions').href,
              schema: GuardedAccountList,
            });
            this.#guarded = { at: now(), value };
            this.#guardedError = null;
          } catch (error) {
            this.#guardedError = error instanceof Error ? error.message : String(error);
          }
        };
        await Promise.all([summaryJob(), guardJob(), this.#hashAddresses(settings.addresses)]);
      }
      if (this.#watcherError) {
        problems.push(`watcher: ${this.#watcherError}`);
        watcherState = 'error';
      } else watcherState = this.#watcher ? 'ok' : 'error';
    } else {
      this.#watcher = null;
      this.#guarded = null;
      this.#guardedError = null;
    }
    if (skipped.size > 0)
      problems.push(`request budget reached; served from cache: ${[...skipped].join(', ')}`);

    return this.#build(settings, watcherState, problems, options.focusCoin ?? null);
  }

  /** Hashes the addresses as the watcher keys them (first 16 hex of sha256 of the lowercase). */
  async #hashAddresses(addresses: readonly string[]): Promise<void> {
    await Promise.all(
      addresses
        .filter((a) => !this.#hashes.has(a))
        .map(async (a) => this.#hashes.set(a, await addressHash(a))),
    );
  }

  /** Per address, whether the watcher guards it (see {@link GuardView}). */
  #guards(settings: Settings): Record<string, GuardView | null> {
    const out: Record<string, GuardView | null> = {};
    const staleReason = this.#guardedError ? `watcher: ${this.#guardedError}` : null;
    for (const addr of settings.addresses) {
      if (!settings.watcherUrl || (!this.#guarded && !staleReason)) {
        out[addr] = null;
        continue;
      }
      const hash = this.#hashes.get(addr);
      const account = this.#guarded?.value.accounts.find((a) => a.addressHash === hash);
      const closest = account?.positions.reduce<(typeof account.positions)[number] | null>(
        (best, p) =>
          best === null || Number(p.distancePct ?? Infinity) < Number(best.distancePct ?? Infinity)
            ? p
            : best,
        null,
      );
      const levels = account?.positions.map((p) => p.level) ?? [];
      // The watcher's own reads of the account failing (or any level not current): `unknown`;
      // otherwise the most severe level on the one scale.
      const level =
        account?.status === 'unknown' || levels.includes('unknown')
          ? 'unknown'
          : levels.reduce<GuardView['level']>(
              (worst, l) => (worst === null || compareRiskLevels(l, worst) > 0 ? l : worst),
              null,
            );
      const at = this.#guarded?.at ?? 0;
      out[addr] = {
        on: account !== undefined,
        label: account?.label ?? null,
        level: level ?? null,
        thresholds: closest
          ? { warnPct: closest.thresholds.warnPct, criticalPct: closest.thresholds.criticalPct }
          : null,
        ageSeconds:
          account?.lastSuccessAt == null
            ? null
            : Math.max(0, Math.round((at - Date.parse(account.lastSuccessAt)) / 1000)),
        dataAt: at,
        staleReason,
      };
    }
    return out;
  }

  #build(
    settings: Settings,
    watcher: Snapshot['watcher'],
    problems: string[],
    focusCoin: string | null,
  ): Snapshot {
    const now = this.#deps.now();
    const summary = settings.watcherUrl ? this.#watcher?.value : undefined;
    const watcherAt = summary ? (this.#watcher?.at ?? 0) : 0;
    const watcherStale =
      watcher === 'error' ? `watcher: ${this.#watcherError ?? 'unreachable'}` : null;
    const holdMs = settings.timing.haltHoldMinutes * 60_000;
    const impactsOf = (chain: string, active: boolean): ChainImpact[] =>
      (['hyperliquid', 'aevo'] as const).flatMap((venue) => {
        const table = this.#deps.impacts ?? VENUE_CHAIN_IMPACT;
        // The built-in table first; else what the user said in the options (issue 18).
        const declared = settings.dependencies[venue];
        // Own keys only: a chain id like `constructor` must not find Object.prototype's.
        const userKind = Object.hasOwn(declared, chain) ? declared[chain] : undefined;
        const dep =
          table[venue]?.find((d) => d.chain === chain) ??
          (userKind && userKind !== 'status' ? { chain, kind: userKind } : undefined);
        if (!dep) return [];
        return [
          {
            venue,
            kind: dep.kind,
            guidance: dep.guidance ?? KIND_GUIDANCE[dep.kind],
            multiplied: dep.kind === 'prices' && active,
          },
        ];
      });
    const chainIds = [...new Set([...settings.chains.hyperliquid, ...settings.chains.aevo])];
    const chains: ChainView[] = summary
      ? summary.chains.map((c) => ({
          id: c.chain,
          name: c.name,
          status: c.status,
          phase: PHASE_LABEL[c.phase],
          guidance: c.guidance.join(' '),
          dataAt: watcherAt,
          staleReason: watcherStale,
          impacts: impactsOf(c.chain, this.#haltHold(c, now, holdMs)),
        }))
      : settings.watcherUrl
        ? // Never reached: list the chains as unknown rather than leaving them out.
          chainIds.map((id) => ({
            id,
            name: id,
            status: 'unknown' as const,
            phase: PHASE_LABEL.unknown,
            guidance: '',
            dataAt: 0,
            staleReason: watcherStale ?? 'not reported by the watcher yet',
            impacts: impactsOf(id, this.#haltSeen.has(id)),
          }))
        : [];
    const multiplied = (venue: 'hyperliquid' | 'aevo') =>
      chains.some((c) => c.impacts.some((i) => i.venue === venue && i.multiplied));
    const haltActive = multiplied('hyperliquid') || multiplied('aevo');
    const thresholds = settings.thresholds;

    // Market views for every coin we know about.
    const markets = new Map<string, MarketView>();
    const addMarket = (coin: string) => {
      if (markets.has(coin)) return;
      const dex = dexOf(coin);
      const ctxPair = this.#ctx.get(dex)?.value;
      const idx = ctxPair?.meta.universe.findIndex((u) => u.name === coin) ?? -1;
      const ctx = idx >= 0 ? ctxPair?.ctxs[idx] : undefined;
      const wm = summary?.markets.find((m) => m.coin === coin);
      const mark = ctx ? Number(ctx.markPx) : null;
      const oracle = ctx ? Number(ctx.oraclePx) : null;
      markets.set(coin, {
        coin,
        dex,
        dataAt: ctx ? (this.#ctx.get(dex)?.at ?? 0) : 0,
        staleReason: this.#ctxFailures.get(dex) ?? null,
        oracleAt: wm ? watcherAt : 0,
        oracleStaleReason: wm ? watcherStale : null,
        staleAfterMs: settings.timing.staleAfterPolls * Math.max(TTL.ctx, PAGE_POLL_MS),
        markPx: ctx?.markPx ?? null,
        oraclePx: ctx?.oraclePx ?? null,
        fundingApr: ctx
          ? Number(annualizeRate({ rate: ctx.funding, intervalHours: HL_FUNDING_INTERVAL_HOURS }))
          : null,
        markOracleDevPct: mark !== null && oracle ? ((mark - oracle) / oracle) * 100 : null,
        oracleStatus: wm?.status ?? 'unknown',
        oracleReason: wm
          ? (wm.reasons[0]?.message ?? null)
          : settings.watcherUrl
            ? 'not reported by the watcher'
            : 'no watcher configured',
      });
    };

    const positions: PositionView[] = [];
    const hlMultiplied = multiplied('hyperliquid');
    for (const addr of settings.addresses) {
      const mode = this.#abstraction.get(addr)?.value ?? null;
      const held = this.#heldDexes(addr, mode);
      if (held.length === 0) continue;
      // The inputs of one dex's numbers: its state, and (not standard) every dex sharing the
      // collateral and the spot balances. A number is as old as its oldest input.
      const inputs = (dex: string): Freshness[] => {
        const own = [this.#stateFreshness(addr, dex)];
        if (mode === null || STANDARD_MODES.includes(mode)) return own;
        const all = held.map((d) => this.#stateFreshness(addr, d.dex));
        if (!SPOT_MODES.includes(mode)) return all;
        const spot = this.#spot.get(addr);
        const failure = this.#spotFailures.get(addr);
        return [...all, { dataAt: spot?.at ?? 0, staleReason: failure?.reason ?? null }];
      };
      let risk: ReturnType<typeof hyperliquidAccountRisk>;
      try {
        risk = hyperliquidAccountRisk({
          mode,
          dexes: held,
          spot: this.#spot.get(addr)?.value ?? null,
        });
      } catch (error) {
        problems.push(
          `${addr.slice(0, 8)}…: ${error instanceof Error ? error.message : String(error)}`,
        );
        continue;
      }
      if (risk.problem) problems.push(`${addr.slice(0, 8)}…: ${risk.problem}`);
      for (const item of risk.positions) {
        const { position: r, liquidationPrice: ours, notComputable } = item;
        const at = this.#states.get(`${addr}|${r.dex}`)?.at ?? 0;
        addMarket(r.coin);
        this.#addSample(r.coin, at, r.markPrice);
        const venue = r.exchangeLiquidationPrice;
        const liqCheck: LiqCheck = notComputable ? 'not-computable' : compareLiq(ours, venue);
        const headline = nearer(r.markPrice, ours, venue);
        const dist = distanceToLiquidation({
          markPx: r.markPrice,
          liqPx: headline === 'ours' ? ours : headline === 'venue' ? venue : null,
          annualVol: this.#volatility(r.coin),
        });
        const distancePct = dist?.pct ?? null;
        const fresh = inputs(r.dex);
        const collateralSymbol = collateralOf({ venue: 'hyperliquid', dex: r.dex });
        const { basis, reason: basisReason } = positionBasis({
          risk: item,
          mode,
          state: this.#states.get(`${addr}|${r.dex}`)?.value,
          meta: this.#ctx.get(r.dex)?.value.meta ?? null,
          collateralSymbol,
        });
        let plan: HaltPlan | null = null;
        if (hlMultiplied) {
          const keepPct = thresholds.warnPct * thresholds.haltMultiplier;
          try {
            // When both prices agree (within LIQ_TOLERANCE, the venue's rounding) the amounts are
            // solved on ours even if the venue's is a hair nearer; a real disagreement gets none.
            plan = haltPlan({
              basis,
              basisReason,
              headline: headline === 'venue' && liqCheck === 'agree' ? 'ours' : headline,
              keepPct,
              collateralSymbol,
            });
          } catch (error) {
            plan = {
              keepPct,
              addCollateral: null,
              collateralSymbol,
              cutPct: null,
              note: `Amounts not computed: ${error instanceof Error ? error.message : String(error)}`,
            };
          }
        }
        positions.push({
          key: `hyperliquid|${addr}|${r.coin}`,
          venue: 'hyperliquid',
          account: addr,
          dex: r.dex,
          coin: r.coin,
          side: r.side,
          size: r.size,
          markPx: trimPx(r.markPrice),
          liqPx: ours === null ? null : trimPx(ours),
          venueLiqPx: venue,
          liqCheck,
          headline,
          accountMode: mode,
          liqReason: notComputable,
          haltMultiplied: hlMultiplied,
          marginMode: r.marginMode,
          distancePct,
          distanceSigma: dist?.sigmas ?? null,
          level: riskLevel({ distancePct, thresholds, haltActive: hlMultiplied }),
          healthBufferUsd: null,
          basis,
          basisReason,
          haltPlan: plan,
          dataAt: Math.min(...fresh.map((f) => f.dataAt)),
          staleReason: fresh.find((f) => f.staleReason !== null)?.staleReason ?? null,
        });
      }
    }
    if (focusCoin) addMarket(focusCoin);

    // Aevo positions exist only while an Aevo tab reports them; drop them when it stopped.
    if (this.#aevo && now - this.#aevo.at > TTL.aevoPage) this.#aevo = null;
    if (this.#aevo) {
      const acc = this.#aevo.account;
      // Aevo cross-margin health to keep positions: AB + UP − OO − MM (SPEC §0 note 2).
      const health =
        acc.balance !== null &&
        acc.unrealizedPnl !== null &&
        acc.openOrdersMargin !== null &&
        acc.maintenanceMargin !== null
          ? aevoMaintenanceBuffer({
              balance: acc.balance,
              unrealizedPnl: acc.unrealizedPnl,
              openOrdersMargin: acc.openOrdersMargin,
              maintenanceMargin: acc.maintenanceMargin,
            })
          : null;
      for (const p of this.#aevo.positions) {
        let distancePct: number | null = null;
        try {
          distancePct =
            p.markPx === null
              ? null
              : (distanceToLiquidation({ markPx: p.markPx, liqPx: p.liqPx, annualVol: null })
                  ?.pct ?? null);
        } catch {
          distancePct = null; // a zero or negative price on the page: no distance
        }
        const level =
          health !== null && health <= 0
            ? 'critical'
            : riskLevel({ distancePct, thresholds, haltActive: multiplied('aevo') });
        positions.push({
          key: `aevo|page|${p.instrument}`,
          venue: 'aevo',
          account: 'page',
          dex: '',
          coin: p.instrument,
          side: p.side,
          size: p.size,
          markPx: p.markPx,
          liqPx: null,
          venueLiqPx: p.liqPx,
          liqCheck: 'unchecked',
          headline: p.liqPx === null ? null : 'venue',
          accountMode: null,
          haltMultiplied: multiplied('aevo'),
          basis: null,
          basisReason: AEVO_NO_BASIS,
          haltPlan: multiplied('aevo')
            ? haltPlan({
                basis: null,
                basisReason: AEVO_NO_BASIS,
                headline: p.liqPx === null ? null : 'venue',
                keepPct: thresholds.warnPct * thresholds.haltMultiplier,
                collateralSymbol: 'USDC',
              })
            : null,
          dataAt: this.#aevo.at,
          staleReason: null,
          marginMode: 'cross',
          distancePct,
          distanceSigma: null,
          level,
          healthBufferUsd: health,
        });
      }
    }

    positions.sort(
      (a, b) =>
        (a.distancePct ?? Number.POSITIVE_INFINITY) - (b.distancePct ?? Number.POSITIVE_INFINITY),
    );
    const fresh = [...this.#states.values()].map((s) => s.at);
    return {
      updatedAt: fresh.length > 0 ? Math.max(...fresh) : settings.addresses.length === 0 ? now : 0,
      positions,
      markets: [...markets.values()],
      chains,
      watcher,
      haltActive,
      staleAfterMs: settings.timing.staleAfterPolls * PAGE_POLL_MS,
      problems,
      thresholds: {
        warnPct: thresholds.warnPct,
        criticalPct: thresholds.criticalPct,
        haltMultiplier: settings.thresholds.haltMultiplier,
      },
      addresses: settings.addresses,
      labels: settings.labels,
      guards: this.#guards(settings),
      sites: settings.sites,
      siteChains: settings.chains,
    };
  }

  /**
   * Dexes whose market data (`metaAndAssetCtxs`: margin tables, `collateralToken`, marks) is
   * needed: those holding an account's numbers, and the dex of the coin on screen.
   */
  #wantedDexes(settings: Settings, focusDex: string | null): Set<string> {
    const wanted = new Set<string>();
    for (const addr of settings.addresses) {
      const mode = this.#abstraction.get(addr)?.value ?? null;
      for (const d of this.#heldDexes(addr, mode)) wanted.add(d.dex);
    }
    if (focusDex !== null) wanted.add(focusDex);
    return wanted;
  }

  /**
   * The dexes of an account that its numbers depend on, as fetched: those with positions and,
   * under DEX abstraction, those with a balance (the USDC dexes share the main dex's collateral).
   */
  #heldDexes(addr: string, mode: string | null): AccountDexInput[] {
    const out: AccountDexInput[] = [];
    for (const [key, st] of this.#states) {
      const [a, dex = ''] = key.split('|');
      if (a !== addr || !holdsNumbers(st.value, mode)) continue;
      out.push({ dex, state: st.value, meta: this.#ctx.get(dex)?.value.meta ?? null });
    }
    return out;
  }

  /** Age and failure of one dex's `clearinghouseState` (a failure or a budget skip marks it stale). */
  #stateFreshness(addr: string, dex: string): Freshness {
    const key = `${addr}|${dex}`;
    return {
      dataAt: this.#states.get(key)?.at ?? 0,
      staleReason:
        this.#stateFailures.get(key)?.reason ?? (this.#stateSkipped.has(key) ? BUDGET : null),
    };
  }

  /**
   * Whether a chain's halt multiplier is in force: while `halted` or `recovering`, and after that
   * until it has been `up` for `holdMs` (note 1: the restart brings the gaps). Other statuses
   * after a halt keep it (the chain is not back yet). Remembers halts across refreshes.
   */
  #haltHold(
    c: { readonly chain: string; readonly status: string; readonly statusSinceMs: number | null },
    now: number,
    holdMs: number,
  ): boolean {
    if (c.status === 'halted' || c.status === 'recovering') {
      this.#haltSeen.set(c.chain, now);
      this.#upSince.delete(c.chain);
      return true;
    }
    if (!this.#haltSeen.has(c.chain)) return false;
    if (c.status !== 'up') return true;
    const since = c.statusSinceMs ?? this.#upSince.get(c.chain) ?? now;
    this.#upSince.set(c.chain, since);
    if (now - since < holdMs) return true;
    this.#haltSeen.delete(c.chain);
    this.#upSince.delete(c.chain);
    return false;
  }

  /** Annualized σ: from hourly candles when the API serves them, else from polled marks. */
  #volatility(coin: string): number | null {
    const closes = this.#candles.get(coin)?.value;
    const fromCandles = closes ? annualizedVolatilityFromHourlyCloses(closes) : null;
    return fromCandles ?? annualizedVolatility(this.#samples.get(coin) ?? []);
  }

  #addSample(coin: string, t: number, px: string): void {
    const list = this.#samples.get(coin) ?? [];
    const last = list.at(-1);
    if (last && last.t >= t) return;
    list.push({ t, px });
    while (list.length > MAX_SAMPLES || (list[0] && t - list[0].t > DAY_MS)) list.shift();
    this.#samples.set(coin, list);
  }
}

const noop = () => {};

/** Why a refresh did not happen: the request budget skipped it. */
const BUDGET = 'request budget reached';

const PHASE_LABEL = {
  normal: 'normal',
  'pre-halt': 'before a halt',
  halted: 'during a halt',
  recovering: 'after a halt',
  unknown: 'unknown',
} as const;

/**
 * Whether an account's numbers depend on this dex's state (polled with the positions then): it has
 * positions or, under DEX abstraction, a balance (the USDC dexes share the main dex's collateral).
 */
function holdsNumbers(state: HlClearinghouseState, mode: string | null): boolean {
  if (state.assetPositions.length > 0) return true;
  return mode === 'dexAbstraction' && Number(state.crossMarginSummary.accountValue) !== 0;
}

/**
 * The watcher's address hash (`addressHash` of apps/watcher: the first 16 hex digits of sha256 of
 * the lowercase address), with WebCrypto so the service worker can match the watcher's list.
 */
export async function addressHash(address: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(address.toLowerCase()),
  );
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, 16);
}

/** Guidance per dependency kind, for tables that give none (venues.md §6). */
const KIND_GUIDANCE: Record<DependencyKind, string> = {
  prices:
    'prices, orders and liquidations on this chain are frozen; the restart can gap: keep liquidation distance at least 2× normal.',
  bridge: 'deposits and withdrawals over this chain are stalled; trading is unaffected.',
  settlement: 'trade settlement, deposits and withdrawals are stalled.',
};

/** Settings hold addresses as validated `0x…` strings. */
const hex = (address: string) => address as `0x${string}`;

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    /HTTP \d+|network error|timed? ?out|not JSON|unexpected payload/i.exec(message)?.[0] ?? message
  );
}

/**
 * Which liquidation price is nearer the mark (SPEC §5: the headline uses the nearer one). A missing
 * price is farther than any price.
 */
function nearer(mark: string, ours: string | null, venue: string | null): 'ours' | 'venue' | null {
  if (ours === null) return venue === null ? null : 'venue';
  if (venue === null) return 'ours';
  const m = Number(mark);
  return Math.abs(m - Number(venue)) < Math.abs(m - Number(ours)) ? 'venue' : 'ours';
}

function compareLiq(ours: string | null, venue: string | null): LiqCheck {
  if (ours === null && venue === null) return 'none';
  if (ours === null || venue === null) return 'disagree';
  return Math.abs(Number(ours) - Number(venue)) / Number(venue) <= LIQ_TOLERANCE
    ? 'agree'
    : 'disagree';
}

/** Display form of a computed price: 8 significant digits. */
function trimPx(px: string): string {
  return String(Number(Number(px).toPrecision(8)));
}
