// Measures the package's bundle cost with esbuild (minified, ESM, browser target) + gzip, as a consumer's
// bundler would see it. Used by `pnpm size` (prints a table) and by test/bundleSize.test.ts (CI budget).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

/**
 * SPEC §6 budgets in bytes (min+gzip, per import): the whole package, the liquidation solver with its
 * margin table, `analyzeHyperliquidAccount`, and every other single export (`perExport`).
 */
export const specBudgets = {
  'whole package': 16_000,
  'liquidationPrice + hyperliquidMarginTable': 3_000,
  analyzeHyperliquidAccount: 6_000,
  perExport: 4_000,
};

/** Budgets asserted by test/bundleSize.test.ts and `pnpm size`: SPEC §6's. Other rows are informational. */
export const budgets = specBudgets;

/** What a consumer imports in each case (entry code, resolved against src/). */
export const cases = {
  // Every export of every entry point in package.json (`.`, `./funding`, …, `./risk`).
  'whole package': Object.values(pkg.exports)
    .map((file) => `export * from '${file}';`)
    .join('\n'),
  'core (all but risk/)': [
    'funding/index',
    'prices/index',
    'margin/index',
    'hyperliquid/index',
    'decimal',
    'errors',
  ]
    .map((m) => `export * from './src/${m}.ts';`)
    .join('\n'),
  'risk/': `export * from './src/risk/index.ts';`,
  'liquidationPrice + hyperliquidMarginTable': `export { liquidationPrice, hyperliquidMarginTable } from './src/index.ts';`,
  'solveLiquidationPrice (pre-parsed)': `export { solveLiquidationPrice } from './src/index.ts';`,
  annualizeRate: `export { annualizeRate } from './src/index.ts';`,
  analyzeClearinghouseState: `export { analyzeClearinghouseState } from './src/index.ts';`,
  analyzeHyperliquidAccount: `export { analyzeHyperliquidAccount } from './src/index.ts';`,
};

const options = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  treeShaking: true,
  write: false,
  logLevel: 'silent',
};

const sizeOf = async (contents, extra = {}) => {
  const result = await build({
    ...options,
    ...extra,
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength, result };
};

/** The budget of one export imported alone: its own row, the solver's path, else `perExport`. */
export const budgetOf = (name) =>
  budgets[name] ??
  (name === 'liquidationPrice'
    ? budgets['liquidationPrice + hyperliquidMarginTable']
    : budgets.perExport);

/** Every runtime export of the root entry point and its own min+gzip size: `{ name: gzip }`. */
export async function measureExports() {
  const { result } = await sizeOf(`export * from './src/index.ts';`, {
    metafile: true,
    outdir: '/',
  });
  const names = Object.values(result.metafile.outputs).flatMap((o) => o.exports);
  const out = {};
  for (const name of names.sort()) {
    out[name] = (await sizeOf(`export { ${name} } from './src/index.ts';`)).gzip;
  }
  return out;
}

/** Returns `{ name: { minified, gzip } }` in bytes. */
export async function measure() {
  const out = {};
  for (const [name, contents] of Object.entries(cases)) {
    const { minified, gzip } = await sizeOf(contents);
    out[name] = { minified, gzip };
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await measure();
  let failed = false;
  for (const [name, s] of Object.entries(sizes)) {
    const budget = budgets[name];
    const spec = undefined;
    let verdict = '';
    if (budget !== undefined) {
      verdict = s.gzip <= budget ? ` ≤ ${budget} ok` : ` > ${budget} OVER BUDGET`;
      if (s.gzip > budget) failed = true;
    }
    if (spec !== undefined && spec !== budget) {
      verdict +=
        s.gzip <= spec ? ` (SPEC ${spec} met)` : ` (SPEC ${spec}: ${s.gzip - spec} B over)`;
    }
    console.log(
      `${name.padEnd(45)} ${String(s.minified).padStart(7)} B min  ${String(s.gzip).padStart(6)} B gzip${verdict}`,
    );
  }
  const perExport = await measureExports();
  const largest = Object.entries(perExport).sort((a, b) => b[1] - a[1]);
  console.log(
    `\nlargest single exports (budget ${budgets.perExport} B each, except the rows above):`,
  );
  for (const [name, gzip] of largest.slice(0, 12)) {
    const own = budgetOf(name);
    const bad = gzip > own;
    if (bad) failed = true;
    console.log(
      `  ${name.padEnd(43)} ${String(gzip).padStart(6)} B gzip${bad ? ' OVER BUDGET' : ''}`,
    );
  }
  console.log(`  (${largest.length} runtime exports measured)`);
  process.exitCode = failed ? 1 : 0;
}
