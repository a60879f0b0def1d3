import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// The layout rules of ARCHITECTURE.md, checked on the source instead of only written down.
const SRC = dirname(fileURLToPath(import.meta.url));

/** Every non-test `.ts` file under `dir`, as paths relative to `src/`. */
function sourceFiles(dir: string): readonly string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(SRC, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    if (/\.(test|bench)\.ts$/.test(entry.name)) continue;
    out.push(relative(SRC, join(entry.parentPath, entry.name)));
  }
  return out;
}

/** The `src/`-relative targets of a file's relative imports (`import … from './x.js'`). */
function relativeImports(file: string): readonly string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const targets: string[] = [];
  for (const m of text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)) {
    targets.push(relative(SRC, resolve(SRC, dirname(file), m[1] as string)));
  }
  return targets;
}

/**
 * The `src/`-relative targets of the imports in `text` (a file at `file`) that load a module at run
 * time: `import … from`, `export … from` and `import('…')`, but not `import type` nor an import
 * whose every specifier is `type X` (types carry no access to anything).
 */
function valueImports(file: string, text: string): readonly string[] {
  const targets: string[] = [];
  const target = (spec: string) => relative(SRC, resolve(SRC, dirname(file), spec));
  for (const m of text.matchAll(/^(import|export)\s+([^;]*?)\s*from\s+'(\.{1,2}\/[^']+)'/gms)) {
    const clause = (m[2] as string).trim();
    if (clause.startsWith('type ')) continue;
    const braces = /^\{([^}]*)\}$/.exec(clause);
    const specifiers = braces ? (braces[1] as string).split(',').filter((x) => x.trim()) : null;
    if (specifiers?.every((x) => x.trim().startsWith('type '))) continue;
    targets.push(target(m[3] as string));
  }
  for (const m of text.matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g))
    targets.push(target(m[1] as string));
  return targets;
}

/** Whether a `src/`-relative import target is a query module of either dialect. */
const isQueryModule = (target: string) => /^db\/(pg\/)?queries\//.test(target);

describe('layout', () => {
  // alerts, retention and metrics are operations composed by runtime/ (createOperations,
  // adminRoutes); importing one another or the composition root would tie them back together.
  const OPS = ['alerts', 'retention', 'metrics'] as const;

  test.each(OPS)('%s/ imports neither the other operations nor runtime/', (folder) => {
    const forbidden = [...OPS.filter((o) => o !== folder), 'runtime'];
    const offending = sourceFiles(folder).flatMap((file) =>
      relativeImports(file)
        .filter((target) => forbidden.some((f) => target.startsWith(`${f}/`)))
        .map((target) => `${file} → ${target}`),
    );
    expect(offending).toEqual([]);
  });

  test('the import reader sees relative imports (so the rule above can fail)', () => {
    expect(relativeImports('runtime/createIngestionOperations.ts')).toContain(
      'alerts/AlertOutbox.js',
    );
  });

  // SQL lives in src/db/ (queries, plus the connection plumbing: openDb, walCheckpointer,
  // storageHealth). A file that still holds its own SQL would be listed here, and the list may
  // only shrink.
  const SQL_NOT_YET_MOVED: readonly string[] = [];

  test('SQL (drizzle builders, sql`…`, prepare/pragma, exec of a SQL string) only under src/db/', () => {
    const holdsSql = (file: string) => {
      const text = readFileSync(join(SRC, file), 'utf8');
      return (
        /^import \{[^}]*\} from 'drizzle-orm'/m.test(text) ||
        /\bsql`|\.(prepare|pragma)\(|\.exec\(['`]/.test(text)
      );
    };
    const offending = sourceFiles('.').filter(
      (file) => !file.startsWith('db/') && file !== 'architecture.test.ts' && holdsSql(file),
    );
    expect(offending.filter((f) => !SQL_NOT_YET_MOVED.includes(f))).toEqual([]);
    // An entry that no longer holds SQL is removed from the list, so the list stays true.
    expect(SQL_NOT_YET_MOVED.filter((f) => !offending.includes(f))).toEqual([]);
  });

  // Storage is reached only through the WatcherStore (src/db/store/): the query modules of both
  // dialects are imported at run time only under src/db/ (tests aside: they test the functions).
  test('only src/db/ imports db/queries or db/pg/queries (type imports aside)', () => {
    const offending = sourceFiles('.')
      .filter((file) => !file.startsWith('db/'))
      .flatMap((file) =>
        valueImports(file, readFileSync(join(SRC, file), 'utf8'))
          .filter(isQueryModule)
          .map((target) => `${file} → ${target}`),
      );
    expect(offending).toEqual([]);
  });

  test('the storage import rule tells value imports from type imports (so it can fail)', () => {
    const file = 'subjects/hip3/example.ts';
    expect(
      valueImports(
        file,
        [
          "import { listHip3Markets } from '../../db/queries/hip3.js';",
          "import { type Hip3MarketRow, getHip3Market } from '../../db/queries/hip3.js';",
          "export { insertEvent } from '../../db/queries/events.js';",
          "const m = await import('../../db/pg/queries/hip3.js');",
          "import type { StoredEvent } from '../../db/queries/events.js';",
          "import { type SubjectRef } from '../../db/queries/events.js';",
          "import type { WatcherStore } from '../../db/store/watcherStore.js';",
        ].join('\n'),
      ).filter(isQueryModule),
    ).toEqual([
      'db/queries/hip3.js',
      'db/queries/hip3.js',
      'db/queries/events.js',
      'db/pg/queries/hip3.js',
    ]);
  });

  test('folders are kebab-case', () => {
    const folders = readdirSync(SRC, { withFileTypes: true, recursive: true })
      .filter((e) => e.isDirectory())
      .map((e) => relative(SRC, join(e.parentPath, e.name)));
    expect(folders.length).toBeGreaterThan(5);
    expect(
      folders.filter((f) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(f.split('/').at(-1) ?? '')),
    ).toEqual([]);
  });
});

