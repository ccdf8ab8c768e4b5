import { resolve } from 'node:path';
import { DEFAULT_MAX_TOKEN_TTL_SECONDS } from '@banca/http-koa';
import type { HttpServerLimits } from '../runtime/http-server';
import { builtConsoleDir } from './console-dir';

/** Everything a process reads from its environment (docs/architecture.md, Configuration), validated before anything connects. */
export interface BancaConfig {
  port: number;
  /** Timeouts and the connection cap of the HTTP server of `api` and `all-in-one`. */
  http: HttpServerLimits;
  /** Real PostgreSQL when set; the embedded PGlite in `dataDir` otherwise. */
  databaseUrl: string | null;
  /** Real RabbitMQ when set; the in-process queue otherwise. */
  rabbitmqUrl: string | null;
  /** Redis job lock when set; the PostgreSQL advisory lock otherwise. */
  redisUrl: string | null;
  /** Prefix of every Redis key this deployment writes, so deployments can share a Redis. */
  redisKeyPrefix: string;
  /** Namespace of the PostgreSQL advisory job locks, so deployments sharing a database do not block each other. */
  advisoryLockNamespace: string;
  /** Null: the embedded default makes one and keeps it in `dataDir`; with `databaseUrl`, processes that check tokens refuse to start. */
  authJwtSecret: string | null;
  /** Tokens valid for longer are refused, whatever their role. */
  authMaxTokenTtlSeconds: number;
  /** When set, `/metrics` answers only scrapes that carry it as a bearer token. */
  metricsToken: string | null;
  dataDir: string;
  /** The operator console's built files, served at `/console` by the api and the all-in-one. */
  consoleDir: string;
  demoData: boolean;
  allowance: {
    queueName: string;
    maxRetries: number;
    retryDelayMs: number;
    missedRuns: 'all' | 'latest';
    prefetch: number;
    /** How long a published run is not published again; longer than the whole retry span. */
    leaseMs: number;
  };
  database: { poolMax: number; statementTimeoutMs: number | null };
  activityLogRetentionDays: number;
  /** How long the run history keeps a finished run (the latest run of each job always stays). */
  cronRunRetentionDays: number;
  shutdownTimeoutMs: number;
  log: { level: 'debug' | 'info' | 'warn' | 'error'; pretty: boolean };
}

