import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain ES module of the tools, without types
import { importsOf, problemsOf } from './check-dependencies.mjs';

describe('the dependency check', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
    return join(root, path);
  };
  const check = (files: string[], manifest: Record<string, unknown>) =>
    problemsOf({ dir: join(root, 'packages', 'scheduler'), manifest: { name: '@banca/scheduler', ...manifest }, rootManifest: { devDependencies: { chai: '6' } }, files, root }) as string[];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dependency-check-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds imports, re-exports, side-effect imports and requires, not those in comments', () => {
    const text = [
      "import { a } from '@banca/domain';",
      "export { b } from './b';",
      "import 'reflect-metadata';",
      "const c = require('ioredis');",
      "// import { d } from 'commented-out';",
      "/* import { e } from 'also-commented'; */",
      "import type { F } from '@banca/domain/testing';",
    ].join('\n');
    expect(importsOf(text)).to.deep.equal(['@banca/domain', './b', 'reflect-metadata', 'ioredis', '@banca/domain/testing']);
  });

  it('refuses a workspace package the source does not declare, and a test support only declared for tests', () => {
    const service = write('packages/scheduler/src/service.ts', "import { x } from '@banca/test-support';\nimport { y } from '@banca/domain';\n");
    const test = write('packages/scheduler/src/service.test.ts', "import { x } from '@banca/test-support';\nimport { expect } from 'chai';\n");
    const problems = check([service, test], { dependencies: { '@banca/domain': '0.1.0' }, devDependencies: { '@banca/test-support': '0.1.0' } });
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain('packages/scheduler/src/service.ts: imports the workspace package @banca/test-support, which packages/scheduler/package.json does not declare as a dependency');
  });

  it('refuses a relative import that leaves the package, and lets Node built-ins and the package itself pass', () => {
    const file = write(
      'packages/scheduler/src/deep/file.ts',
      "import { a } from '../../../adapters-postgres/src/x';\nimport { b } from '../sibling';\nimport { readFileSync } from 'node:fs';\nimport { join } from 'path';\nimport { c } from '@banca/scheduler/testing';\n",
    );
    const problems = check([file], {});
    expect(problems).to.deep.equal(['packages/scheduler/src/deep/file.ts: imports ../../../adapters-postgres/src/x, outside its package: import the other package by name']);
  });
});
