// The fault-injection suite (the suites package's Nx `faults` target): each scenario injects its fault
// on the real services, then checks the database invariants; a table of scenarios, loads, faults and
// violations is printed, and the counts kept in packages/suites/.test-results/faults.json.
// Usage: node tools/run-faults.mjs [mocha file globs…]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localServiceEnv } from './local-services.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);

const env = await localServiceEnv();

const workDir = mkdtempSync(join(tmpdir(), 'banca-faults-'));
const statsFile = join(workDir, 'stats.json');
const reportFile = join(workDir, 'report.json');
const globs = process.argv.slice(2);
const result = spawnSync(process.execPath, [
  'node_modules/mocha/bin/mocha.js',
  '--require', 'tsx/cjs',
  '--require', './packages/suites/src/faults/fault-report.faults-helpers.ts',
  '--reporter', './tools/mocha-reporter.cjs',
  '--timeout', '600000',
  '--exit',
  ...(globs.length ? globs : ['packages/suites/src/faults/**/*.faults.ts']),
], {
  stdio: 'inherit',
  env: {
    ...process.env,
    ...env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --conditions=@banca/source`.trim(),
    BANCA_TEST_STATS: statsFile,
    FAULTS_REPORT: reportFile,
  },
});

// Without a stats file mocha itself crashed before reporting: that counts as a failure.
const stats = existsSync(statsFile) ? JSON.parse(readFileSync(statsFile, 'utf8')) : { passes: 0, failures: 1 };
const passes = stats.passes;
let failures = stats.failures;
let violations = 0;
if (existsSync(reportFile)) {
  for (const row of JSON.parse(readFileSync(reportFile, 'utf8'))) violations += row.violations;
}
rmSync(workDir, { recursive: true, force: true });
if (violations > 0 && failures === 0) failures = 1;
const results = join(ROOT, 'packages/suites/.test-results');
mkdirSync(results, { recursive: true });
writeFileSync(join(results, 'faults.json'), JSON.stringify({ passes, failures, pending: stats.pending ?? 0, violations }));
console.log(`faults: ${passes} passed, ${failures} failed`);
process.exit(result.status !== 0 || failures > 0 ? 1 : 0);
