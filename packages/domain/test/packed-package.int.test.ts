import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PACKAGE = resolve(__dirname, '..');
const ROOT = resolve(PACKAGE, '..', '..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/**
 * The package as another banca service gets it: `npm pack` of the build, installed in a scratch
 * project, then its three entry points loaded from CommonJS, from ESM, and type-checked by TypeScript
 * with `node16` and `bundler` resolution.
 */
describe('@banca/domain, packed and installed in a scratch project', function () {
  this.timeout(180_000);
  let scratch: string;
  // As another service runs it: without this repository's source condition in NODE_OPTIONS.
  const env = { ...process.env, NODE_OPTIONS: '' };
  const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: scratch, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'banca-domain-pack-'));
    run('npm', ['pack', PACKAGE, '--pack-destination', scratch, '--silent']);
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'))!;
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    // chai is the optional peer of @banca/domain/testing (its contract suites assert with it).
    run('npm', ['install', `./${tarball}`, 'chai@6', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock']);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('ships the build and nothing of the source or the tests', () => {
    const listed = run('tar', ['-tzf', readdirSync(scratch).find((name) => name.endsWith('.tgz'))!]).split('\n').filter(Boolean);
    expect(listed).to.include.members(['package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/ports.js', 'package/dist/testing/index.js']);
    expect(listed.filter((file) => file.startsWith('package/src/') || /\.test(-helpers)?\.(js|d\.ts)$/.test(file))).to.deep.equal([]);
  });

  it('loads from CommonJS', () => {
    writeFileSync(
      join(scratch, 'check.cjs'),
      `const domain = require('@banca/domain');
       const ports = require('@banca/domain/ports');
       const testing = require('@banca/domain/testing');
       console.log(JSON.stringify([domain.toCRDateString(new Date('2025-01-01T05:59:00Z')), domain.Money.parse('1500.30').toString(),
         typeof ports.fixedClock, typeof testing.settlementPortsContract, typeof domain.fixedClock]));`,
    );
    expect(JSON.parse(run('node', ['check.cjs']))).to.deep.equal(['2024-12-31', '1500.30', 'function', 'function', 'undefined']);
  });

  it('loads from ESM with named imports', () => {
    writeFileSync(
      join(scratch, 'check.mjs'),
      `import { toCRDateString, Money, JOBS } from '@banca/domain';
       import { fixedClock } from '@banca/domain/ports';
       console.log(JSON.stringify([toCRDateString(new Date('2025-01-01T06:00:00Z')), Money.parse('2.5').toString(), JOBS.settlement.cron, fixedClock(new Date(0)).now().toISOString()]));`,
    );
    expect(JSON.parse(run('node', ['check.mjs']))).to.deep.equal(['2025-01-01', '2.50', '0 3 * * *', '1970-01-01T00:00:00.000Z']);
  });

  for (const [moduleKind, resolution] of [['node16', 'node16'], ['esnext', 'bundler']] as const) {
    it(`type-checks from TypeScript with moduleResolution ${resolution}`, () => {
      writeFileSync(
        join(scratch, 'check.ts'),
        `import { Money, toCRDateString, type JobName } from '@banca/domain';
         import type { Clock, StatementRepository } from '@banca/domain/ports';
         import { settlementPortsContract } from '@banca/domain/testing';
         const clock: Clock = { now: () => new Date() };
         const job: JobName = 'settlement';
         const amount: string = Money.parse('1.00').toString();
         const day: string = toCRDateString(clock.now());
         export const used = [job, amount, day, settlementPortsContract] as const;
         export type Used = StatementRepository;`,
      );
      writeFileSync(
        join(scratch, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { module: moduleKind, moduleResolution: resolution, target: 'es2022', strict: true, noEmit: true, types: [], skipLibCheck: false }, files: ['check.ts'] }),
      );
      run(process.execPath, [TSC, '-p', 'tsconfig.json']);
    });
  }
});
