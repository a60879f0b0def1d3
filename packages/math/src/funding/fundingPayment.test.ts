import { describe, expect, it } from 'vitest';
import vectors from '../../test/vectors/hyperliquid/testvectors.funding-premium.json' with {
  type: 'json',
};
import { parseDecimal } from '../internal/decimal.js';
import { fundingPayment } from './fundingPayment.js';

/** Same decimal value ('0.0' equals '0'). */
const _same = (a: string | null, b: string) => a !== null && parseDecimal(a) === parseDecimal(b);

describe('funding payment (testvectors.funding-premium.json "payment")', () => {
  it.each(vectors.payment.map((p) => [p.case, p] as const))('%s', (_, p) => {
    const amount = fundingPayment({
      signedSize: p.szi,
      price: p.impliedOraclePx,
      rate: p.fundingRate,
    });
    // Hyperliquid books 6 decimals; the implied oracle price was itself rounded, so allow 1e-6.
    expect(Math.abs(Number(amount) - Number(p.usdc))).toBeLessThanOrEqual(1e-6);
  });
  it('C12: 10 BTC long at oracle 10,000 pays 118.75 at 0.11875 %', () => {
    expect(fundingPayment({ signedSize: '10', price: '10000', rate: '0.0011875' })).toBe('-118.75');
  });
});
