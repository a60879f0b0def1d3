import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { asciiComments, bundleWatcher } from '../scripts/bundleWatcher.js';
import { buildStatusScript } from '../src/status-page/buildStatusScript.js';

// The bundle the bin (and scripts/watcher.sh) runs must serve the status page script built from
// status.ts at bundle time — not a stale copy, and without esbuild at run time.
const WATCHER_DIR = fileURLToPath(new URL('..', import.meta.url));
// Inside the package, so the bundle's external dependencies (better-sqlite3) resolve.
const outDir = join(WATCHER_DIR, `dist/test-${process.pid}`);
const dataDir = mkdtempSync(join(tmpdir(), 'perpscope-bundle-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('asciiComments', () => {
  it('writes non-ASCII characters of comment lines as \\u{…}, and leaves a file with one elsewhere as it is', () => {
    const file = join(dataDir, 'b.mjs');
    const source = '// a — b\n/** x → y\n * ≥ 5 %\n */\nconst s = "\\u2014";\n';
    writeFileSync(file, source);
    asciiComments(file);
    expect(readFileSync(file, 'utf8')).toBe(
      '// a \\u{2014} b\n/** x \\u{2192} y\n * \\u{2265} 5 %\n */\nconst s = "\\u2014";\n',
    );
    const code = 'const s = "—"; // —\n';
    writeFileSync(file, code);
    asciiComments(file);
    expect(readFileSync(file, 'utf8')).toBe(code);
  });
});

describe('the CLI bundle and the status page', { timeout: 60_000 }, () => {
  it('serves the script built from status.ts, listed in the manifest, with no esbuild inside', async () => {
    const bundle = await bundleWatcher(join(outDir, 'cli.mjs'));
    const text = readFileSync(bundle, 'utf8');
    // Neither imported nor bundled (esbuild's JS API reads this variable).
    expect(text).not.toMatch(/from ["']esbuild["']|ESBUILD_BINARY_PATH/);
    const manifest = JSON.parse(readFileSync(`${bundle}.manifest.json`, 'utf8')) as {
      inputs: string[];
    };
    expect(manifest.inputs).toContain(join(WATCHER_DIR, 'src/status-page/assets/status.ts'));
    // Pure ASCII, so V8 keeps each bundle's source as a one-byte string (half the memory).
    for (const file of [bundle, join(outDir, 'ingestionWorker.mjs')]) {
      const nonAscii = [...readFileSync(file, 'utf8')].filter((ch) => ch.charCodeAt(0) > 0x7f);
      expect(nonAscii.slice(0, 5), file).toEqual([]);
    }
    // Minified (V8 keeps the source, and a line-end table per script), each with a source map
    // beside it that leads back to the TypeScript entry.
    for (const [file, entry] of [
      [bundle, 'src/cli.ts'],
      [join(outDir, 'ingestionWorker.mjs'), 'src/runtime/ingestionWorker.ts'],
    ] as const) {
      const code = readFileSync(file, 'utf8');
      expect(code.split('\n').length, file).toBeLessThan(5_000);
      expect(code.trimEnd().split('\n').at(-1)).toBe(`//# sourceMappingURL=${basename(file)}.map`);
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
      expect(map.sources.map((s) => resolve(outDir, s))).toContain(join(WATCHER_DIR, entry));
    }

    const config = join(dataDir, 'watcher.yaml');
    writeFileSync(
      config,
      `server: { port: 0 }\ndatabase: { path: ${join(dataDir, 'w.db')} }\nchains: []\nhip3: { enabled: false }\n`,
    );
    const proc = spawn(process.execPath, [bundle, 'run', '-c', config], {
      env: { PATH: process.env.PATH ?? '', PERPSCOPE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let out = '';
    proc.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/[^/\s]+)\//.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      proc.once('exit', (code) => reject(new Error(`bundle exited with ${code}\n${out}`)));
    });
    const res = await fetch(`${url}/assets/status.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(buildStatusScript().code);
  });
});
