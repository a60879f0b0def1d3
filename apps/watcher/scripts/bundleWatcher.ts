import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { buildStatusScript, type StatusScript } from '../src/status-page/buildStatusScript.js';

const WATCHER_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = resolve(WATCHER_DIR, '../..');

/** Where `pnpm --filter @perpscope/watcher build` writes the bundle the bin runs. */
export const DIST_BUNDLE = join(WATCHER_DIR, 'dist/cli.mjs');

/**
 * Source files keep their own location: `import.meta.url` becomes the file's original URL, so
 * migrations (`drizzle/`), status-page assets, the HL replay fixtures and `createRequire` lookups
 * (the devnet package's anvil binary) resolve exactly as under tsx, from wherever the bundle lives.
 */
const keepImportMetaUrl: Plugin = {
  name: 'keep-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\/(apps|packages)\/[^/]+\/src\/.*\.ts$/ }, (args) => {
      const url = JSON.stringify(pathToFileURL(args.path).href);
      const contents = readFileSync(args.path, 'utf8')
        .replaceAll('import.meta.url', url)
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * The status page script goes into the bundle as built now: `buildStatusScript` is replaced by a
 * module that returns it, so the bundle serves the page it was built with and needs no esbuild at
 * run time (its inputs join the manifest: a changed page makes the bundle stale).
 */
function inlineStatusScript(script: StatusScript): Plugin {
  return {
    name: 'inline-status-script',
    setup(b) {
      b.onLoad({ filter: /\/src\/status-page\/buildStatusScript\.ts$/ }, () => ({
        contents: `export function buildStatusScript() { return ${JSON.stringify({ code: script.code, inputs: [] })}; }`,
        loader: 'js',
      }));
    },
  };
}

/**
 * What `bin/bundle.mjs` checks before running a bundle: the checkout it was built from and every
 * file that went into it. Any input newer than `builtAtMs` (or gone) makes the bundle stale.
 */
export type BundleManifest = { root: string; builtAtMs: number; inputs: string[] };

/**
 * Bundles the watcher CLI (`src/cli.ts`) into one ESM file — by default `dist/cli.mjs`, which
 * `bin/perpscope-watcher.mjs` prefers over tsx when it is up to date (tsx alone costs ~100 MB of
 * RSS and seconds of start-up on a loaded 2-core machine). Same code, no behaviour change; native
 * and optional binary dependencies (`better-sqlite3`, ws's `bufferutil`/`utf-8-validate`) stay
 * external and resolve from this package; the status page script is built first and inlined
 * (`inlineStatusScript`). Minified (whitespace and syntax; names kept). Writes the worker's entry
 * (`ingestionWorker.mjs`), a source map per bundle (`<file>.map`) and `<outfile>.manifest.json`
 * beside it.
 *
 * @param outfile - where to write the bundle.
 * @returns the path of the bundle (run it with `node <path> run -c config.yaml`).
 */
export async function bundleWatcher(outfile: string = DIST_BUNDLE): Promise<string> {
  mkdirSync(dirname(outfile), { recursive: true });
  const builtAtMs = Date.now();
  // The ingestion worker's entry sits beside the CLI bundle (`startIngestionWorker.ts` finds it
  // through the bundle URL the banner records).
  const workerOut = join(dirname(outfile), 'ingestionWorker.mjs');
  const outputs = [
    { entry: 'src/cli.ts', out: outfile },
    { entry: 'src/runtime/ingestionWorker.ts', out: workerOut },
  ].map((o) => ({ ...o, tmp: `${o.out}.${process.pid}.tmp` }));
  const statusScript = buildStatusScript();
  const results = await Promise.all(outputs.map((o) => bundleOne(o.entry, o.tmp, statusScript)));
  for (const o of outputs) {
    asciiComments(o.tmp);
    linkSourceMap(o.tmp, o.out);
  }
  const inputs = [
    ...new Set(
      results.flatMap((r) =>
        Object.keys(r.metafile.inputs)
          .filter((p) => !p.includes(':'))
          .map((p) => resolve(REPO_ROOT, p)),
      ),
    ),
  ];
  inputs.push(
    ...statusScript.inputs,
    join(WATCHER_DIR, 'package.json'),
    join(REPO_ROOT, 'pnpm-lock.yaml'),
  );
  const manifest: BundleManifest = { root: REPO_ROOT, builtAtMs, inputs };
  // Bundles first, manifest last: a bundle without a matching manifest counts as stale. The worker
  // entry before the CLI, so a CLI bundle never runs beside an older worker.
  for (const o of outputs.reverse()) {
    renameSync(`${o.tmp}.map`, `${o.out}.map`);
    renameSync(o.tmp, o.out);
  }
  writeFileSync(`${outfile}.manifest.json`, `${JSON.stringify(manifest)}\n`);
  return outfile;
}

/**
 * Makes a bundle pure ASCII. esbuild escapes every non-ASCII character of strings, templates and
 * regular expressions (`charset: 'ascii'`, its default) but keeps the comments it preserves as
 * they are — and one "—" or "→" in a comment makes V8 hold the whole source (kept for lazy
 * compilation) as a two-byte string: 8.2 MB instead of 4.1 MB on the HTTP thread for `cli.mjs`,
 * and the same again for the worker's bundle. Those characters are written as `\u{…}` (comment
 * text only).
 *
 * A non-ASCII character outside a comment line (esbuild changed how it escapes, or a comment
 * trails code) leaves the file as it is, with a warning: only memory is at stake.
 */
export function asciiComments(file: string): void {
  const text = readFileSync(file, 'utf8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range itself
  if (!/[^\u0000-\u007f]/.test(text)) return;
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range itself
    if (!/[^\u0000-\u007f]/.test(line)) continue;
    if (!/^\s*(\/\/|\/\*|\*)/.test(line)) {
      console.warn(
        `${file}:${i + 1}: a non-ASCII character outside a comment line, bundle left as it is (V8 keeps its source as a two-byte string): ${line.slice(0, 120)}`,
      );
      return;
    }
    lines[i] = line.replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range itself
      /[^\u0000-\u007f]/gu,
      (ch) => `\\u{${(ch.codePointAt(0) as number).toString(16)}}`,
    );
  }
  writeFileSync(file, lines.join('\n'));
}

