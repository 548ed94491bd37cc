// Prints vitest's JSON report as a plain closing block: every failed test by file and name with the
// first line of its failure, then "tests: N passed, N failed, N skipped". It is the last thing
// `make test` prints, so a CI log cut to its tail still names what failed.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2] ?? '.run/vitest-report.json', 'utf8'));
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const plain = (s) => String(s ?? '').replace(/\x1b\[[0-9;]*m/g, '');
for (const file of report.testResults ?? []) {
  const name = plain(file.name).replace(`${process.cwd()}/`, '');
  const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
  // A file that failed outside its tests (import error, hook timeout) has no failed test of its own.
  if (file.status === 'failed' && failed.length === 0) console.log(`FAILED ${name}: ${plain(file.message).split('\n')[0].slice(0, 300)}`);
  for (const t of failed) console.log(`FAILED ${name} > ${t.fullName}: ${plain(t.failureMessages?.[0]).split('\n')[0].slice(0, 300)}`);
}
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(report.numFailedTests > 0 || report.numTotalTests === 0 || report.success === false ? 1 : 0);
