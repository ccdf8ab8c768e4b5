import { expect } from 'chai';
import { builtConsoleDir } from './console-dir';
import { ConfigError, loadConfig } from './env.config';

describe('loadConfig', () => {
  it('needs no configuration at all: the embedded default', () => {
    const config = loadConfig({}, '/srv/banca');
    expect(config).to.deep.include({
      port: 3000,
      databaseUrl: null,
      rabbitmqUrl: null,
      redisUrl: null,
      redisKeyPrefix: 'banca:',
      authJwtSecret: null,
      dataDir: '/srv/banca/.banca-data',
      demoData: true,
      activityLogRetentionDays: 45,
      cronRunRetentionDays: 90,
      shutdownTimeoutMs: 30_000,
      authMaxTokenTtlSeconds: 86_400,
      metricsToken: null,
    });
    expect(config.allowance).to.deep.equal({
      queueName: 'allowance.schedule',
      maxRetries: 5,
      retryDelayMs: 600_000,
      missedRuns: 'all',
      prefetch: 10,
      leaseMs: 5 * 600_000 + 300_000,
    });
    expect(config.log).to.deep.equal({ level: 'info', pretty: false });
    expect(config.consoleDir).to.equal(builtConsoleDir());
    expect(loadConfig({ CONSOLE_DIR: 'web' }, '/srv/banca').consoleDir).to.equal('/srv/banca/web');
    expect(config.http).to.deep.equal({ headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, keepAliveTimeoutMs: 5000, maxConnections: 500 });
  });

  it('reads the HTTP server limits, and refuses headers allowed longer than the whole request', () => {
    const env = { HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_REQUEST_TIMEOUT_MS: '4000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '3000', HTTP_MAX_CONNECTIONS: '50' };
    expect(loadConfig(env).http).to.deep.equal({ headersTimeoutMs: 2000, requestTimeoutMs: 4000, keepAliveTimeoutMs: 3000, maxConnections: 50 });
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '20000' }))
      .to.throw(ConfigError)
      .with.property('problems')
      .that.deep.equals(['HTTP_HEADERS_TIMEOUT_MS=20000 is longer than HTTP_REQUEST_TIMEOUT_MS=15000: the headers are part of the request']);
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: '0', HTTP_REQUEST_TIMEOUT_MS: '300s' }))
      .to.throw(ConfigError)
      .with.property('problems')
      .that.deep.equals(['HTTP_REQUEST_TIMEOUT_MS="300s": expected a whole number from 1000 to 600000', 'HTTP_MAX_CONNECTIONS="0": expected a whole number from 1 to 100000']);
  });

  it('reads the real services and tuning from the environment', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://banca@db:5432/banca',
      RABBITMQ_URL: 'amqp://guest:guest@mq:5672',
      REDIS_URL: 'redis://cache:6379',
      AUTH_JWT_SECRET: 'x'.repeat(40),
      ALLOWANCE_MAX_RETRIES: '3',
      ALLOWANCE_RETRY_DELAY_MS: '1000',
      ALLOWANCE_MISSED_RUNS: 'latest',
      LOG_FORMAT: 'pretty',
    });
    expect(config).to.deep.include({ port: 8080, databaseUrl: 'postgres://banca@db:5432/banca', redisUrl: 'redis://cache:6379' });
    expect(config.allowance).to.deep.include({ maxRetries: 3, retryDelayMs: 1000, missedRuns: 'latest', leaseMs: 3 * 1000 + 300_000 });
    expect(config.log.pretty).to.equal(true);
  });

  it('reports every bad value with its own message', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://db/banca',
        RABBITMQ_URL: 'not a url',
        REDIS_URL: 'redis://',
        AUTH_JWT_SECRET: 'short',
        ALLOWANCE_MAX_RETRIES: '-1',
        ALLOWANCE_RETRY_DELAY_MS: '1.5',
        ALLOWANCE_MISSED_RUNS: 'some',
        ALLOWANCE_QUEUE_NAME: 'bad name!',
        SHUTDOWN_TIMEOUT_MS: '99999999999',
        LOG_LEVEL: 'verbose',
        BANCA_DEMO_DATA: 'maybe',
        AUTH_MAX_TOKEN_TTL: '1e300',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).to.have.length(13);
    expect(problems).to.include.members([
      'PORT="eighty": expected a whole number from 0 to 65535',
      'DATABASE_URL: the scheme must be postgres or postgresql, not mysql',
      'RABBITMQ_URL: not a URL (expected amqp://… or amqps://…)',
      'REDIS_URL: the URL names no host',
      'AUTH_JWT_SECRET: must be at least 32 characters long (HS256 needs a strong secret)',
      'ALLOWANCE_MAX_RETRIES="-1": expected a whole number from 1 to 100',
      'ALLOWANCE_MISSED_RUNS="some": expected one of all, latest',
      'LOG_LEVEL="verbose": expected one of debug, info, warn, error',
      'AUTH_MAX_TOKEN_TTL="1e300": expected a whole number from 60 to 2678400',
    ]);
    expect((error as Error).message).to.contain('invalid configuration:');
  });

  it('never echoes a secret in its messages', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'tooshort-but-secret' }))
      .to.throw(ConfigError, 'AUTH_JWT_SECRET')
      .with.property('message')
      .that.does.not.contain('tooshort-but-secret');
    for (const token of ['short-token', 'a metrics token with spaces']) {
      expect(() => loadConfig({ METRICS_TOKEN: token }))
        .to.throw(ConfigError, 'METRICS_TOKEN: must be at least 16 characters of letters, digits and "-._~+/" (a bearer token)')
        .with.property('message')
        .that.does.not.contain(token);
    }
    expect(loadConfig({ METRICS_TOKEN: 'scrape-0123456789abcdef==' }).metricsToken).to.equal('scrape-0123456789abcdef==');
  });
});
