// Runs the README's "reproduce liquidationPx" snippet exactly as written, with plain `node`, against the
// built dist/ installed the way npm would install the published package (publishConfig.exports applied).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pkgDir = new URL('..', import.meta.url).pathname;
const vectors = join(pkgDir, 'test/vectors/hyperliquid');
let dir: string;

beforeAll(() => {
  // Fresh dist/ from the current sources (tsc is fast: well under a second here).
  execFileSync(join(pkgDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: pkgDir,
  });
  dir = mkdtempSync(join(tmpdir(), 'perpscope-math-readme-'));
  const installed = join(dir, 'node_modules/@perpscope/math');
  mkdirSync(installed, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const published = { ...pkg, exports: pkg.publishConfig.exports };
  delete published.publishConfig;
  writeFileSync(join(installed, 'package.json'), JSON.stringify(published));
  cpSync(join(pkgDir, 'dist'), join(installed, 'dist'), { recursive: true });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function readmeSnippet(): string {
  const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
  const marker = readme.indexOf('<!-- snippet: reproduce-liquidationPx');
  expect(marker).toBeGreaterThan(-1);
  const match = /```js\n([\s\S]*?)```/.exec(readme.slice(marker));
  expect(match).not.toBeNull();
  return match![1]!;
}

describe('README snippet', () => {
  it('is under ten lines', () => {
    expect(readmeSnippet().trimEnd().split('\n').length).toBeLessThan(10);
  });

  it('reproduces the recorded liquidationPx with plain node against dist/', () => {
    // The docs' isolated ETH clearinghouseState and the same docs page's meta example.
    cpSync(
      join(vectors, 'docs.info.clearinghouseState.isolated-ETH.json'),
      join(dir, 'clearinghouseState.json'),
    );
    cpSync(join(vectors, 'docs.info.meta.main.json'), join(dir, 'meta.json'));
    writeFileSync(join(dir, 'snippet.mjs'), readmeSnippet());
    const out = execFileSync(process.execPath, ['snippet.mjs'], { cwd: dir, encoding: 'utf8' });
    const [coin, computed, recorded] = out.trim().split(' ');
    expect(coin).toBe('ETH');
    expect(recorded).toBe('2866.26936529');
    expect(Math.abs(Number(computed) - 2866.26936529) / 2866.26936529).toBeLessThan(1e-6);
  });

  it('the installed package exposes every sub-path', () => {
    const code = `
      const subs = ['funding', 'prices', 'margin', 'hyperliquid', 'decimal', 'risk'];
      for (const s of subs) await import('@perpscope/math/' + s);
      const m = await import('@perpscope/math');
      console.log(typeof m.liquidationPrice, typeof m.annualizeRate, typeof m.maxDrawdown);`;
    writeFileSync(join(dir, 'subpaths.mjs'), code);
    const out = execFileSync(process.execPath, ['subpaths.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(out.trim()).toBe('function function function');
  });
});
