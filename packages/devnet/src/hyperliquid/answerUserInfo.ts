import { buildClearinghouseState, type ReplayAccount } from './clearinghouseState.js';
import { formatHlDecimal } from './formatHl.js';

/** `userAbstraction` answers (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/account-abstraction-modes). */
export type ReplayAbstraction =
  | 'default'
  | 'disabled'
  | 'dexAbstraction'
  | 'unifiedAccount'
  | 'portfolioMargin';

/** A spot token balance before the perps' equity: what the user deposited or realized. */
export type ReplaySpotBalance = {
  coin: string;
  /** Spot token index (0 = USDC); dexes whose `meta.collateralToken` is this token draw on it. */
  token: number;
  /** Cash in the token (decimal string), excluding open positions. */
  cash: string;
};

/** A user's account mode and spot balances, served by `userAbstraction` / `spotClearinghouseState`. */
export type ReplayUser = {
  abstraction: ReplayAbstraction;
  spot?: readonly ReplaySpotBalance[];
};

/** What {@link answerUserInfo} needs from the running replay server. */
export type UserInfoContext = {
  users: ReadonlyMap<string, ReplayUser>;
  /** `user|dex` → account (as `setAccount` registers them). */
  accounts: ReadonlyMap<string, ReplayAccount>;
  /** `meta.collateralToken` of a served dex. */
  collateralOf: (dex: string) => number;
  markOf: (coin: string) => number | null;
  maxLeverageOf: (coin: string) => number | null;
  timeMs: number;
};

const usd = (x: number) => formatHlDecimal(x, 6);
const isUnified = (u: ReplayUser | undefined) =>
  u?.abstraction === 'unifiedAccount' || u?.abstraction === 'portfolioMargin';

/**
 * Answers the account-mode info requests: `userAbstraction` (`"default"` for users without a mode),
 * `spotClearinghouseState` in the recorded wire shape (`{balances:[{coin, token, total, hold,
 * entryNtl}], tokenToAvailableAfterMaintenance}`), and `clearinghouseState` of users in unified or
 * portfolio-margin mode. Returns `undefined` for every other request (the caller answers it).
 *
 * Unified model (docs "Unified Account Ratio"): a token's spot `total` is its cash plus the equity of
 * the perps collateralized by it (each such dex's `marginSummary.accountValue`, isolated margin
 * included); a cross position's `liquidationPx` is the docs' formula `mark − side·available/|q|/(1 −
 * side·mmr)` with `available = total − Σ isolated marginUsed − Σ cross maintenance` over every dex using
 * the token — computed here in float64, independently of `@perpscope/math`.
 */
export function answerUserInfo(
  body: Record<string, unknown>,
  ctx: UserInfoContext,
): { status: number; body: unknown } | undefined {
  const type = body.type;
  if (
    type !== 'userAbstraction' &&
    type !== 'spotClearinghouseState' &&
    type !== 'clearinghouseState'
  )
    return undefined;
  const user = typeof body.user === 'string' ? body.user.toLowerCase() : '';
  const mode = ctx.users.get(user);
  if (type === 'clearinghouseState' && !isUnified(mode)) return undefined;
  if (!/^0x[0-9a-f]{40}$/.test(user))
    return { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
  if (type === 'userAbstraction') return { status: 200, body: mode?.abstraction ?? 'default' };

  const pools = unifiedPools(user, mode, ctx);
  if (type === 'spotClearinghouseState') {
    return {
      status: 200,
      body: {
        balances: [...pools.values()].map((p) => ({
          coin: p.coin,
          token: p.token,
          total: usd(p.total),
          hold: usd(Math.min(p.total, p.held)),
          entryNtl: '0.0',
        })),
        ...(isUnified(mode)
          ? {
              tokenToAvailableAfterMaintenance: [...pools.values()].map((p) => [
                p.token,
                usd(Math.max(0, p.total - p.isolated - p.crossMm)),
              ]),
            }
          : {}),
      },
    };
  }
  const dex = typeof body.dex === 'string' ? body.dex : '';
  const pool = pools.get(ctx.collateralOf(dex));
  return {
    status: 200,
    body: buildClearinghouseState({
      account: ctx.accounts.get(`${user}|${dex}`) ?? { crossRawUsd: '0.0', positions: [] },
      markOf: ctx.markOf,
      maxLeverageOf: ctx.maxLeverageOf,
      timeMs: ctx.timeMs,
      ...(pool
        ? { crossCollateral: { available: pool.total - pool.isolated - pool.crossMm } }
        : {}),
    }),
  };
}

type Pool = {
  coin: string;
  token: number;
  total: number;
  held: number;
  isolated: number;
  crossMm: number;
};

/** Per collateral token: spot total (cash + perp equity under unified modes), isolated margin, cross MM. */
function unifiedPools(
  user: string,
  mode: ReplayUser | undefined,
  ctx: UserInfoContext,
): Map<number, Pool> {
  const pools = new Map<number, Pool>();
  for (const b of mode?.spot ?? []) {
    pools.set(b.token, {
      coin: b.coin,
      token: b.token,
      total: Number(b.cash),
      held: 0,
      isolated: 0,
      crossMm: 0,
    });
  }
  if (!isUnified(mode)) return pools;
  for (const [key, account] of ctx.accounts) {
    const [u, dex = ''] = key.split('|');
    if (u !== user) continue;
    const state = buildClearinghouseState({
      account,
      markOf: ctx.markOf,
      maxLeverageOf: ctx.maxLeverageOf,
      timeMs: ctx.timeMs,
    });
    const token = ctx.collateralOf(dex);
    const pool = pools.get(token);
    if (!pool)
      throw new Error(`Hyperliquid replay: ${user} has no spot balance for token ${token}`);
    pool.total += Number(state.marginSummary.accountValue);
    pool.held += Number(state.marginSummary.totalMarginUsed);
    pool.crossMm += Number(state.crossMaintenanceMarginUsed);
    for (const { position } of state.assetPositions) {
      if (position.leverage.type === 'isolated') pool.isolated += Number(position.marginUsed);
    }
  }
  return pools;
}
