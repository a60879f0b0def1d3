#!/usr/bin/env node
// perpscope-watcher. Runs the esbuild bundle (dist/cli.mjs, `pnpm --filter @perpscope/watcher build`;
// scripts/watcher.sh builds it; it carries the status page script built with it) when it is up to
// date with the sources, and otherwise the TypeScript sources directly through tsx (saying so on
// stderr when a stale bundle is skipped), so a change never needs a build step before a run or a test.
// PERPSCOPE_WATCHER_ENTRY=tsx|bundle forces one (bundle: fails when it is missing or stale).
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BUNDLE, bundleStaleReason } from './bundle.mjs';

/**
 * V8 flags for the long-running process (SPEC §6: RSS < 200 MB with 15 chains + 300 markets). The
 * live heap is ~32 MB, but with V8's defaults the old generation grows up to 4× its live size after
 * each full GC and the young generation to 3 × 16 MB: ~250 MB. Growing by 1.5× and 4 MB semi-spaces
 * measured 176 MB at ~11 % of a core (apps/watcher/README.md, "Scale"); `--optimize-for-size` saved
 * 17 MB more for +5 points of CPU. No old-space cap: a larger deployment must never die of OOM.
 */
const V8_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=50'];

const flagName = (flag) => flag.split('=')[0].replaceAll('_', '-');

/**
 * glibc malloc arenas for the re-executed process. By default every thread that mallocs gets its own
 * arena (up to 8 per core): V8's background compiler/GC threads, libuv's pool and the WAL-checkpoint
 * worker each fragment one, and the 30-minute soak's RSS crept ~5 MB/min in those 64 MB-aligned
 * regions while the JS heap stayed flat. Two arenas is the usual cure for long-running Node
 * processes; ignored outside glibc. A value already in the environment wins.
 */
const MALLOC_ENV = { MALLOC_ARENA_MAX: '2' };

/**
 * Re-executes this process image with {@link V8_FLAGS} and {@link MALLOC_ENV} (same pid, stdio and
 * signals: `process.execve`, Node ≥ 22.15) unless they are applied already. A flag the user set in
 * NODE_OPTIONS or on the node command line, or a variable already set, wins over ours.
 */
function applyV8Flags() {
  if (typeof process.execve !== 'function') return;
  const given = new Set(
    [...(process.env.NODE_OPTIONS ?? '').split(/\s+/), ...process.execArgv]
      .filter((a) => a.startsWith('--'))
      .map(flagName),
  );
  const missing = V8_FLAGS.filter((f) => !given.has(flagName(f)));
  const env = { ...MALLOC_ENV, ...process.env };
  const envMissing = Object.keys(MALLOC_ENV).some((k) => process.env[k] === undefined);
  if (missing.length === 0 && !envMissing) return;
  try {
    process.execve(
      process.execPath,
      [
        process.execPath,
        ...missing,
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        ...process.argv.slice(2),
      ],
      env,
    );
  } catch {
    // Could not re-execute (unusual platform or sandbox): run with V8's defaults.
  }
}

applyV8Flags();

const forced = process.env.PERPSCOPE_WATCHER_ENTRY;
const stale = forced === 'tsx' ? 'forced tsx' : bundleStaleReason();
if (forced === 'bundle' && stale !== null) {
  console.error(
    `perpscope-watcher: PERPSCOPE_WATCHER_ENTRY=bundle but ${BUNDLE} is not usable (${stale}); run \`pnpm --filter @perpscope/watcher build\``,
  );
  process.exit(2);
}
if (stale === null) {
  await import(BUNDLE);
} else {
  // Never silently: a bundle that exists but no longer matches the sources is said so (a missing
  // one is the normal state of a checkout that was never built).
  if (forced !== 'tsx' && stale !== 'missing') {
    console.error(
      `perpscope-watcher: ${BUNDLE} is stale (${stale}); running the sources through tsx (\`pnpm --filter @perpscope/watcher build\` rebuilds it)`,
    );
  }
  const { register } = await import('tsx/esm/api');
  const unregister = register();
  await import('../src/cli.ts');
  // Remove the transpiling loader hooks once every TypeScript module is loaded (the CLI resolves
  // after start-up, the demo's modules included). Code must not import TypeScript lazily after
  // start-up; plain-JS dependencies still load normally.
  await unregister();
}
// Collect, once, the garbage that loading the whole module graph left behind, so the long-running
// process starts small.
setFlagsFromString('--expose-gc');
runInNewContext('gc')();
