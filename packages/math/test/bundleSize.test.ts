// Bundle budgets (SPEC §6), measured with esbuild (minified, tree-shaken ESM) + gzip level 9 by
// scripts/bundleSize.mjs: the whole package (every export of every entry point) ≤ 12,000 B and
// `liquidationPrice` with its margin table alone ≤ 3,000 B.
import { describe, expect, it } from 'vitest';
// @ts-expect-error — plain .mjs helper shared with `pnpm size`, no type declarations.
import { budgets, measure, specBudgets } from '../scripts/bundleSize.mjs';

type Sizes = Record<string, { minified: number; gzip: number }>;

describe('bundle size', () => {
  it('stays within the budgets', async () => {
    const sizes = (await measure()) as Sizes;
    const asserted = budgets as Record<string, number>;
    expect(Object.keys(asserted).sort()).toEqual([
      'liquidationPrice + hyperliquidMarginTable',
      'whole package',
    ]);
    expect(asserted['liquidationPrice + hyperliquidMarginTable']).toBe(3_000);
    expect(asserted['whole package']).toBe(12_000);
    expect(asserted).toEqual(specBudgets);
    for (const [name, budget] of Object.entries(asserted)) {
      expect(
        sizes[name]!.gzip,
        `${name}: ${sizes[name]!.gzip} B min+gzip, budget ${budget} B`,
      ).toBeLessThanOrEqual(budget);
    }
    // The tree-shaken solver must not pull in the Hyperliquid adapters or the risk module.
    expect(sizes['solveLiquidationPrice (pre-parsed)']!.gzip).toBeLessThan(1_500);
  });
});
