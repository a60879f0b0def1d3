import { readdirSync, readFileSync } from 'node:fs';
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
    expect(relativeImports('runtime/createOperations.ts')).toContain('alerts/AlertOutbox.js');
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