/**
 * The package names `file` loads at run time (`import … from 'pkg'`, `export … from 'pkg'`,
 * `import('pkg')`; type-only imports aside), subpaths included (`hono/secure-headers`).
 */
function packageValueImports(text: string): readonly string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/^(import|export)\s+([^;]*?)\s*from\s+'([^.'][^']*)'/gms)) {
    const clause = (m[2] as string).trim();
    if (clause.startsWith('type ')) continue;
    const braces = /^\{([^}]*)\}$/.exec(clause);
    const specifiers = braces ? (braces[1] as string).split(',').filter((x) => x.trim()) : null;
    if (specifiers?.every((x) => x.trim().startsWith('type '))) continue;
    names.push(m[3] as string);
  }
  for (const m of text.matchAll(/\bimport\(\s*'([^.'][^']*)'\s*\)/g)) names.push(m[1] as string);
  return names;
}

/** Every `src/` module `entry` loads at run time, itself included (relative value imports, transitively). */
function runtimeModuleGraph(entry: string): readonly string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const target of valueImports(file, readFileSync(join(SRC, file), 'utf8'))) {
      const ts = target.replace(/\.js$/, '.ts');
      if (ts.endsWith('.ts') && existsSync(join(SRC, ts))) queue.push(ts);
    }
  }
  return [...seen];
}

/** `module → package` for each module of `entry`'s graph loading one of the HTTP-side packages. */
function httpSidePackages(entry: string): readonly string[] {
  const forbidden = /^(hono|@hono\/[^/]+|prom-client|yaml)(\/|$)/;
  return runtimeModuleGraph(entry).flatMap((file) =>
    packageValueImports(readFileSync(join(SRC, file), 'utf8'))
      .filter((name) => forbidden.test(name))
      .map((name) => `${file} → ${name}`),
  );
}

describe('the ingestion worker thread', () => {
  // It builds createIngestionOperations, not createOperations: Hono, prom-client (and its default
  // metrics' timers), the admin routes and yaml stay out of its module graph and heap
  // (dist/ingestionWorker.mjs is bundled from this graph).
  test('loads no Hono, prom-client or yaml module', () => {
    expect(httpSidePackages('runtime/ingestionWorker.ts')).toEqual([]);
  });

  test('the graph reader finds them from the main thread (so the rule above can fail)', () => {
    const found = httpSidePackages('runtime/startWatcher.ts').join('\n');
    expect(found).toContain('runtime/createOperations.ts → prom-client');
    expect(found).toContain('runtime/adminRoutes.ts → @hono/zod-openapi');
    expect(found).toContain('security/corsPolicy.ts → hono/cors');
    expect(found).toContain('config/loadConfig.ts → yaml');
  });
});