/** All the bad values at once, each with its own message, so an operator fixes them in one go. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env, cwd = process.cwd()): BancaConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  // Attempts, the first delivery included: 1 sends a run to the DLQ on its first failure.
  const maxRetries = read.integer('ALLOWANCE_MAX_RETRIES', 5, 1, 100);
  const retryDelayMs = read.integer('ALLOWANCE_RETRY_DELAY_MS', 600_000, 1, 86_400_000);
  // Longer than the whole span of a run's attempts, so a run in retry is not published again meanwhile.
  const defaultLeaseMs = maxRetries * retryDelayMs + 5 * 60_000;
  const config: BancaConfig = {
    port: read.integer('PORT', 3000, 0, 65_535),
    http: read.httpLimits(),
    databaseUrl: read.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    rabbitmqUrl: read.url('RABBITMQ_URL', ['amqp:', 'amqps:']),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    redisKeyPrefix: read.matching('REDIS_KEY_PREFIX', 'banca:', /^[A-Za-z0-9:._-]{1,100}$/, 'letters, digits, ":", ".", "_" and "-" only'),
    advisoryLockNamespace: read.matching('ADVISORY_LOCK_NAMESPACE', 'banca-jobs:job-lock', /^[A-Za-z0-9:._-]{1,100}$/, 'letters, digits, ":", ".", "_" and "-" only'),
    authJwtSecret: read.secret('AUTH_JWT_SECRET', 32),
    authMaxTokenTtlSeconds: read.integer('AUTH_MAX_TOKEN_TTL', DEFAULT_MAX_TOKEN_TTL_SECONDS, 60, 31 * 86_400),
    metricsToken: read.bearerToken('METRICS_TOKEN', 16),
    dataDir: resolve(cwd, read.text('BANCA_DATA_DIR', '.banca-data')),
    consoleDir: resolve(cwd, read.text('CONSOLE_DIR', builtConsoleDir())),
    demoData: read.boolean('BANCA_DEMO_DATA', true),
    allowance: {
      queueName: read.matching('ALLOWANCE_QUEUE_NAME', 'allowance.schedule', /^[A-Za-z0-9._-]{1,200}$/, 'letters, digits, ".", "_" and "-" only'),
      maxRetries,
      retryDelayMs,
      missedRuns: read.oneOf('ALLOWANCE_MISSED_RUNS', ['all', 'latest'] as const, 'all'),
      prefetch: read.integer('ALLOWANCE_PREFETCH', 10, 1, 1000),
      leaseMs: read.integer('ALLOWANCE_LEASE_MS', defaultLeaseMs, 1000, 7 * 86_400_000),
    },
    database: {
      poolMax: read.integer('DB_POOL_MAX', 10, 1, 1000),
      statementTimeoutMs: read.integer('DB_STATEMENT_TIMEOUT_MS', 0, 0, 86_400_000) || null,
    },
    activityLogRetentionDays: read.integer('ACTIVITY_LOG_RETENTION_DAYS', 45, 1, 3650),
    cronRunRetentionDays: read.integer('CRON_RUNS_RETENTION_DAYS', 90, 1, 3650),
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 30_000, 0, 3_600_000),
    log: {
      level: read.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
      pretty: read.oneOf('LOG_FORMAT', ['json', 'pretty'] as const, 'json') === 'pretty',
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  text(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problems.push(`${name}=${JSON.stringify(value)}: expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return Number(value);
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value)) return true;
    if (['false', '0', 'no'].includes(value)) return false;
    this.problems.push(`${name}=${JSON.stringify(value)}: expected true or false`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name}=${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
    return fallback;
  }

  matching(name: string, fallback: string, pattern: RegExp, rule: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (pattern.test(value)) return value;
    this.problems.push(`${name}=${JSON.stringify(value)}: ${rule}`);
    return fallback;
  }

  /** Seconds, not minutes: a client that has not sent its whole request by then is slow or hostile. */
  httpLimits(): HttpServerLimits {
    const limits = {
      headersTimeoutMs: this.integer('HTTP_HEADERS_TIMEOUT_MS', 10_000, 1000, 600_000),
      requestTimeoutMs: this.integer('HTTP_REQUEST_TIMEOUT_MS', 15_000, 1000, 600_000),
      keepAliveTimeoutMs: this.integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5000, 1000, 600_000),
      maxConnections: this.integer('HTTP_MAX_CONNECTIONS', 500, 1, 100_000),
    };
    if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
      this.problems.push(
        `HTTP_HEADERS_TIMEOUT_MS=${limits.headersTimeoutMs} is longer than HTTP_REQUEST_TIMEOUT_MS=${limits.requestTimeoutMs}: the headers are part of the request`,
      );
    }
    return limits;
  }

  url(name: string, protocols: readonly string[]): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.problems.push(`${name}: not a URL (expected ${protocols.map((p) => `${p}//…`).join(' or ')})`);
      return null;
    }
    if (!protocols.includes(parsed.protocol)) {
      this.problems.push(`${name}: the scheme must be ${protocols.map((p) => p.slice(0, -1)).join(' or ')}, not ${parsed.protocol.slice(0, -1)}`);
      return null;
    }
    if (parsed.hostname === '') {
      this.problems.push(`${name}: the URL names no host`);
      return null;
    }
    return value;
  }

  /** A secret sent in `Authorization: Bearer …`: the token68 characters of RFC 7235 only, never echoed. */
  bearerToken(name: string, minLength: number): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    if (value.length < minLength || !/^[A-Za-z0-9._~+/-]+=*$/.test(value)) {
      this.problems.push(`${name}: must be at least ${minLength} characters of letters, digits and "-._~+/" (a bearer token)`);
      return null;
    }
    return value;
  }

  secret(name: string, minLength: number): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    if (value.length < minLength) {
      this.problems.push(`${name}: must be at least ${minLength} characters long (HS256 needs a strong secret)`);
      return null;
    }
    return value;
  }
}
