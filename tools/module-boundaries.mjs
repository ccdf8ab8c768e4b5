// Module boundaries (docs/architecture.md), enforced by ESLint's no-restricted-imports:
// the domain is pure; adapters and drivers import the domain, never each other nor
// another adapter's technology; only the scheduler package composes everything;
// @banca/test-support is for test files and testing/ folders only; nothing imports the suites.

const withNodePrefix = (names) => names.flatMap((name) => [name, `node:${name}`]);

const IO_BUILTINS = withNodePrefix([
  'fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'tls',
  'child_process', 'cluster', 'worker_threads', 'readline',
]);

const TECHNOLOGIES = {
  postgres: ['knex', 'pg', 'pg-*', '@electric-sql/*', 'knex-pglite'],
  amqp: ['amqplib', 'amqplib/*'],
  redis: ['ioredis'],
  http: ['koa', 'koa-*', '@koa/*'],
  wiring: ['node-schedule', 'inversify', 'reflect-metadata'],
};

const PACKAGES = {
  domain: '@banca/domain',
  'adapters-postgres': '@banca/adapters-postgres',
  'adapters-amqp': '@banca/adapters-amqp',
  'adapters-redis': '@banca/adapters-redis',
  'http-koa': '@banca/http-koa',
  scheduler: '@banca/scheduler',
  suites: '@banca/suites',
};
const TEST_SUPPORT = '@banca/test-support';

const otherPackages = (...allowed) =>
  Object.values(PACKAGES).filter((name) => !allowed.includes(name));
const otherTechnologies = (own) =>
  Object.entries(TECHNOLOGIES).filter(([key]) => key !== own).flatMap(([, names]) => names);

const DOMAIN_MESSAGE = 'the domain is pure: no workspace package and nothing that does I/O (docs/architecture.md, Packages)';
const ADAPTER_MESSAGE =
  'an adapter imports @banca/domain and its own technology only; the scheduler package composes adapters (docs/architecture.md, Packages)';

/** What each package's source may not import, with the reason shown in the lint error. */
export const RESTRICTIONS = {
  domain: { patterns: [...otherPackages(), TEST_SUPPORT, ...Object.values(TECHNOLOGIES).flat(), ...IO_BUILTINS], message: DOMAIN_MESSAGE },
  'adapters-postgres': { patterns: [...otherPackages(PACKAGES.domain), ...otherTechnologies('postgres')], message: ADAPTER_MESSAGE },
  'adapters-amqp': { patterns: [...otherPackages(PACKAGES.domain), ...otherTechnologies('amqp')], message: ADAPTER_MESSAGE },
  'adapters-redis': { patterns: [...otherPackages(PACKAGES.domain), ...otherTechnologies('redis')], message: ADAPTER_MESSAGE },
  'http-koa': { patterns: [...otherPackages(PACKAGES.domain), ...otherTechnologies('http')], message: ADAPTER_MESSAGE },
  scheduler: { patterns: [PACKAGES.suites], message: 'the suites test the product; nothing that ships imports them' },
  suites: { patterns: [], message: '' },
  console: {
    patterns: [...Object.values(PACKAGES), TEST_SUPPORT, ...Object.values(TECHNOLOGIES).flat(), ...IO_BUILTINS],
    message: 'the console is a web app that talks to the admin API only: no server code, no workspace package (docs/architecture.md, Packages)',
  },
};

const rule = (groups) => ({
  'no-restricted-imports': ['error', { patterns: groups.filter((g) => g.group.length > 0) }],
});
// A package's `testing/` folder is its test support for other packages (a `./testing` export).
const TEST_FILES = ['**/*.test.ts', '**/*.test-helpers.ts', '**/*.faults.ts', '**/*.faults-helpers.ts', '**/testing/**/*.ts'];

export const moduleBoundaries = Object.entries(RESTRICTIONS).flatMap(([dir, { patterns, message }]) => [
  {
    files: [`packages/${dir}/src/**/*.ts`, `packages/${dir}/src/**/*.tsx`],
    ignores: TEST_FILES,
    rules: rule([
      { group: patterns, message },
      { group: patterns.includes(TEST_SUPPORT) ? [] : [TEST_SUPPORT], message: 'test support is for test files only' },
    ]),
  },
  {
    files: TEST_FILES.map((glob) => `packages/${dir}/src/${glob}`),
    rules: rule([{ group: patterns, message }]),
  },
]);
