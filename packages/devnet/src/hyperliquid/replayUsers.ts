import type { ReplayAccount } from './clearinghouseState.js';
import { formatHlDecimal } from './formatHl.js';

/** A fill as `userFills`/`userFillsByTime` return it (the SDK's `UserFillsResponse` element). */
export type ReplayFill = {
  coin: string;
  px: string;
  sz: string;
  side: 'B' | 'A';
  time: number;
  startPosition: string;
  dir: string;
  closedPnl: string;
  hash: `0x${string}`;
  oid: number;
  crossed: boolean;
  fee: string;
  tid: number;
  feeToken: string;
  twapId: number | null;
  /** Present on liquidation fills (`@nktkas/hyperliquid` 0.33 types it so). */
  liquidation?: { liquidatedUser?: `0x${string}`; markPx: string; method: 'market' | 'backstop' };
};

/** Parameters of {@link createReplayUsers}. */
export type CreateReplayUsersParameters = {
  now: () => number;
  /** Current mark of a coin, `null` when unknown. */
  markOf: (coin: string) => number | null;
  getAccount: (user: string, dex: string) => ReplayAccount | undefined;
  setAccount: (user: string, dex: string, account: ReplayAccount) => void;
};

const bad = { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
const intervalMs: Record<string, number> = {
  '1m': 60_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
};
/** Per-interval log-return scale of the synthetic candles (~1 % per step). */
const volatility = 0.01;
const isUser = (u: unknown): u is string => typeof u === 'string' && /^0x[0-9a-fA-F]{40}$/.test(u);

/**
 * The replay server's per-user history beyond `clearinghouseState`: fills (`userFills`,
 * `userFillsByTime`, with liquidation fills made by {@link ReplayUsers.liquidate}) and synthetic
 * `candleSnapshot` answers. Account modes and spot balances are `answerUserInfo.ts`
 * (`replay.setUser`); injected info faults are `infoFaults.ts` (`replay.setInfoFault`).
 */
export function createReplayUsers(p: CreateReplayUsersParameters) {
  const fills = new Map<string, ReplayFill[]>();
  let nextTid = 1_000_000;

  function fillsOf(user: string): ReplayFill[] {
    let list = fills.get(user);
    if (!list) {
      list = [];
      fills.set(user, list);
    }
    return list;
  }

  /**
   * `candleSnapshot` (hourly and other intervals): synthetic candles ending at the current mark, a
   * random walk of `volatility` per interval seeded by the coin (the simulation keeps no history).
   */
  function candles(req: unknown): { status: number; body: unknown } {
    const r = (req ?? {}) as {
      coin?: unknown;
      interval?: unknown;
      startTime?: unknown;
      endTime?: unknown;
    };
    const stepMs = intervalMs[String(r.interval)];
    const mark = typeof r.coin === 'string' ? p.markOf(r.coin) : null;
    if (!stepMs || mark === null || typeof r.startTime !== 'number') return bad;
    const end = Math.min(typeof r.endTime === 'number' ? r.endTime : p.now(), p.now());
    const first = Math.ceil(r.startTime / stepMs) * stepMs;
    const n = Math.max(0, Math.min(5000, Math.floor((end - first) / stepMs) + 1));
    let seed = [...String(r.coin)].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      return seed / 2 ** 32 - 0.5;
    };
    const closes: number[] = [mark];
    for (let i = 1; i < n; i++)
      closes.unshift((closes[0] as number) * Math.exp(-volatility * 2 * rand()));
    return {
      status: 200,
      body: closes.map((c, i) => {
        const t = first + i * stepMs;
        const px = formatHlDecimal(c, 6);
        return {
          t,
          T: t + stepMs - 1,
          s: r.coin,
          i: r.interval,
          o: px,
          c: px,
          h: px,
          l: px,
          v: '0.0',
          n: 0,
        };
      }),
    };
  }

  return {
    /** Answers the user requests this module serves, `null` for any other type. */
    answer(body: Record<string, unknown>): { status: number; body: unknown } | null {
      const type = body.type;
      if (type === 'candleSnapshot') return candles(body.req);
      if (type !== 'userFills' && type !== 'userFillsByTime') return null;
      if (!isUser(body.user)) return bad;
      const user = body.user.toLowerCase();
      switch (type) {
        case 'userFills':
          return { status: 200, body: [...fillsOf(user)].reverse().slice(0, 2000) };
        default: {
          const start = Number(body.startTime);
          if (!Number.isSafeInteger(start) || start < 0) return bad;
          const end = body.endTime == null ? Number.POSITIVE_INFINITY : Number(body.endTime);
          return {
            status: 200,
            body: fillsOf(user)
              .filter((f) => f.time >= start && f.time <= end)
              .slice(0, 2000),
          };
        }
      }
    },
    addFill(user: string, fill: ReplayFill) {
      fillsOf(user.toLowerCase()).push(fill);
    },
    /**
     * Liquidates `user`'s whole position in `coin` on `dex` at the current mark: the position leaves
     * `clearinghouseState` and a liquidation fill (market method, `liquidatedUser` = the user)
     * joins the user's fills. Returns the fill.
     *
     * @throws when the user holds no such position or the coin has no mark.
     */
    liquidate(user: string, dex: string, coin: string): ReplayFill {
      const u = user.toLowerCase();
      const account = p.getAccount(u, dex);
      const pos = account?.positions.find((x) => x.coin === coin);
      const mark = p.markOf(coin);
      if (!account || !pos || mark === null)
        throw new Error(`Hyperliquid replay: ${coin} on dex "${dex}" has no position of ${u}`);
      p.setAccount(u, dex, { ...account, positions: account.positions.filter((x) => x !== pos) });
      const szi = Number(pos.szi);
      const px = formatHlDecimal(mark, 6);
      const tid = nextTid++;
      const fill: ReplayFill = {
        coin,
        px,
        sz: pos.szi.replace(/^-/, ''),
        side: szi > 0 ? 'A' : 'B',
        time: p.now(),
        startPosition: pos.szi,
        dir: szi > 0 ? 'Close Long' : 'Close Short',
        closedPnl: formatHlDecimal(szi * (mark - Number(pos.entryPx)), 6),
        hash: `0x${tid.toString(16).padStart(64, '0')}`,
        oid: tid,
        crossed: true,
        fee: '0.0',
        tid,
        feeToken: 'USDC',
        twapId: null,
        liquidation: { liquidatedUser: u as `0x${string}`, markPx: px, method: 'market' },
      };
      fillsOf(u).push(fill);
      return fill;
    },
  };
}

/** The replay server's user state and controls (see {@link createReplayUsers}). */
export type ReplayUsers = ReturnType<typeof createReplayUsers>;
