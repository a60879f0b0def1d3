// Bundle budgets (SPEC §6), measured with esbuild (minified, tree-shaken ESM) + gzip level 9: a consumer
// importing only the liquidation solver ≤ 3 kB; the core (all but the separately built risk/ sub-path)
// ≤ 10 kB. The whole-package total against SPEC's 12 kB is printed by `pnpm size` (see README).
import { describe, expect, it } from 'vitest';
// @ts-expect-error — plain .mjs helper shared with `pnpm size`, no type declarations.
import { budgets, measure } from '../scripts/bundleSize.mjs';

describe('bundle size', () => {
  it('stays within the budgets', async () => {
    const sizes = (await measure()) as Record<string, { minified: number; gzip: number }>;
    for (const [name, budget] of Object.entries(budgets as Record<string, number>)) {
      expect(
        sizes[name]!.gzip,
        `${name}: ${sizes[name]!.gzip} B min+gzip, budget ${budget} B`,
      ).toBeLessThanOrEqual(budget);
    }
    // The tree-shaken solver must not pull in the Hyperliquid adapters or the risk module.
    expect(sizes['solveLiquidationPrice (pre-parsed)']!.gzip).toBeLessThan(1_500);
  });
});
