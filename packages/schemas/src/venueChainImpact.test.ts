import { describe, expect, it } from 'vitest';
import {
  chainDependency,
  VENUE_CHAIN_IMPACT,
  VENUE_IDS,
  VenueChainDependency,
} from './venueChainImpact.js';

// One case per entry, from research/venues.md §6: kind and the claim its guidance must (not) make.
const EXPECTED = [
  [
    'hyperliquid',
    'arbitrum-one',
    'bridge',
    /Arbitrum bridge are stalled; Hyperliquid trading, prices and liquidations are unaffected/,
  ],
  ['hyperliquid', 'hyperevm', 'bridge', /HyperEVM and Hyperliquid are stalled; .*unaffected/],
  [
    'aevo',
    'aevo',
    'settlement',
    /settlement, deposits and withdrawals are stalled; whether orders still match is not documented/,
  ],
  [
    'gmx',
    'arbitrum-one',
    'prices',
    /^GMX prices, orders and liquidations on Arbitrum are frozen; .*at least 2× normal/,
  ],
  ['gtrade', 'arbitrum-one', 'prices', /^gTrade .* on Arbitrum are frozen/],
  ['gtrade', 'base', 'prices', /^gTrade .* on Base are frozen/],
  ['avantis', 'base', 'prices', /^Avantis .* on Base are frozen/],
  ['synthetix', 'base', 'prices', /^Synthetix .* on Base are frozen/],
] as const;

describe('VENUE_CHAIN_IMPACT', () => {
  it.each(EXPECTED)(
    '%s depends on %s for %s, with its own guidance',
    (venue, chain, kind, text) => {
      const d = chainDependency({ venue, chain });
      expect(d?.kind).toBe(kind);
      expect(d?.guidance).toMatch(text);
      expect(VenueChainDependency.parse(d)).toEqual(d);
    },
  );

  it('lists exactly the entries above (a new entry needs its own case)', () => {
    const all = VENUE_IDS.flatMap((v) => VENUE_CHAIN_IMPACT[v].map((d) => [v, d.chain, d.kind]));
    expect(all).toEqual(EXPECTED.map(([v, c, k]) => [v, c, k]));
  });

  it('never tells a Hyperliquid or Aevo trader that prices are frozen', () => {
    for (const v of ['hyperliquid', 'aevo'] as const)
      for (const d of VENUE_CHAIN_IMPACT[v]) expect(d.guidance).not.toMatch(/frozen/);
  });

  it('knows no dependency of a venue on a chain it does not use, nor of an unknown venue', () => {
    expect(chainDependency({ venue: 'hyperliquid', chain: 'base' })).toBeNull();
    expect(chainDependency({ venue: 'nowhere', chain: 'arbitrum-one' })).toBeNull();
  });

  it('takes a table as a parameter', () => {
    const impacts = { hyperliquid: [{ chain: 'x', kind: 'prices', guidance: 'g' }] } as const;
    expect(chainDependency({ venue: 'hyperliquid', chain: 'x', impacts })?.kind).toBe('prices');
    expect(chainDependency({ venue: 'hyperliquid', chain: 'arbitrum-one', impacts })).toBeNull();
  });
});
