// The esbuild bundle of the CLI (apps/watcher/dist/cli.mjs, `pnpm --filter @perpscope/watcher build`)
// and whether it is up to date with the sources. Plain JavaScript: the bin and scripts/watcher.sh
// use it before any TypeScript tooling is loaded.
//
//   node apps/watcher/bin/bundle.mjs    # builds the bundle when missing or stale; prints one line
import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WATCHER_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = resolve(WATCHER_DIR, '../..');

/** Absolute path of the bundle. */
export const BUNDLE = resolve(WATCHER_DIR, 'dist/cli.mjs');

/**
 * Why the bundle cannot be used, or `null` when it is up to date: it must exist, have been built
 * from this checkout, and no file that went into it may have changed or disappeared since.
 *
 * @returns a short reason (`missing`, `<file> changed`, …) or `null`.
 */
export function bundleStaleReason() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(`${BUNDLE}.manifest.json`, 'utf8'));
    statSync(BUNDLE);
  } catch {
    return 'missing';
  }
  if (manifest.root !== REPO_ROOT) return `built in ${manifest.root}`;
  for (const input of manifest.inputs) {
    let mtimeMs;
    try {
      ({ mtimeMs } = statSync(input));
    } catch {
      return `${relative(REPO_ROOT, input)} is gone`;
    }
    if (mtimeMs > manifest.builtAtMs) return `${relative(REPO_ROOT, input)} changed`;
  }
  return null;
}

/**
 * Builds the bundle when it is missing or stale (about a second) and describes what it did in one line.
 *
 * @returns the line to print.
 */
export async function ensureBundle() {
  const reason = bundleStaleReason();
  const shown = relative(process.cwd(), BUNDLE) || BUNDLE;
  if (reason === null) return `perpscope-watcher: ${shown} is up to date`;
  const started = performance.now();
  const { tsImport } = await import('tsx/esm/api');
  const { bundleWatcher } = await tsImport('../scripts/bundleWatcher.ts', import.meta.url);
  await bundleWatcher(BUNDLE);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return `perpscope-watcher: built ${shown} in ${seconds} s (${reason})`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await ensureBundle());
}
