import { z } from 'zod';

/** The grammar of {@link HlDecimal}: an optional `-`, digits, an optional fraction; no exponent. */
export const HL_DECIMAL_RE = /^-?\d+(\.\d+)?$/;

/**
 * A finite decimal string as Hyperliquid sends prices and sizes (`"24657.0"`, `"-0.0000405564"`).
 * No exponents, no `NaN`, no whitespace: the same grammar as `@perpscope/math`'s `parseDecimal`, so
 * whatever passes here can be computed with.
 */
export const HlDecimal = z.string().max(64).regex(HL_DECIMAL_RE, 'expected a decimal string');

/** `true` for exactly the values {@link HlDecimal} accepts (hot paths check with this, not zod). */
export const isHlDecimal = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= 64 && HL_DECIMAL_RE.test(v);

/** An EVM address (any case). */
export const HlAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x address');
