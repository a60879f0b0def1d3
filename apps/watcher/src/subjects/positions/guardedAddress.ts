import { createHash } from 'node:crypto';

/**
 * Hash of an address that stands in for it wherever it could leak (database keys, events, metrics
 * labels, logs): the first 16 hex digits of sha256 of the lowercase address.
 *
 * @example addressHash('0xAbC…') // 'c0ffee…' (16 hex digits)
 */
export function addressHash(address: string): string {
  return createHash('sha256').update(address.toLowerCase()).digest('hex').slice(0, 16);
}

/**
 * The address as it may be shown or logged: `0x1234…abcd`. Addresses are personal data (SPEC §3.4);
 * the full one goes to logs only at level `debug`.
 */
export function maskAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
