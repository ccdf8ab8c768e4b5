// The test target of one project (its Nx `test`, `test:unit` and `test:integration`), run from the
// project's folder: unit tests (`*.test.ts`) under several process time zones, then integration tests
// (`*.int.test.ts`) on the real services. The counts go to .test-results/<mode>.json, which Nx keeps
// as the target's output so a cached run still reports them.
// Usage (cwd = a project): node ../../tools/run-project-tests.mjs [unit|integration|all]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localServiceEnv } from './local-services.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const project = process.cwd();
const mode = process.argv[2] ?? 'all';
if (!['unit', 'integration', 'all'].includes(mode)) {
  console.error(`unknown mode "${mode}": use unit, integration or all`);
  process.exit(2);
}

// Business results must not depend on the process time zone: each unit suite runs under these.
const UNIT_TIME_ZONES = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati'];

function testFiles(dir, found = []) {
  for (const entry of readdirSync(dir)) {
    if (['node_modules', 'dist', '.test-results'].includes(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) testFiles(path, found);
    else if (entry.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const files = testFiles(project).sort();
const unitFiles = files.filter((file) => !file.endsWith('.int.test.ts'));
const integrationFiles = files.filter((file) => file.endsWith('.int.test.ts'));
const resultsDir = join(project, '.test-results');
mkdirSync(resultsDir, { recursive: true });
const totals = { passes: 0, failures: 0, pending: 0 };

function mocha(label, list, env) {
  if (list.length === 0) return;
  console.log(`\n=== ${relative(ROOT, project)}: ${label} ===`);
  const statsFile = join(resultsDir, 'mocha-run.json');
  rmSync(statsFile, { force: true });
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/mocha/bin/mocha.js'), '--require', 'tsx/cjs', '--reporter', join(ROOT, 'tools/mocha-reporter.cjs'), '--timeout', '60000', '--exit', ...list],
    {
      stdio: 'inherit',
      cwd: ROOT,
      env: { ...process.env, ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --conditions=@banca/source`.trim(), BANCA_TEST_STATS: statsFile },
    },
  );
  // Without a stats file mocha itself crashed before reporting: that counts as a failure.
  const stats = existsSync(statsFile) ? JSON.parse(readFileSync(statsFile, 'utf8')) : { passes: 0, failures: 1, pending: 0 };
  rmSync(statsFile, { force: true });
  if (result.status !== 0 && stats.failures === 0) stats.failures = 1;
  for (const key of Object.keys(totals)) totals[key] += stats[key];
}

if (mode !== 'integration') for (const tz of UNIT_TIME_ZONES) mocha(`unit tests (TZ=${tz})`, unitFiles, { TZ: tz });
if (mode !== 'unit') mocha('integration tests (real PostgreSQL, RabbitMQ, Redis)', integrationFiles, integrationFiles.length ? await localServiceEnv() : {});

writeFileSync(join(resultsDir, `${mode}.json`), JSON.stringify(totals));
process.exit(totals.failures > 0 ? 1 : 0);
