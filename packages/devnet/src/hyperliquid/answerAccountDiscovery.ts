/** A sub-account of a master address, as `subAccounts` lists it. */
export type ReplaySubAccount = {
  name: string;
  /** The sub-account's own address (its positions are served by `clearinghouseState` for it). */
  subAccountUser: string;
};

/** A user's deposit in a vault, as `userVaultEquities` lists it. */
export type ReplayVaultEquity = {
  vaultAddress: string;
  /** USDC, decimal string. */
  equity: string;
  /** Ms since the epoch the deposit is locked until, when there is a lock-up. */
  lockedUntilTimestamp?: number;
};

/** What {@link answerAccountDiscovery} needs from the replay server. */
export type AccountDiscoveryContext = {
  /** Sub-accounts by lower-case master address. */
  subAccounts: ReadonlyMap<string, readonly ReplaySubAccount[]>;
  /** Vault equities by lower-case user address. */
  vaultEquities: ReadonlyMap<string, readonly ReplayVaultEquity[]>;
  /** The main-dex `clearinghouseState` body the server answers for `user`. */
  clearinghouseStateOf(user: string): unknown;
};

const BAD_BODY = { status: 422, body: 'Failed to deserialize the JSON body into the target type' };

/**
 * Answers the account-discovery info requests in the shapes the public API documents (and
 * `@nktkas/hyperliquid`'s response schemas check): `subAccounts` → `null` for a user without any,
 * else `[{name, subAccountUser, master, clearinghouseState, spotState}]`; `userVaultEquities` →
 * `[{vaultAddress, equity, lockedUntilTimestamp?}]` (`[]` without deposits). No recorded response
 * exists in the shared fixtures: the shapes follow the documented schemas. Returns `undefined`
 * for every other request (the caller answers it).
 */
export function answerAccountDiscovery(
  body: Record<string, unknown>,
  ctx: AccountDiscoveryContext,
): { status: number; body: unknown } | undefined {
  const type = body.type;
  if (type !== 'subAccounts' && type !== 'userVaultEquities') return undefined;
  const user = typeof body.user === 'string' ? body.user.toLowerCase() : '';
  if (!/^0x[0-9a-f]{40}$/.test(user)) return BAD_BODY;
  if (type === 'userVaultEquities')
    return { status: 200, body: ctx.vaultEquities.get(user)?.map((v) => ({ ...v })) ?? [] };
  const subs = ctx.subAccounts.get(user);
  if (!subs || subs.length === 0) return { status: 200, body: null };
  return {
    status: 200,
    body: subs.map((s) => ({
      name: s.name,
      subAccountUser: s.subAccountUser.toLowerCase(),
      master: user,
      clearinghouseState: ctx.clearinghouseStateOf(s.subAccountUser.toLowerCase()),
      spotState: { balances: [] },
    })),
  };
}
