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
