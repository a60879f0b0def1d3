import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const WATCHER_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Source files keep their own location: `import.meta.url` becomes the file's original URL, so
 * migrations (`drizzle/`), status-page assets and `createRequire` lookups resolve as under tsx.
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
 * Bundles the watcher CLI (`src/cli.ts`) into one ESM file under `node_modules/.cache`, so scripts
 * that start it many times (crash-safety, soak) don't pay tsx's per-start transform and module
 * resolution (~2–5 s on a loaded 2-core machine vs well under a second). Same code, no behaviour
 * change; the native `better-sqlite3` stays external and resolves from this package.
 *
 * @returns the path of the bundle (run it with `node <path> run -c config.yaml`).
 */
export async function bundleWatcher(): Promise<string> {
  const outfile = join(WATCHER_DIR, 'node_modules/.cache/perpscope-watcher/cli.mjs');
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(WATCHER_DIR, 'src/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['better-sqlite3', 'bufferutil', 'utf-8-validate'],
    plugins: [keepImportMetaUrl],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'error',
  });
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await bundleWatcher());
}
