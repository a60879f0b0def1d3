import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

/** The status page script, bundled, and the source files it was built from (absolute paths). */
export type StatusScript = { code: string; inputs: readonly string[] };

const ENTRY = fileURLToPath(new URL('./assets/status.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

let built: StatusScript | null = null;

/**
 * Bundles the status page script (`assets/status.ts` and what it imports from
 * `@perpscope/schemas`) into one browser IIFE with esbuild — the same esbuild step that bundles
 * the CLI. From the sources (tsx, tests) it runs once per process, at start-up; in the CLI bundle
 * (`scripts/bundleWatcher.ts`) this module is replaced by the script built at bundle time, so the
 * bundle serves exactly the page it was built with and never needs esbuild at run time.
 *
 * @throws {Error} naming the file and esbuild's messages when the script does not build.
 */
export function buildStatusScript(): StatusScript {
  if (built) return built;
  // Loaded on first use (~70 ms): commands that serve no page (check-config, migrate…) skip it.
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  let result: Esbuild.BuildResult<{ metafile: true; write: false }>;
  try {
    result = buildSync({
      entryPoints: [ENTRY],
      absWorkingDir: REPO_ROOT,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      charset: 'utf8',
      legalComments: 'none',
      // The page imports types and zod-free helpers only (`severityScale.ts`); not parsing the
      // schema library keeps the build at ~20 ms instead of ~0.5 s. Checked below.
      external: ['zod', '@hono/zod-openapi'],
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
  } catch (error) {
    throw new Error(
      `the status page script (${ENTRY}) does not build: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const code = result.outputFiles?.[0]?.text;
  if (code === undefined) throw new Error(`the status page script (${ENTRY}) built no output`);
  if (/\brequire\(/.test(code)) {
    throw new Error(
      `the status page script (${ENTRY}) imports zod at run time: import types or zod-free helpers only`,
    );
  }
  const inputs = Object.keys(result.metafile?.inputs ?? {}).map((p) => resolve(REPO_ROOT, p));
  built = { code, inputs };
  return built;
}
