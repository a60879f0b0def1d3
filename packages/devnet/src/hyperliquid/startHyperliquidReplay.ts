import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { infoRequestWeight } from '@perpscope/hyperliquid';
import { type WebSocket, WebSocketServer } from 'ws';
import { allDexsClearinghouseStateFrame } from './allDexsClearinghouseStateFrame.js';
import {
  answerAccountDiscovery,
  type ReplaySubAccount,
  type ReplayVaultEquity,
} from './answerAccountDiscovery.js';
import { answerUserInfo, type ReplayUser } from './answerUserInfo.js';
import { buildClearinghouseState, type ReplayAccount } from './clearinghouseState.js';
import { createReplayMarkets, type ReplayMarket } from './createReplayMarkets.js';
import { formatHlPx } from './formatHl.js';
import type { MalformedFrameKind, ReplayAction, ReplayScenario } from './hyperliquidScenarios.js';
import { createInfoFaults, type InfoFault } from './infoFaults.js';
import { defaultHyperliquidFixturesDir, loadReplayFixtures } from './loadReplayFixtures.js';
import { createReplayUsers, type ReplayUsers } from './replayUsers.js';
import { createScaledClock, type ReplayClock } from './scaledClock.js';

/** Parameters of {@link startHyperliquidReplay}. */
export type StartHyperliquidReplayParameters = {
  /** TCP port; 0 or absent = any free port. */
  port?: number;
  /** Bind address. Default `127.0.0.1`. */
  host?: string;
  /** Directory with the recorded fixtures. Default: the copies in this package. */
  fixturesDir?: string;
  /** HIP-3 dexes to serve (`''` also streams the main dex). Default `['xyz', 'flx']`. */
  dexes?: readonly string[];
  /** Scenario started immediately (see {@link hyperliquidScenarios}). */
  scenario?: ReplayScenario;
  /** Restart the scenario when it ends. */
  loop?: boolean;
  /** Shared (virtual) clock. Default: real time. */
  clock?: ReplayClock;
  /**
   * Virtual ms between simulation steps and `allDexsAssetCtxs` pushes. Default 1000 (HL pushes
   * ctxs about once a second). Real interval = `tickMs / clock.scale`. `null` = only on `tick()`.
   */
  tickMs?: number | null;
  /** Deployer `setOracle` cadence in virtual ms. Default 3000. */
  oracleIntervalMs?: number;
  /** PRNG seed for reproducible prices. Default 1. */
  seed?: number;
  /** Pads synthetic dexes to this many markets (load benchmarks); see `createReplayMarkets`. */
  marketsPerDex?: number;
  /** Explorer history each oracle writer starts with (benchmarks); see `createReplayMarkets`. */
  explorerHistoryTxs?: number;
  /** Accounts served by `clearinghouseState`, keyed by user address then dex (`''` = main). */
  accounts?: Record<string, Record<string, ReplayAccount>>;
  /** Account modes and spot balances (`userAbstraction`, `spotClearinghouseState`), keyed by user. */
  users?: Record<string, ReplayUser>;
  /** Sub-accounts per master address (`subAccounts`). */
  subAccounts?: Record<string, readonly ReplaySubAccount[]>;
  /** Vault deposits per user (`userVaultEquities`). */
  vaultEquities?: Record<string, readonly ReplayVaultEquity[]>;
};

/** One request the server received, for assertions on the client's request budget. */
export type ReplayRequestRecord = {
  /** Virtual time of receipt. */
  timeMs: number;
  /** Real time of receipt (`Date.now()`), for per-minute budgets on the wall clock. */
  realMs: number;
  endpoint: 'info' | 'explorer' | 'ws-post' | 'ws-subscribe';
  type: string;
  status: number;
  /**
   * HL's documented base weight of the request (`infoRequestWeight` of `@perpscope/hyperliquid`) for
   * `info` and `explorer`; 0 for WebSocket posts and subscriptions (they cost no REST weight).
   */
  weight: number;
};

