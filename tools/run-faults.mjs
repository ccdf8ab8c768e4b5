// The fault-injection suite (issue 9): each scenario injects its fault on the real services, then
// checks the database invariants; a table of scenarios, loads, faults and violations is printed.
// Usage: node tools/run-faults.mjs [mocha file globs…]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';

const LOCAL_SERVICES = [
  ['TEST_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/test', 5432],
  ['TEST_RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672', 5672],
  ['TEST_REDIS_URL', 'redis://127.0.0.1:6379', 6379],
];

function listening(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port, timeout: 1000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

const env = {};
for (const [name, url, port] of LOCAL_SERVICES) {
  if (process.env[name]) continue;
  if (await listening(port)) {
    env[name] = url;
    console.log(`${name} unset: using the local service at ${url}`);
  } else {
    console.log(`${name} unset and nothing on port ${port}: Testcontainers will be tried`);
  }
}

const workDir = mkdtempSync(join(tmpdir(), 'banca-faults-'));
const statsFile = join(workDir, 'stats.json');
const reportFile = join(workDir, 'report.json');
const globs = process.argv.slice(2);
const result = spawnSync(process.execPath, [
  'node_modules/mocha/bin/mocha.js',
  '--require', 'tsx/cjs',
  '--require', './packages/scheduler/src/faults/fault-report.faults-helpers.ts',
  '--reporter', './tools/mocha-reporter.cjs',
  '--timeout', '600000',
  '--exit',
  ...(globs.length ? globs : ['packages/scheduler/src/faults/**/*.faults.ts']),
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
console.log(`faults: ${passes} passed, ${failures} failed`);
process.exit(result.status !== 0 || failures > 0 ? 1 : 0);