// Issue 15: Hyperliquid knowledge and the severity scale are written once, in packages
// (`@perpscope/hyperliquid`, `@perpscope/schemas`), and only used by the apps. These rules read the
// sources of both apps and the replay server for the two shapes a second copy has taken before.
describe('one definition of coin names and of the severity scale', () => {
  const REPO = resolve(SRC, '../../..');
  const ROOTS = [
    'apps/watcher/src',
    'apps/watcher/scripts',
    'apps/extension/src',
    'apps/extension/entrypoints',
    'packages/devnet/src',
  ];

  /** Non-test, non-bench `.ts` sources under the roots, relative to the repository. */
  const appSources = (): readonly string[] =>
    ROOTS.flatMap((root) =>
      readdirSync(join(REPO, root), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.(test|bench)\.ts$/.test(e.name))
        .map((e) => relative(REPO, join(e.parentPath, e.name))),
    );

  /** `file: line` for every line of `files` that `matches`. */
  const linesMatching = (files: readonly string[], matches: (line: string) => boolean) =>
    files.flatMap((file) =>
      readFileSync(join(REPO, file), 'utf8')
        .split('\n')
        .filter(matches)
        .map((line) => `${file}: ${line.trim()}`),
    );

  // A HIP-3 coin is `dex:SYMBOL`: splitting or building one on a colon, on a line about coins,
  // dexes or symbols, restates parseCoin/dexOf/coinName of @perpscope/hyperliquid.
  const COLON_OP = /\.(indexOf|lastIndexOf|split|includes)\(\s*['"]:['"]\s*\)/;
  const COIN_WORDS = /coin|dex|sym|market/i;
  const BUILT_COIN = /\$\{[\w.]*(dex|Dex)[\w.]*\}:(\$\{|[A-Z])/;
  const isCoinColonLine = (line: string) =>
    (COLON_OP.test(line) && COIN_WORDS.test(line)) || BUILT_COIN.test(line);

  test('no app parses or builds `dex:COIN` names itself (parseCoin, dexOf, coinName)', () => {
    // Not coin names: the replay's synthetic tx hash is seeded with `<dex>:<block>`.
    const NOT_COINS = ['packages/devnet/src/hyperliquid/createReplayMarkets.ts: hash: `0x${'];
    const offending = linesMatching(appSources(), isCoinColonLine).filter(
      (hit) => !NOT_COINS.some((allowed) => hit.startsWith(allowed)),
    );
    expect(offending).toEqual([]);
  });

  test('the coin-name rule recognises the copies it replaced (so it can fail)', () => {
    for (const copy of [
      "  const i = coin.indexOf(':');",
      "    const [dex = '', sym = ''] = c.split(':');",
      "  const dexCount = new Set(markets.map((m) => m.coin.split(':')[0])).size;",
      "  const bare = coins.filter((c) => c.includes(':'));",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a source line quoted as data
      "  return { kind: 'perp', coin: dex ? `${dex}:${first}` : first };",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a source line quoted as data
      "      coinCaps.push([`${dex.name}:SYN${i}`, '10000000.0']);",
    ])
      expect(isCoinColonLine(copy), copy).toBe(true);
    for (const other of [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a source line quoted as data
      "  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;",
      "      metrics.dbWriteErrors.inc({ component: writer.split(':')[0] ?? writer });",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a source line quoted as data
      '        `${last.at}:${last.source}:${last.txHash}`',
    ])
      expect(isCoinColonLine(other), other).toBe(false);
  });

  // The one severity scale is `severities`/`severityRank` and the status → severity maps of
  // @perpscope/schemas; the status vocabularies are its enums. A level → number table or an
  // ordered list of three or more status words restates them.
  const STATUS_WORD =
    "'(ok|up|info|watch|warn|warning|critical|halted|degraded|recovering|unknown)'";
  const RANK_TABLE =
    /\b(ok|up|info|watch|warn|warning|critical|halted|degraded|recovering)\s*:\s*-?\d+\s*[,}]/;
  const STATUS_LIST = new RegExp(`\\[\\s*${STATUS_WORD}(\\s*,\\s*${STATUS_WORD}){2,}`);
  const isScaleLine = (line: string) => RANK_TABLE.test(line) || STATUS_LIST.test(line);

  test('no app keeps its own severity rank table or status list', () => {
    // Expected status sequences of the chain scenarios (test data the replays assert), not a scale.
    const offending = linesMatching(appSources(), isScaleLine).filter(
      (hit) => !/^packages\/devnet\/src\/chains\/chainScenarios\.ts: .*expectedStatuses/.test(hit),
    );
    expect(offending).toEqual([]);
  });

  test('the scale rule recognises the copies it replaced (so it can fail)', () => {
    for (const copy of [
      'const rank: Record<DistanceLevel, number> = { ok: 0, warn: 1, critical: 2 };',
      "const SEVERITY = ['critical', 'halted', 'degraded', 'warn', 'recovering', 'stale'] as const;",
      "export const chainStatuses = ['up', 'degraded', 'halted', 'recovering', 'unknown'] as const;",
      "      oracleStatus: z.enum(['ok', 'watch', 'warn', 'critical', 'halted', 'unknown']),",
      "    const bad = count(state.chains, ['halted', 'degraded', 'recovering', 'unknown']);",
    ])
      expect(isScaleLine(copy), copy).toBe(true);
    for (const other of [
      "  for (const override of ['halted', 'unknown'] as const) {",
      "      marginMode: z.enum(['cross', 'isolated', 'unknown']),",
      '  info: 0x3b82f6,',
    ])
      expect(isScaleLine(other), other).toBe(false);
  });
});
