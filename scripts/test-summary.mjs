// Adds up the vitest JSON reports of every workspace package and prints one closing line
// ("N passed, N failed"), so a run's outcome is readable without scrolling through turbo's logs.
// With --clean it removes old reports first, so a summary never counts a stale run.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = ['packages', 'apps', 'test']
  .flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).map((d) => join(root, group, d)) : [],
  )
  .map((dir) => join(dir, '.vitest-report.json'))
  .filter((file) => existsSync(file));

if (process.argv.includes('--clean')) {
  for (const file of reports) rmSync(file);
  process.exit(0);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of reports) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
console.log(`\n${reports.length} packages tested`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
