import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, runBanca, useBancaCleanup } from './banca-process.test-helpers';

/** A PostgreSQL URL nothing listens on: a process that tried to connect would fail with a connection error instead. */
const UNREACHABLE_DATABASE = 'postgres://nobody@127.0.0.1:1/none';

/** As docs/architecture.md (Configuration) has it: the environment is validated at start-up, every bad value with its own message, before anything connects. */
describe('banca processes refusing their configuration', function () {
  useBancaCleanup();

  it('names every bad value, exits 2 and neither logs, connects nor creates its data folder', async () => {
    const dataDir = join(makeTempDir('config'), 'never-created');
    const result = await runBanca(['start'], {
      BANCA_DATA_DIR: dataDir,
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      RABBITMQ_URL: 'not a url',
      REDIS_URL: 'http://127.0.0.1:6379',
      AUTH_JWT_SECRET: 'too-short',
      ALLOWANCE_MAX_RETRIES: '-1',
      ALLOWANCE_QUEUE_NAME: 'has spaces',
      ALLOWANCE_MISSED_RUNS: 'some',
      SHUTDOWN_TIMEOUT_MS: 'soon',
      BANCA_DEMO_DATA: 'maybe',
      LOG_LEVEL: 'loud',
      LOG_FORMAT: 'fancy',
    });

    expect(result.exit.code, result.describe()).to.equal(2);
    expect(result.stdout).to.equal('');
    const messages = [
      'PORT="eighty": expected a whole number from 0 to 65535',
      'DATABASE_URL: the scheme must be postgres or postgresql, not mysql',
      'RABBITMQ_URL: not a URL',
      'REDIS_URL: the scheme must be redis or rediss, not http',
      'AUTH_JWT_SECRET: must be at least 32 characters long',
      'ALLOWANCE_MAX_RETRIES="-1": expected a whole number from 1 to 100',
      'ALLOWANCE_QUEUE_NAME="has spaces": letters, digits, ".", "_" and "-" only',
      'ALLOWANCE_MISSED_RUNS="some": expected one of all, latest',
      'SHUTDOWN_TIMEOUT_MS="soon": expected a whole number from 0 to 3600000',
      'BANCA_DEMO_DATA="maybe": expected true or false',
      'LOG_LEVEL="loud": expected one of debug, info, warn, error',
      'LOG_FORMAT="fancy": expected one of json, pretty',
    ];
    const problemLines = result.stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(problemLines).to.have.length(messages.length);
    for (const message of messages) expect(problemLines.some((line) => line.includes(message)), `stderr names ${message}\n${result.stderr}`).to.equal(true);
    expect(result.stderr).to.not.include('too-short');
    expect(existsSync(dataDir)).to.equal(false);
  });

  it('refuses one bad value alone the same way', async () => {
    const dataDir = join(makeTempDir('config'), 'never-created');
    const result = await runBanca(['start'], { BANCA_DATA_DIR: dataDir, DB_POOL_MAX: '0' });
    expect(result.exit.code).to.equal(2);
    expect(result.stderr).to.equal('banca: invalid configuration:\n  - DB_POOL_MAX="0": expected a whole number from 1 to 1000\n');
    expect(existsSync(dataDir)).to.equal(false);
  });

  it('refuses an api, an all-in-one or a token on a real database without AUTH_JWT_SECRET (exit 2), before connecting or making a secret', async () => {
    const dataDir = join(makeTempDir('config'), 'never-created');
    const env = { DATABASE_URL: UNREACHABLE_DATABASE, BANCA_DATA_DIR: dataDir };
    const outcomes = await Promise.all([runBanca(['start', 'api'], env), runBanca(['start'], env), runBanca(['token', '--sub', 'ops', '--role', 'admin'], env)]);
    for (const outcome of outcomes) {
      expect(outcome.exit.code, outcome.describe()).to.equal(2);
      expect(outcome.stderr).to.equal(
        "banca: invalid configuration:\n  - AUTH_JWT_SECRET: required with DATABASE_URL (every instance must verify the others' tokens, so none may make its own development secret)\n",
      );
      expect(outcome.stdout).to.equal('');
    }
    expect(existsSync(dataDir)).to.equal(false);
  });

  it('mints no token that would outlive AUTH_MAX_TOKEN_TTL', async () => {
    const env = { BANCA_DATA_DIR: join(makeTempDir('config'), 'data'), AUTH_MAX_TOKEN_TTL: '3600' };
    const [refused, made] = await Promise.all([
      runBanca(['token', '--sub', 'ops', '--role', 'admin', '--expires-in', '3601'], env),
      runBanca(['token', '--sub', 'ops', '--role', 'admin', '--expires-in', '3600'], env),
    ]);
    expect(refused.exit.code, refused.describe()).to.equal(2);
    expect(refused.stderr).to.contain('--expires-in must be whole seconds from 1 to 3600 (AUTH_MAX_TOKEN_TTL)');
    expect(made.exit.code, made.describe()).to.equal(0);
    const { exp, iat } = JSON.parse(Buffer.from(made.stdout.trim().split('.')[1]!, 'base64url').toString('utf8')) as { exp: number; iat: number };
    expect(exp - iat).to.equal(3600);
  });

  it('refuses a scheduler or a worker on the embedded backends as bad configuration (exit 2), naming the URL to set, before connecting', async () => {
    const [worker, scheduler] = await Promise.all([
      runBanca(['start', 'worker'], { DATABASE_URL: UNREACHABLE_DATABASE }),
      runBanca(['start', 'scheduler'], { BANCA_DATA_DIR: join(makeTempDir('config'), 'never-created') }),
    ]);
    expect(worker.exit.code).to.equal(2);
    expect(worker.stderr).to.equal(
      'banca: invalid configuration:\n  - the worker process shares its state through real services: set RABBITMQ_URL (the embedded backends exist only in the all-in-one)\n',
    );
    expect(scheduler.exit.code).to.equal(2);
    expect(scheduler.stderr).to.include('set DATABASE_URL and RABBITMQ_URL');
    expect(worker.stdout + scheduler.stdout).to.equal('');
  });
});
