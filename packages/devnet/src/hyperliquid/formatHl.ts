/**
 * Formats a price the way HL does: at most 5 significant figures, at most `6 − szDecimals`
 * decimals, integers with a trailing `.0` ("24657.0").
 */
export function formatHlPx(px: number, szDecimals = 0): string {
  if (!Number.isFinite(px)) throw new RangeError(`formatHlPx: not a finite price: ${px}`);
  const maxDecimals = Math.max(0, 6 - szDecimals);
  let s = Number(px.toPrecision(5)).toFixed(maxDecimals);
  s = trimZeros(s);
  return s;
}

/** Formats a decimal with at most `decimals` places, trailing zeros trimmed, integers as `x.0`. */
export function formatHlDecimal(x: number, decimals: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`formatHlDecimal: not a finite number: ${x}`);
  const s = trimZeros(x.toFixed(decimals));
  return s === '-0.0' ? '0.0' : s;
}

function trimZeros(s: string): string {
  if (!s.includes('.')) return `${s}.0`;
  const t = s.replace(/0+$/, '');
  return t.endsWith('.') ? `${t}0` : t;
}
