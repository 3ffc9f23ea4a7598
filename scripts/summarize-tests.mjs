// Prints vitest's JSON report as one closing line: "N passed, N failed" (", N skipped").
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? '.vitest-reports/results.json';
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (e) {
  console.log(`tests: could not read ${path}: ${e.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0) - 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const line = `${passed} passed, ${report.numFailedTests ?? 0} failed${skipped ? `, ${skipped} skipped` : ''}`;
if ((report.numFailedTestSuites ?? 0) > 0)
  console.log(`tests: ${report.numFailedTestSuites} test files failed to run`);
console.log(line);
process.exit(failed > 0 || report.success === false ? 1 : 0);
