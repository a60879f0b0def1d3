import { z } from 'zod';
import { HlAddress, HlDecimal } from './HlDecimal.js';

/**
 * Zod schemas of the account-discovery answers (the extension's options page offers a watched
 * address's sub-accounts and vault deposits). No recorded answers exist; shapes from the SDK's
 * response types. A module of their own so the options page bundles only these.
 *
 * @module
 */

/**
 * `subAccounts`: a master address's sub-accounts, `null` when it has none. Fields read: the name and
 * the sub-account's address (the SDK's `SubAccountsResponse` also carries each one's states).
 */
export const HlSubAccounts = z
  .array(z.object({ name: z.string().max(200), subAccountUser: HlAddress }))
  .max(1_000)
  .nullable();
export type HlSubAccounts = z.infer<typeof HlSubAccounts>;

/** `userVaultEquities`: a user's vault deposits (the SDK's `UserVaultEquitiesResponse`). */
export const HlUserVaultEquities = z
  .array(z.object({ vaultAddress: HlAddress, equity: HlDecimal }))
  .max(1_000);
export type HlUserVaultEquities = z.infer<typeof HlUserVaultEquities>;