/** A running replay server. */
export type HyperliquidReplay = {
  /** Base URL for `HttpTransport({ apiUrl, rpcUrl })` (requests go to `{url}/info`, `{url}/explorer`). */
  url: string;
  /** URL for `WebSocketTransport({ url })`. */
  wsUrl: string;
  clock: ReplayClock;
  /** Applies one action now (the same vocabulary as scenario steps). */
  apply(action: ReplayAction): void;
  /** Starts a scenario now; replaces the running one. */
  play(scenario: ReplayScenario, options?: { loop?: boolean }): void;
  /** Moves a market to `px` at once (reference, oracle, mark and mid). */
  setMark(coin: string, px: number): void;
  /** Sets (replaces) a user's account on one dex for `clearinghouseState`. */
  setAccount(user: string, dex: string, account: ReplayAccount): void;
  /** Sets (replaces) a user's account mode and spot balances (`userAbstraction`, `spotClearinghouseState`). */
  setUser(user: string, value: ReplayUser): void;
  /**
   * Makes every account state (`clearinghouseState` over REST, `allDexsClearinghouseState` pushes,
   * unified users' liquidation prices) value positions in `coin` at `px` while the market itself —
   * `allDexsAssetCtxs`, `metaAndAssetCtxs`, books, fills — moves on: an account snapshot that lags
   * the ctx stream. `null` releases it. No public measurement of such a lag exists; it is the case
   * the position guard's "mark from the ctx stream" must handle, not a recorded behaviour.
   */
  holdAccountMark(coin: string, px: number | null): void;
  /** Per-user history beyond `clearinghouseState`: fills, liquidations (see `replayUsers.ts`). */
  users: ReplayUsers;
  /**
   * Steps the simulation to `clock.now()` and pushes one frame to subscribers (`allDexsAssetCtxs`,
   * `l2Book`, and `allDexsClearinghouseState` per subscribed user; the latter is also pushed when
   * `setAccount`, `setUser`, `setMark` or `users.liquidate` change a state).
   */
  tick(): void;
  /** Makes `/info` and `/explorer` answer with an HTTP error or hang (see `InfoFault`); null clears it. */
  setInfoFault(fault: InfoFault | null): void;
  /** Current wire ctx of a coin (what the next frame carries). */
  ctxOf(coin: string): ReplayMarket['ctx'] | undefined;
  /** Every request received so far. */
  readonly requests: readonly ReplayRequestRecord[];
  /** Count of `allDexsAssetCtxs` frames pushed (good and malformed). */
  readonly framesSent: number;
  /** Number of currently open WebSocket connections (including silent ones). */
  readonly openSockets: number;
  /** Total WebSocket connections accepted since start. */
  readonly connectionsAccepted: number;
  stop(): Promise<void>;
};

const json = 'application/json';

/**
 * Starts a local stand-in for the Hyperliquid API: `POST /info`, `POST /explorer` and the
 * WebSocket `/ws` (`allDexsAssetCtxs`, `l2Book`, `allDexsClearinghouseState` subscriptions and `post`), speaking the recorded message shapes (decimal strings, `null`s where real data
 * has them, `Content-Type: application/json`), with prices driven by a scenario timeline.
 * Unknown dex → HTTP 500 with an empty body, as the real API does; a malformed body → 422 with a
 * plain-string body.
 *
 * @example
 * ```ts
 * const hl = await startHyperliquidReplay({ scenario: hyperliquidScenarios.oracleStall() });
 * const info = new InfoClient({ transport: new HttpTransport({ apiUrl: hl.url, rpcUrl: hl.url }) });
 * await info.metaAndAssetCtxs({ dex: 'xyz' });
 * await hl.stop();
 * ```
 */
