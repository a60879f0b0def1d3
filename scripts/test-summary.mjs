// Prints one line per package from the JSON reports of vitest and Playwright, then the totals
// as `N passed, N failed`. Exits 1 when a report is missing or any test failed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const rows = [];
let missing = 0;

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
      } else {
        const s = r.stats;
        rows.push({
          label,
          passed: s.expected + s.flaky,
          failed: s.unexpected,
          skipped: s.skipped,
          note: s.flaky ? `${s.flaky} flaky` : '',
        });
      }
    }
  }
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
