// The README's test command: every project's typecheck, lint and tests as Nx targets (cached: a project
// whose inputs did not change is not run again), the build npm start runs, the dependency check and the
// public-API checks, then one summary line of every test, cached or not.
// Usage: node tools/run-tests.mjs [unit|integration|all]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const which = process.argv[2] ?? 'all';
if (!['unit', 'integration', 'all'].includes(which)) {
  console.error(`unknown suite "${which}": use unit, integration or all`);
  process.exit(2);
}
const target = which === 'all' ? 'test' : `test:${which}`;
const failedSteps = [];

function step(label, args) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: ROOT });
  if (result.status !== 0) failedSteps.push(label);
}

const nx = (...args) => [join(ROOT, 'node_modules/nx/bin/nx.js'), ...args, '--output-style=stream'];

if (which !== 'integration') {
  step('typecheck and lint (Nx)', nx('run-many', '-t', 'typecheck', 'lint', '--parallel=2'));
  // What `npm start` builds must build: the production configurations differ from the typecheck ones.
  step('build (Nx)', nx('run-many', '-t', 'build', '--parallel=2'));
  step('dependency check', [join(ROOT, 'tools/check-dependencies.mjs')]);
  // A change of @banca/domain's public surface must come with its API report (npm run api-report:update -w @banca/domain).
  step('public API report (Nx)', nx('run-many', '-t', 'api-report'));
}
// Each project's counts are written by its run, or restored by Nx from the cache: none is left from before.
const { workspaces } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const resultFiles = workspaces.map((workspace) => join(ROOT, workspace, '.test-results', `${which}.json`));
for (const file of resultFiles) rmSync(file, { force: true });
// Integration tests share the machine's services and their timing: one project at a time.
step(`${target} (Nx)`, nx('run-many', '-t', target, '--parallel=1'));

const totals = { passes: 0, failures: 0, pending: 0 };
for (const file of resultFiles) {
  if (!existsSync(file)) continue;
  const stats = JSON.parse(readFileSync(file, 'utf8'));
  for (const key of Object.keys(totals)) totals[key] += stats[key];
}

console.log('');
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
const skipped = totals.pending ? `, ${totals.pending} skipped` : '';
console.log(`tests: ${totals.passes} passed, ${totals.failures} failed${skipped}`);
process.exit(failedSteps.length || totals.failures ? 1 : 0);
