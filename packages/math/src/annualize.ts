/**
 * Annualized percentage rate of a funding rate paid every `intervalHours`.
 *
 * `APR = ratePerInterval × 8760 / intervalHours` (SPEC §2.1). Never assumes 8 h.
 *
 * @example
 * annualizeRate({ rate: 0.0000125, intervalHours: 1 }) // 0.1095 (10.95 %/yr)
 */
export function annualizeRate(params: { rate: number; intervalHours: number }): number {
  const { rate, intervalHours } = params;
  if (!(intervalHours > 0)) throw new RangeError(`intervalHours must be > 0, got ${intervalHours}`);
  return (rate * 8760) / intervalHours;
}
