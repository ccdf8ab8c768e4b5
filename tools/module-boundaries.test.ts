import { expect } from 'chai';
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, filePath) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const importOf = (name: string) => `import * as m from '${name}';\nexport const used = m;\n`;

describe('module boundaries (docs/architecture.md, Packages)', () => {
  for (const banned of ['knex', 'pg', 'amqplib', 'ioredis', 'koa', '@koa/router', 'node-schedule', 'inversify', 'node:fs', 'http']) {
    it(`refuses ${banned} in the domain`, async () => {
      const errors = await restrictedImports('packages/domain/src/probe.ts', importOf(banned));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.contain('the domain is pure');
    });
  }

  for (const workspacePackage of ['@banca/adapters-postgres', '@banca/http-koa', '@banca/scheduler', '@banca/test-support']) {
    it(`refuses ${workspacePackage} in the domain, tests included`, async () => {
      expect(await restrictedImports('packages/domain/src/probe.ts', importOf(workspacePackage))).to.have.length(1);
      expect(await restrictedImports('packages/domain/src/probe.test.ts', importOf(workspacePackage))).to.have.length(1);
    });
  }

  it('lets the domain use js-joda and its own modules', async () => {
    const source = `${importOf('@js-joda/core')}import { x } from './money/money';\nexport const y = x;\n`;
    expect(await restrictedImports('packages/domain/src/probe.ts', source)).to.deep.equal([]);
  });

  it('lets an adapter import the domain and its own technology', async () => {
    const source = `${importOf('@banca/domain')}import knex from 'knex';\nexport const k = knex;\n`;
    expect(await restrictedImports('packages/adapters-postgres/src/probe.ts', source)).to.deep.equal([]);
  });

  const crossings: Array<[string, string]> = [
    ['packages/adapters-postgres/src/probe.ts', '@banca/adapters-redis'],
    ['packages/adapters-postgres/src/probe.ts', 'amqplib'],
    ['packages/adapters-amqp/src/probe.ts', '@banca/adapters-postgres'],
    ['packages/adapters-amqp/src/probe.ts', 'pg'],
    ['packages/adapters-redis/src/probe.ts', 'knex'],
    ['packages/http-koa/src/probe.ts', '@banca/scheduler'],
    ['packages/http-koa/src/probe.ts', 'ioredis'],
    ['packages/http-koa/src/probe.ts', 'inversify'],
  ];
  for (const [file, banned] of crossings) {
    it(`refuses ${banned} in ${file.split('/')[1]}`, async () => {
      const errors = await restrictedImports(file, importOf(banned));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.contain('scheduler package composes adapters');
    });
  }

  it('keeps test support out of production source but lets tests use it', async () => {
    const [errors] = [await restrictedImports('packages/adapters-redis/src/probe.ts', importOf('@banca/test-support'))];
    expect(errors).to.have.length(1);
    expect(errors[0]).to.contain('test support is for test files only');
    expect(await restrictedImports('packages/adapters-redis/src/probe.int.test.ts', importOf('@banca/test-support'))).to.deep.equal([]);
  });

  for (const banned of ['@banca/http-koa', '@banca/domain', 'koa', 'node:fs']) {
    it(`refuses ${banned} in the console, whose pages are .tsx too`, async () => {
      const errors = await restrictedImports('packages/console/src/pages/probe.tsx', importOf(banned));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.contain('talks to the admin API only');
    });
  }

  it('lets the console use its UI libraries', async () => {
    expect(await restrictedImports('packages/console/src/probe.tsx', importOf('@tanstack/react-query'))).to.deep.equal([]);
  });

  it('lets the scheduler compose every package', async () => {
    const source = ['@banca/domain', '@banca/adapters-postgres', '@banca/adapters-amqp', '@banca/adapters-redis', '@banca/http-koa', 'inversify', 'node-schedule']
      .map((name, i) => `import * as m${i} from '${name}';\nexport const u${i} = m${i};\n`).join('');
    expect(await restrictedImports('packages/scheduler/src/probe.ts', source)).to.deep.equal([]);
  });
});

describe('declared workspace dependencies (docs/architecture.md, Packages)', () => {
  const manifest = (dir: string) =>
    JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
  const workspaceDeps = (dir: string) => Object.keys(manifest(dir).dependencies ?? {}).filter((name) => name.startsWith('@banca/'));

  it('the console depends on no workspace package (it reads the API\'s document only when it is built)', () => {
    expect(workspaceDeps('console')).to.deep.equal([]);
  });

  it('the domain depends on no workspace package', () => {
    expect(workspaceDeps('domain')).to.deep.equal([]);
  });

  for (const dir of ['adapters-postgres', 'adapters-amqp', 'adapters-redis', 'http-koa']) {
    it(`${dir} depends on the domain only`, () => {
      expect(workspaceDeps(dir)).to.deep.equal(['@banca/domain']);
    });
  }
});