export async function startHyperliquidReplay(
  params: StartHyperliquidReplayParameters = {},
): Promise<HyperliquidReplay> {
  const clock = params.clock ?? createScaledClock();
  const fixtures = loadReplayFixtures(params.fixturesDir ?? defaultHyperliquidFixturesDir);
  const sim = createReplayMarkets({
    fixtures,
    dexes: params.dexes ?? ['xyz', 'flx'],
    seed: params.seed ?? 1,
    nowMs: clock.now(),
    ...(params.oracleIntervalMs === undefined ? {} : { oracleIntervalMs: params.oracleIntervalMs }),
    ...(params.marketsPerDex === undefined ? {} : { marketsPerDex: params.marketsPerDex }),
    ...(params.explorerHistoryTxs === undefined
      ? {}
      : { explorerHistoryTxs: params.explorerHistoryTxs }),
  });
  const tickMs = params.tickMs === undefined ? 1000 : params.tickMs;
  const lower = <T>(r: Record<string, T> | undefined) =>
    new Map(Object.entries(r ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const));
  const discovery = {
    subAccounts: lower(params.subAccounts),
    vaultEquities: lower(params.vaultEquities),
  };
  const accounts = new Map<string, ReplayAccount>();
  for (const [user, byDex] of Object.entries(params.accounts ?? {})) {
    for (const [dex, acc] of Object.entries(byDex))
      accounts.set(`${user.toLowerCase()}|${dex}`, acc);
  }
  const users = new Map(
    Object.entries(params.users ?? {}).map(([u, v]) => [u.toLowerCase(), v] as const),
  );
  const requests: ReplayRequestRecord[] = [];
  const faults = createInfoFaults();
  /** Marks the account states use instead of the market's (`holdAccountMark`). */
  const heldAccountMarks = new Map<string, number>();
  const accountMarkOf = (c: string): number | null => {
    const held = heldAccountMarks.get(c);
    if (held !== undefined) return held;
    const m = sim.markets.get(c);
    return m ? Number(m.ctx.markPx) : null;
  };
  const userHistory = createReplayUsers({
    now: () => clock.now(),
    markOf: (c) => {
      const m = sim.markets.get(c);
      return m ? Number(m.ctx.markPx) : null;
    },
    getAccount: (user, dex) => accounts.get(`${user.toLowerCase()}|${dex}`),
    setAccount: (user, dex, acc) => {
      accounts.set(`${user.toLowerCase()}|${dex}`, acc);
      pushUserStates(user);
    },
  });
  let framesSent = 0;
  let connectionsAccepted = 0;
  let simTime = clock.now();
  let scenario: { s: ReplayScenario; startMs: number; next: number; loop: boolean } | null = null;
  let pendingMalformed: MalformedFrameKind[] = [];

  type Client = {
    ws: WebSocket;
    silent: boolean;
    ctxs: boolean;
    books: Set<string>;
    /** Users subscribed with `allDexsClearinghouseState` (lowercase). */
    userStates: Set<string>;
  };
  const clients = new Set<Client>();

  const market = (coin: string): ReplayMarket => {
    const m = sim.markets.get(coin);
    if (!m) throw new Error(`Hyperliquid replay: unknown coin ${coin}`);
    return m;
  };

  function apply(action: ReplayAction) {
    switch (action.type) {
      case 'oracleStall':
        market(action.coin).stalled = true;
        break;
      case 'oracleResume':
        market(action.coin).stalled = false;
        break;
      case 'writerStall':
        for (const m of sim.marketsOf(action.dex)) m.stalled = true;
        break;
      case 'writerResume':
        for (const m of sim.marketsOf(action.dex)) m.stalled = false;
        break;
      case 'markJump':
        market(action.coin).pendingMarkJump = action.fraction;
        break;
      case 'oracleJump':
        market(action.coin).pendingOracleJump = action.fraction;
        break;
      case 'depeg':
        market(action.coin).depeg = action.fraction;
        break;
      case 'oiCap':
        market(action.coin).atCap = action.atCap;
        break;
      case 'depth':
        market(action.coin).depthFactor = action.factor;
        break;
      case 'spoof':
        market(action.coin).spoof = action.on;
        break;
      case 'halt': {
        const m = market(action.coin);
        m.halted = action.halted;
        if (action.halted) {
          m.meta.isDelisted = true;
          m.openInterest = 0;
        } else {
          delete m.meta.isDelisted;
        }
        sim.render(m);
        break;
      }
      case 'setPrice': {
        const m = market(action.coin);
        m.truePx = action.px;
        m.oraclePx = action.px;
        m.markPx = action.px;
        m.midPx = action.px;
        m.depeg = 0;
        sim.render(m);
        pushUserStates(null);
        break;
      }
      case 'wsDrop':
        for (const c of clients) {
          if (action.mode === 'silent') c.silent = true;
          else c.ws.terminate();
        }
        break;
      case 'malformedFrames':
        pendingMalformed.push(...action.kinds);
        break;
    }
  }

  function runScenario(now: number) {
    while (scenario) {
      const step = scenario.s.steps[scenario.next];
      if (step && scenario.startMs + step.atMs <= now) {
        apply(step.action);
        scenario.next += 1;
        continue;
      }
      if (!step && scenario.loop && now >= scenario.startMs + scenario.s.durationMs) {
        scenario = { ...scenario, startMs: scenario.startMs + scenario.s.durationMs, next: 0 };
        continue;
      }
      break;
    }
  }

  function ctxFrame(): string {
    return JSON.stringify({
      channel: 'allDexsAssetCtxs',
      data: {
        ctxs: sim.streamedDexes().map((d) => [d, sim.marketsOf(d).map((m) => m.ctx)]),
      },
    });
  }

  function malformedFrame(kind: MalformedFrameKind): string {
    const dex = sim.streamedDexes().find((d) => d !== '') ?? '';
    const ctxs = sim.marketsOf(dex).map((m) => ({ ...m.ctx }));
    const first = ctxs[0] as Record<string, unknown> | undefined;
    switch (kind) {
      case 'notJson':
        return '{"channel":"allDexsAssetCtxs","data":{"ctxs":[["xyz",[{"funding":';
      case 'ctxsNotArray':
        return JSON.stringify({ channel: 'allDexsAssetCtxs', data: { ctxs: 'oops' } });
      case 'numbersInsteadOfStrings':
        if (first) {
          first.oraclePx = Number(first.oraclePx);
          first.markPx = Number(first.markPx);
        }
        break;
      case 'missingFields':
        if (first) {
          delete first.oraclePx;
          delete first.funding;
        }
        break;
      case 'nanStrings':
        if (first) {
          first.oraclePx = 'NaN';
          first.markPx = 'Infinity';
        }
        break;
      case 'hugeArray':
        return JSON.stringify({
          channel: 'allDexsAssetCtxs',
          data: { ctxs: [[dex, Array.from({ length: 20_000 }, () => ctxs[0] ?? {})]] },
        });
      case 'wrongDexTuple':
        return JSON.stringify({ channel: 'allDexsAssetCtxs', data: { ctxs: [[42, null, 'x']] } });
    }
    return JSON.stringify({ channel: 'allDexsAssetCtxs', data: { ctxs: [[dex, ctxs]] } });
  }

  function userStatesFrame(user: string): string {
    return allDexsClearinghouseStateFrame({
      user,
      dexes: sim.perpDexs().map((d) => d?.name ?? ''),
      stateOf: (u, dex) => info({ type: 'clearinghouseState', user: u, dex }),
    });
  }

  /** Pushes `allDexsClearinghouseState` to the subscribers of `user` (`null` = of every user). */
  function pushUserStates(user: string | null) {
    const u = user?.toLowerCase() ?? null;
    for (const c of clients) {
      if (c.silent || c.ws.readyState !== c.ws.OPEN) continue;
      for (const s of c.userStates) if (u === null || s === u) c.ws.send(userStatesFrame(s));
    }
  }

  function bookBody(coin: string) {
    const m = sim.markets.get(coin);
    if (!m) return null;
    const levels = sim.book(m);
    const bestBid = levels[0]?.[0];
    const bestAsk = levels[1]?.[0];
    return {
      coin,
      time: clock.now(),
      levels,
      // The recorded l2Book carries an undocumented `spread`; mirror it.
      ...(bestBid && bestAsk
        ? { spread: formatHlPx(Number(bestAsk.px) - Number(bestBid.px), m.meta.szDecimals) }
        : {}),
    };
  }

  function tick() {
    const now = clock.now();
    runScenario(now);
    // One simulation step per tick interval that elapsed, so a slow event loop does not skip updates.
    const stepMs = tickMs ?? 1000;
    let steps = 0;
    while (simTime + stepMs <= now && steps < 600) {
      simTime += stepMs;
      sim.step(simTime);
      steps += 1;
    }
    if (steps === 0) {
      simTime = Math.max(simTime, now);
      sim.step(simTime);
    }
    const frame = ctxFrame();
    const malformed = pendingMalformed.map(malformedFrame);
    pendingMalformed = [];
    for (const c of clients) {
      if (c.silent || c.ws.readyState !== c.ws.OPEN) continue;
      if (c.ctxs) {
        for (const bad of malformed) {
          c.ws.send(bad);
          framesSent += 1;
        }
        c.ws.send(frame);
        framesSent += 1;
      }
      for (const coin of c.books) {
        const b = bookBody(coin);
        if (b) c.ws.send(JSON.stringify({ channel: 'l2Book', data: b }));
      }
      for (const u of c.userStates) c.ws.send(userStatesFrame(u));
    }
  }

  /** Answers one info request; `undefined` result = unknown dex (HTTP 500, empty body). */
  function info(body: Record<string, unknown>): { status: number; body: unknown } {
    const type = body.type;
    const userAnswer = userHistory.answer(body);
    if (userAnswer) return userAnswer;
    const dexParam = body.dex;
    if (dexParam === null)
      return { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
    const dex = typeof dexParam === 'string' ? dexParam : '';
    const needDex = () => (sim.hasDex(dex) ? null : { status: 500, body: undefined });
    // Account modes: userAbstraction, spotClearinghouseState, unified users' clearinghouseState.
    const byUser = sim.hasDex(dex) && answerUserInfo(body, userContext());
    if (byUser) return byUser;
    const discovered = answerAccountDiscovery(body, {
      subAccounts: discovery.subAccounts,
      vaultEquities: discovery.vaultEquities,
      clearinghouseStateOf: (user) => info({ type: 'clearinghouseState', user, dex: '' }).body,
    });
    if (discovered) return discovered;
    switch (type) {
      case 'perpDexs':
        return { status: 200, body: sim.perpDexs() };
      case 'meta':
        return needDex() ?? { status: 200, body: sim.metas.get(dex) };
      case 'metaAndAssetCtxs':
        return (
          needDex() ?? {
            status: 200,
            body: [sim.metas.get(dex), sim.marketsOf(dex).map((m) => m.ctx)],
          }
        );
      case 'allMids': {
        const bad = needDex();
        if (bad) return bad;
        const mids: Record<string, string> = {};
        for (const m of sim.marketsOf(dex)) mids[m.coin] = m.ctx.midPx ?? m.ctx.markPx;
        return { status: 200, body: mids };
      }
      case 'perpDexLimits': {
        if (dex === '')
          return { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
        const bad = needDex();
        if (bad) return bad;
        const caps = sim
          .marketsOf(dex)
          .filter((m) => m.oiCapUsd !== null)
          .map((m) => [m.coin, `${m.oiCapUsd?.toFixed(1)}`] as [string, string]);
        const rec = fixtures.perpDexLimitsXyz;
        return {
          status: 200,
          body: {
            totalOiCap:
              dex === 'xyz'
                ? rec.totalOiCap
                : `${caps.reduce((s, [, c]) => s + Number(c), 0).toFixed(1)}`,
            oiSzCapPerPerp: rec.oiSzCapPerPerp,
            maxTransferNtl: rec.maxTransferNtl,
            coinToOiCap: caps,
          },
        };
      }
      case 'perpDexStatus':
        return needDex() ?? { status: 200, body: { totalNetDeposit: '44452174.1128069982' } };
      case 'perpsAtOpenInterestCap':
        return (
          needDex() ?? {
            status: 200,
            body: sim
              .marketsOf(dex)
              .filter((m) => m.atCap)
              .map((m) => m.coin),
          }
        );
      case 'l2Book': {
        const coin = typeof body.coin === 'string' ? body.coin : '';
        return { status: 200, body: bookBody(coin) };
      }
      case 'clearinghouseState': {
        const bad = needDex();
        if (bad) return bad;
        const user = typeof body.user === 'string' ? body.user.toLowerCase() : '';
        if (!/^0x[0-9a-f]{40}$/.test(user)) {
          return { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
        }
        const account = accounts.get(`${user}|${dex}`) ?? { crossRawUsd: '0.0', positions: [] };
        return {
          status: 200,
          body: buildClearinghouseState({
            account,
            markOf: accountMarkOf,
            maxLeverageOf: (c) => sim.markets.get(c)?.meta.maxLeverage ?? null,
            timeMs: clock.now(),
          }),
        };
      }
      default:
        return { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
    }
  }

  function userContext() {
    return {
      users,
      accounts,
      collateralOf: (d: string) => sim.metas.get(d)?.collateralToken ?? 0,
      markOf: accountMarkOf,
      maxLeverageOf: (c: string) => sim.markets.get(c)?.meta.maxLeverage ?? null,
      timeMs: clock.now(),
    };
  }

  function explorer(body: Record<string, unknown>): { status: number; body: unknown } {
    if (body.type !== 'userDetails' || typeof body.user !== 'string') {
      return { status: 200, body: { type: 'error', message: 'unsupported explorer request' } };
    }
    return {
      status: 200,
      body: { type: 'userDetails', txs: sim.explorer.get(body.user.toLowerCase()) ?? [] },
    };
  }

  function send(res: ServerResponse, status: number, body: unknown) {
    if (body === undefined) {
      res.writeHead(status, { 'content-length': '0' });
      res.end();
      return;
    }
    // Error bodies are plain strings; a 200 string (`userAbstraction`) is JSON like any answer.
    if (typeof body === 'string' && status !== 200) {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': json });
    res.end(text);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || (path !== '/info' && path !== '/explorer')) {
      send(res, 404, 'Not Found');
      return;
    }
    readBody(req)
      .then((text) => {
        let body: Record<string, unknown>;
        try {
          const parsed: unknown = JSON.parse(text);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
            throw new Error();
          body = parsed as Record<string, unknown>;
        } catch {
          record(path === '/info' ? 'info' : 'explorer', 'invalid', 422);
          send(res, 422, 'Failed to deserialize the JSON body into the target type');
          return;
        }
        const answer = () => {
          let out: { status: number; body: unknown };
          try {
            out = path === '/info' ? info(body) : explorer(body);
          } catch (error) {
            // A handler that throws is a bug or a scenario set up wrong: say so (500 + the reason),
            // never an answer a client could mistake for its own bad request.
            out = { status: 500, body: `Replay handler failed: ${(error as Error).message}` };
          }
          record(path === '/info' ? 'info' : 'explorer', String(body.type), out.status);
          send(res, out.status, out.body);
        };
        const fault = faults.play({ type: String(body.type), res, answer });
        if (fault?.played === 'status')
          record(path === '/info' ? 'info' : 'explorer', String(body.type), fault.status);
        else if (!fault) answer();
      })
      .catch((error: Error) => send(res, 500, `Replay server failed: ${error.message}`));
  });

  function record(endpoint: ReplayRequestRecord['endpoint'], type: string, status: number) {
    const weight = endpoint === 'info' || endpoint === 'explorer' ? infoRequestWeight(type) : 0;
    requests.push({ timeMs: clock.now(), realMs: Date.now(), endpoint, type, status, weight });
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] !== '/ws') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    connectionsAccepted += 1;
    const client: Client = {
      ws,
      silent: false,
      ctxs: false,
      books: new Set(),
      userStates: new Set(),
    };
    clients.add(client);
    ws.on('close', () => clients.delete(client));
    ws.on('error', () => clients.delete(client));
    ws.on('message', (raw) => {
      if (client.silent) return;
      let msg: { method?: unknown; subscription?: unknown; id?: unknown; request?: unknown };
      try {
        const parsed: unknown = JSON.parse(String(raw));
        // `null`, numbers, strings and arrays are valid JSON but no request: same answer as bad JSON
        // (and `null.method` would throw out of this listener and kill the process).
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error();
        msg = parsed as typeof msg;
      } catch {
        ws.send(
          JSON.stringify({
            channel: 'error',
            data: `Error parsing JSON into valid websocket request: ${String(raw)}`,
          }),
        );
        return;
      }
      if (msg.method === 'ping') {
        ws.send('{"channel":"pong"}');
        return;
      }
      if (msg.method === 'subscribe' || msg.method === 'unsubscribe') {
        const sub = msg.subscription as
          | { type?: unknown; coin?: unknown; user?: unknown }
          | undefined;
        record('ws-subscribe', String(sub?.type), 200);
        ws.send(
          JSON.stringify({
            channel: 'subscriptionResponse',
            data: { method: msg.method, subscription: sub },
          }),
        );
        const on = msg.method === 'subscribe';
        if (sub?.type === 'allDexsAssetCtxs') {
          client.ctxs = on;
          if (on) {
            ws.send(ctxFrame());
            framesSent += 1;
          }
        } else if (sub?.type === 'l2Book' && typeof sub.coin === 'string') {
          if (on) {
            client.books.add(sub.coin);
            const b = bookBody(sub.coin);
            if (b) ws.send(JSON.stringify({ channel: 'l2Book', data: b }));
          } else client.books.delete(sub.coin);
        } else if (sub?.type === 'allDexsClearinghouseState' && typeof sub.user === 'string') {
          const user = sub.user.toLowerCase();
          if (on) {
            client.userStates.add(user);
            ws.send(userStatesFrame(user));
          } else client.userStates.delete(user);
        }
        return;
      }
      if (msg.method === 'post' && typeof msg.id === 'number') {
        const request = msg.request as { type?: unknown; payload?: unknown } | undefined;
        const payload = (request?.payload ?? {}) as Record<string, unknown>;
        let out: { status: number; body: unknown };
        try {
          out = info(payload);
        } catch (error) {
          // As on HTTP (500 + the reason); a throw here would also escape the socket listener.
          out = { status: 500, body: `Replay handler failed: ${(error as Error).message}` };
        }
        record('ws-post', String(payload.type), out.status);
        const response =
          out.status === 200
            ? { type: 'info', payload: { type: payload.type, data: out.body } }
            : {
                type: 'error',
                payload: typeof out.body === 'string' ? out.body : `status ${out.status}`,
              };
        ws.send(JSON.stringify({ channel: 'post', data: { id: msg.id, response } }));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(params.port ?? 0, params.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = params.host ?? '127.0.0.1';
  const url = `http://${host}:${addr.port}`;

  const timer = tickMs === null ? null : setInterval(tick, Math.max(5, tickMs / clock.scale));
  timer?.unref?.();

  const replay: HyperliquidReplay = {
    url,
    wsUrl: `ws://${host}:${addr.port}/ws`,
    clock,
    apply,
    play(s, options) {
      scenario = { s, startMs: clock.now(), next: 0, loop: options?.loop ?? false };
      runScenario(clock.now());
    },
    setMark(coin, px) {
      apply({ type: 'setPrice', coin, px });
    },
    setAccount(user, dex, account) {
      accounts.set(`${user.toLowerCase()}|${dex}`, account);
      pushUserStates(user);
    },
    setUser(user, value) {
      users.set(user.toLowerCase(), value);
      pushUserStates(user);
    },
    holdAccountMark(coin, px) {
      market(coin);
      if (px === null) heldAccountMarks.delete(coin);
      else heldAccountMarks.set(coin, px);
      pushUserStates(null);
    },
    users: userHistory,
    tick,
    setInfoFault: (fault) => faults.set(fault),
    ctxOf: (coin) => sim.markets.get(coin)?.ctx,
    get requests() {
      return requests;
    },
    get framesSent() {
      return framesSent;
    },
    get openSockets() {
      return clients.size;
    },
    get connectionsAccepted() {
      return connectionsAccepted;
    },
    async stop() {
      if (timer) clearInterval(timer);
      faults.set(null);
      faults.releaseAll();
      for (const c of clients) c.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  if (params.scenario) replay.play(params.scenario, { loop: params.loop ?? false });
  return replay;
}