/**
 * Points a bundle written to `tmp` at the source map it will have beside it once renamed to `out`
 * (`<out>.map`; esbuild wrote it as `<tmp>.map`, with the same directory, so its paths hold).
 * Node reads it only when asked (`--enable-source-maps`); otherwise it costs nothing at run time.
 */
function linkSourceMap(tmp: string, out: string): void {
  appendFileSync(tmp, `//# sourceMappingURL=${basename(out)}.map\n`);
}

function bundleOne(entry: string, outfile: string, statusScript: StatusScript) {
  return build({
    entryPoints: [join(WATCHER_DIR, entry)],
    outfile,
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['better-sqlite3', 'bufferutil', 'utf-8-validate'],
    // First match wins: the status script's module is replaced before the import.meta rewrite.
    plugins: [inlineStatusScript(statusScript), keepImportMetaUrl],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url); const __perpscopeBundleUrl = import.meta.url;",
    },
    // V8 keeps each bundle's source for lazy compilation, and a line-end table per script once a
    // stack trace asks for a position: whitespace and syntax minified, 4.2 + 2.7 MB of source
    // become 2.8 + 1.8 MB and ~190,000 lines ~1,800 (ARCHITECTURE.md, run M). Names are kept, so
    // stack traces still name every function; `<bundle>.map` maps them back to the TypeScript
    // (`NODE_OPTIONS=--enable-source-maps`).
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'external',
    sourcesContent: false,
    metafile: true,
    logLevel: 'error',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await bundleWatcher(process.argv[2] ? resolve(process.argv[2]) : undefined));
}
