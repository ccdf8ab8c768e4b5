// The test command: typecheck, lint, unit tests under several TZ values, integration tests.
// Usage: node tools/run-tests.mjs [unit|integration|all]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localServiceEnv } from './local-services.mjs';

const which = process.argv[2] ?? 'all';
if (!['unit', 'integration', 'all'].includes(which)) {
  console.error(`unknown suite "${which}": use unit, integration or all`);
  process.exit(2);
}

// Business results must not depend on the process time zone (design §2): the unit suite runs under each.
const UNIT_TIME_ZONES = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati'];
const statsDir = mkdtempSync(join(tmpdir(), 'banca-tests-'));
const totals = { passes: 0, failures: 0, pending: 0 };
const failedSteps = [];
let step = 0;

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) failedSteps.push(label);
  return result.status === 0;
}

function mocha(label, globs, env) {
  const statsFile = join(statsDir, `${++step}.json`);
  run(label, process.execPath, [
    'node_modules/mocha/bin/mocha.js',
    '--require', 'tsx/cjs',
    '--reporter', './tools/mocha-reporter.cjs',
    '--timeout', '60000',
    '--exit',
    ...globs,
  ], {
    ...env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --conditions=@banca/source`.trim(),
    BANCA_TEST_STATS: statsFile,
  });
  if (existsSync(statsFile)) {
    const stats = JSON.parse(readFileSync(statsFile, 'utf8'));
    totals.passes += stats.passes;
    totals.failures += stats.failures;
    totals.pending += stats.pending;
  } else {
    totals.failures += 1; // the runner itself crashed before reporting
  }
}

const UNIT = ["packages/*/src/**/*.test.ts", 'tools/**/*.test.ts', '--ignore', 'packages/*/src/**/*.int.test.ts'];
const INTEGRATION = ['packages/*/src/**/*.int.test.ts'];

if (which !== 'integration') {
  run('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
  run('lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '.', '--max-warnings=0']);
  for (const tz of UNIT_TIME_ZONES) mocha(`unit tests (TZ=${tz})`, UNIT, { TZ: tz });
}
if (which !== 'unit') mocha('integration tests (real PostgreSQL, RabbitMQ, Redis)', INTEGRATION, await localServiceEnv());

rmSync(statsDir, { recursive: true, force: true });
console.log('');
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
const skipped = totals.pending ? `, ${totals.pending} skipped` : '';
console.log(`tests: ${totals.passes} passed, ${totals.failures} failed${skipped}`);
process.exit(failedSteps.length || totals.failures ? 1 : 0);
