// Prints one line per package from the JSON reports of vitest and Playwright, then the totals
// as `N passed, N failed`. Exits 1 when a report is missing or any test failed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const rows = [];
const failures = [];
let missing = 0;

// The first lines of a failure message, without ANSI colours: enough to tell which assertion
// failed when only the end of a CI log is kept.
const firstLines = (text) =>
  String(text ?? '')
    .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')
    .split('\n')
    .filter((l) => l.trim() && !l.includes('node_modules') && !l.includes('node:internal'))
    .slice(0, 6)
    .map((l) => `      ${l.trim().slice(0, 200)}`)
    .join('\n');

// Playwright nests suites (file → describe → spec); yields every spec with its title path.
function* playwrightSpecs(suite, path = []) {
  for (const spec of suite.specs ?? []) yield { path: [...path, spec.title], spec };
  for (const child of suite.suites ?? []) yield* playwrightSpecs(child, [...path, child.title]);
}

for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group)).sort()) {
    const dir = join(root, group, name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const scripts = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts ?? {};
    const reports = [];
    if (scripts.test) reports.push(['vitest', join(dir, 'test-results/vitest.json')]);
    if (scripts.e2e) reports.push(['playwright', join(dir, 'test-results/e2e.json')]);
    for (const [runner, file] of reports) {
      const label = `${group}/${name} (${runner})`;
      if (!existsSync(file)) {
        rows.push({
          label,
          passed: 0,
          failed: 0,
          skipped: 0,
          note: 'no report: the runner did not finish',
        });
        missing++;
        continue;
      }
      const r = JSON.parse(readFileSync(file, 'utf8'));
      if (runner === 'vitest') {
        rows.push({
          label,
          passed: r.numPassedTests,
          failed: r.numFailedTests,
          // A file that failed to load (syntax error, failing import) has no assertions at all.
          brokenFiles: r.testResults.filter(
            (f) => f.status === 'failed' && !f.assertionResults.length,
          ).length,
          skipped: r.numPendingTests + r.numTodoTests,
        });
        for (const f of r.testResults) {
          const file = f.name.startsWith(dir) ? f.name.slice(dir.length + 1) : f.name;
          if (f.status === 'failed' && !f.assertionResults.length)
            failures.push(`${group}/${name} ${file} (did not run)\n${firstLines(f.message)}`);
          for (const a of f.assertionResults)
            if (a.status === 'failed')
              failures.push(
                `${group}/${name} ${file} › ${[...a.ancestorTitles, a.title].join(' › ')}\n${firstLines(a.failureMessages?.[0])}`,
              );
        }
      } else {
        const s = r.stats;
        rows.push({
          label,
          passed: s.expected + s.flaky,
          failed: s.unexpected,
          skipped: s.skipped,
          note: s.flaky ? `${s.flaky} flaky` : '',
        });
        for (const suite of r.suites ?? [])
          for (const { path, spec } of playwrightSpecs(suite))
            if (!spec.ok)
              failures.push(
                `${group}/${name} (e2e) ${path.filter(Boolean).join(' › ')}\n${firstLines(spec.tests?.flatMap((t) => t.results ?? []).find((x) => x.error)?.error?.message)}`,
              );
      }
    }
  }
}

if (failures.length) {
  console.log('\n== failed tests');
  for (const f of failures) console.log(`  ✘ ${f}`);
}

const width = Math.max(...rows.map((r) => r.label.length));
console.log('\n== test summary');
for (const r of rows) {
  const line = `${r.label.padEnd(width)}  ${String(r.passed).padStart(4)} passed  ${String(r.failed).padStart(3)} failed  ${String(r.skipped).padStart(3)} skipped`;
  const note = r.brokenFiles ? `${r.brokenFiles} file(s) failed to run` : r.note;
  console.log(note ? `${line}  (${note})` : line);
}
const sum = (k) => rows.reduce((a, r) => a + (r[k] ?? 0), 0);
const passed = sum('passed');
const failed = sum('failed');
const broken = sum('brokenFiles');
console.log(`${passed} passed, ${failed} failed, ${sum('skipped')} skipped`);
if (missing || broken)
  console.log(`${missing} missing report(s), ${broken} test file(s) that failed to run`);
process.exit(failed || missing || broken || passed === 0 ? 1 : 0);
