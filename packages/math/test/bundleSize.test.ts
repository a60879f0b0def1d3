// Bundle budgets (SPEC §6), measured with esbuild (minified, tree-shaken ESM) + gzip level 9 by
// scripts/bundleSize.mjs, per import: the whole package ≤ 16,000 B, `liquidationPrice` with its margin
// table ≤ 3,000 B, `analyzeHyperliquidAccount` ≤ 6,000 B and any other single export ≤ 4,000 B.
import { describe, expect, it } from 'vitest';
// @ts-expect-error — plain .mjs helper shared with `pnpm size`, no type declarations.
import { budgetOf, budgets, measure, measureExports } from '../scripts/bundleSize.mjs';

type Sizes = Record<string, { minified: number; gzip: number }>;

describe('bundle size', () => {
  it('the SPEC §6 budgets are the asserted ones', () => {
    expect(budgets).toEqual({
      'whole package': 16_000,
      'liquidationPrice + hyperliquidMarginTable': 3_000,
      analyzeHyperliquidAccount: 6_000,
      perExport: 4_000,
    });
  });

  it('the whole package and the named imports stay within their budgets', async () => {
    const sizes = (await measure()) as Sizes;
    for (const name of [
      'whole package',
      'liquidationPrice + hyperliquidMarginTable',
      'analyzeHyperliquidAccount',
    ]) {
      const budget = (budgets as Record<string, number>)[name]!;
      expect(
        sizes[name]!.gzip,
        `${name}: ${sizes[name]!.gzip} B, budget ${budget} B`,
      ).toBeLessThanOrEqual(budget);
    }
    // The tree-shaken solver must not pull in the Hyperliquid adapters or the risk module.
    expect(sizes['solveLiquidationPrice (pre-parsed)']!.gzip).toBeLessThan(1_500);
  });

  it('every single export imported alone stays within its budget', async () => {
    const sizes = (await measureExports()) as Record<string, number>;
    // Restored by name (issue 12): they must exist as runtime exports.
    for (const name of ['sharpeRatio', 'annualizedReturn', 'analyzeHyperliquidAccount']) {
      expect(sizes[name], name).toBeGreaterThan(0);
    }
    const over = Object.entries(sizes).filter(([name, gzip]) => gzip > budgetOf(name));
    expect(over).toEqual([]);
    // ~90 esbuild builds: 2–4 s on a quiet VM, past vitest's default 5 s when other agents load it.
  }, 60_000);
});
