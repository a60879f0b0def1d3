import { fail, finiteNumber, parseNonNegative, unitFractionDecimal } from '../internal/args.js';
import { formatDecimal, mul } from '../internal/decimal.js';

/**
 * A cell (or any candidate) competing for capital.
 *
 * @example
 * const candidate: AllocationCandidate = { id: 'ETH@08:00', score: 0.00015 }
 */
export type AllocationCandidate = {
  /** Caller's identifier, e.g. `'ETH@2026-06-01T08:00Z'`. */
  readonly id: string;
  /** Score (e.g. from `fundingCellScore`); only candidates with a score > 0 receive capital. */
  readonly score: number;
};

/** Parameters of {@link allocateCapital}. */
export type AllocateCapitalParameters = {
  /** Capital to distribute, decimal string ≥ 0 (any currency unit). */
  readonly capital: string;
  readonly candidates: readonly AllocationCandidate[];
  /** Per-cell cap as a fraction of capital, decimal string in (0, 1]. Default `'0.05'` (note 3). */
  readonly maxCellFraction?: string;
};

/** One funded candidate. */
export type Allocation = {
  readonly id: string;
  readonly score: number;
  /** Capital given, decimal string (rounded down: never more than the cap or the capital). */
  readonly amount: string;
};

/** Result of {@link allocateCapital}. */
export type CapitalAllocation = {
  /** Funded candidates, best score first. */
  readonly allocations: readonly Allocation[];
  /** Sum of the amounts, ≤ capital. */
  readonly allocated: string;
  /** `capital − allocated`, ≥ 0. */
  readonly unallocated: string;
};

/**
 * Allocates capital to the top-scored cells of a funding surface with a per-cell cap (note 3:
 * 5 % of capital per cell by default): best score first, each cell gets the full cap until the
 * capital runs out (the last funded cell gets the remainder). Cells with a score ≤ 0 get nothing.
 * Exact decimal arithmetic; the cap is rounded down, so no cell exceeds it and the total never
 * exceeds the capital. Ties keep the input order. To fund at most N cells, pass the N best.
 *
 * @throws {InvalidDecimalError} `capital` or `maxCellFraction` is not a decimal string.
 * @throws {InvalidParameterError} negative capital, cap outside (0, 1], a non-finite score or a
 *   duplicate id.
 * @example
 * allocateCapital({
 *   capital: '1000000',
 *   candidates: [{ id: 'ETH', score: 0.0002 }, { id: 'BTC', score: 0.0001 }, { id: 'DOGE', score: -0.0001 }],
 * })
 * // { allocations: [{ id: 'ETH', score: 0.0002, amount: '50000' }, { id: 'BTC', score: 0.0001, amount: '50000' }],
 * //   allocated: '100000', unallocated: '900000' }
 */
export function allocateCapital(params: AllocateCapitalParameters): CapitalAllocation {
  const { candidates } = params;
  const capital = parseNonNegative(params.capital, 'capital');
  const cap = mul(
    capital,
    unitFractionDecimal('maxCellFraction', params.maxCellFraction ?? '0.05', '(0, 1]'),
    'floor',
  );
  const seen = new Set<string>();
  candidates.forEach((c, i) => {
    finiteNumber(`candidates[${i}].score`, c.score);
    if (seen.has(c.id)) fail(`candidates[${i}].id`, 'unique', c.id);
    seen.add(c.id);
  });
  const ranked = candidates.filter((c) => c.score > 0).sort((a, b) => b.score - a.score); // Array.prototype.sort is stable

  // Best score first, each cell takes min(remaining, cap) until the capital runs out.
  let remaining = capital;
  const allocations: Allocation[] = [];
  for (const { id, score } of ranked) {
    // biome-ignore lint/complexity/useMathMinMax: bigints, Math.min does not take them
    const amount = remaining < cap ? remaining : cap;
    remaining -= amount;
    if (amount > 0n) allocations.push({ id, score, amount: formatDecimal(amount) });
  }
  return {
    allocations,
    allocated: formatDecimal(capital - remaining),
    unallocated: formatDecimal(remaining),
  };
}
