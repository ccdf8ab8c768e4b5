import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import Redis from 'ioredis';
import {
  advisoryLockKey,
  classifyPostgresError,
  createPgliteKnex,
  createPostgresKnex,
  createPostgresWarmup,
  InProcessJobLock,
  KnexActivityLogRepository,
  KnexAllowanceLedger,
  KnexAllowanceScheduleRepository,
  KnexCronRunRepository,
  KnexJuniorDirectory,
  KnexLoteriaRepository,
  KnexMonthlyClosingRepository,
  KnexReconciliationRepository,
  KnexSettlementConfigRepository,
  KnexSorteoRepository,
  KnexStatementRepository,
  migrateToLatest,
  PgAdvisoryJobLock,
} from '@banca/adapters-postgres';
import { AmqpAllowanceTransport } from '@banca/adapters-amqp';
import { RedisJobLock } from '@banca/adapters-redis';
import {
  createActiveOperations,
  systemClock,
  type ActiveOperations,
  type AllowanceTransport,
  type AllowanceLedger,
  type AllowanceQueue,
  type AllowanceScheduleRepository,
  type Clock,
  type JobLock,
  type JuniorDirectory,
  type Logger,
  type ReconciliationRepository,
  type SettlementConfigRepository,
} from '@banca/domain';
import type { BancaConfig } from '../config/env.config';
import type { JobPorts, JobSettings } from '../jobs/job-ports';
import { InProcessAllowanceTransport } from '../worker/in-process-allowance-transport';

export interface BackendChoice {
  database: 'postgresql' | 'pglite';
  queue: 'rabbitmq' | 'in-process';
  lock: 'redis' | 'postgresql-advisory' | 'in-process';
}

/** The adapters a process runs on, chosen from the configuration (design §8), and how to close them. */
export interface Infrastructure {
  backends: BackendChoice;
  knex: Knex;
  clock: Clock;
  activeOperations: ActiveOperations;
  jobPorts: JobPorts;
  jobSettings: JobSettings;
  allowance: { schedules: AllowanceScheduleRepository; juniors: JuniorDirectory; ledger: AllowanceLedger };
  settlementConfig: SettlementConfigRepository;
  reconciliation: ReconciliationRepository;
  transport: AllowanceTransport;
  /** Health checks of each backend, for /health/ready. */
  readiness: Record<string, () => Promise<void>>;
  /**
   * Cancels every database statement still running: the runs they belong to fail at once and
   * PostgreSQL rolls the statements back. For a shutdown whose timeout passed; absent, nothing to cancel.
   */
  cutOff?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds every adapter this process needs: PostgreSQL or the embedded PGlite, RabbitMQ or the
 * in-process queue, the Redis lock or the PostgreSQL advisory lock. Applies the migrations
 * (idempotent, one instance at a time, so many instances may start at once).
 */
export async function createInfrastructure(config: BancaConfig, logger: Logger): Promise<Infrastructure> {
  const closers: Array<() => Promise<void>> = [];
  try {
    const { knex, cancelRunning, close: closeDatabase } = openDatabase(config);
    closers.push(closeDatabase);
    const applied = config.databaseUrl ? await migrateOneAtATime(knex) : await migrateToLatest(knex);
    if (applied.length > 0) logger.info('DATABASE_MIGRATED', { applied });

    let redis: Redis | null = null;
    let jobLock: JobLock;
    if (config.redisUrl) {
      const client = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
      client.on('error', (error: Error) => logger.warn('REDIS_ERROR', { error: error.message }));
      await client.connect();
      closers.push(async () => {
        await client.quit().catch(() => client.disconnect());
      });
      redis = client;
      jobLock = new RedisJobLock(client, `${config.redisKeyPrefix}lock:`);
    } else {
      jobLock = config.databaseUrl ? new PgAdvisoryJobLock(knex) : new InProcessJobLock();
    }

    const transport: AllowanceTransport = config.rabbitmqUrl
      ? new AmqpAllowanceTransport({
          url: config.rabbitmqUrl,
          queueName: config.allowance.queueName,
          retryDelayMs: config.allowance.retryDelayMs,
          logger: logger.withLayer('amqp'),
        })
      : new InProcessAllowanceTransport({ retryDelayMs: config.allowance.retryDelayMs, logger });
    closers.push(() => transport.close());
    if (transport instanceof AmqpAllowanceTransport) await transport.assertTopology();

    const clock = systemClock;
    const activeOperations = createActiveOperations();
    const ports = knexPorts(knex, { clock, logger: logger.withLayer('job'), jobLock, activeOperations, allowanceQueue: transport.publisher });
    const { jobPorts } = ports;

    const readiness: Record<string, () => Promise<void>> = {
      database: async () => {
        await knex.raw('SELECT 1');
      },
      broker: async () => {
        await transport.depths();
      },
    };
    if (redis) {
      const client = redis;
      readiness['redis'] = async () => {
        await client.ping();
      };
    }

    return {
      backends: {
        database: config.databaseUrl ? 'postgresql' : 'pglite',
        queue: transport.kind,
        lock: config.redisUrl ? 'redis' : config.databaseUrl ? 'postgresql-advisory' : 'in-process',
      },
      knex,
      clock,
      activeOperations,
      jobPorts,
      jobSettings: {
        activityLogRetentionDays: config.activityLogRetentionDays,
        allowance: { leaseMs: config.allowance.leaseMs, missedRuns: config.allowance.missedRuns },
      },
      allowance: ports.allowance,
      settlementConfig: ports.settlementConfig,
      reconciliation: ports.reconciliation,
      transport,
      readiness,
      cutOff: cancelRunning,
      close: () => closeAll(closers, logger),
    };
  } catch (error) {
    await closeAll(closers, logger);
    throw error;
  }
}

/** The repositories and job ports over one PostgreSQL (or PGlite) pool. */
export function knexPorts(
  knex: Knex,
  parts: { clock: Clock; logger: Logger; jobLock: JobLock; activeOperations: ActiveOperations; allowanceQueue: AllowanceQueue },
): { jobPorts: JobPorts; allowance: Infrastructure['allowance']; settlementConfig: SettlementConfigRepository; reconciliation: ReconciliationRepository } {
  const schedules = new KnexAllowanceScheduleRepository(knex);
  const settlementConfig = new KnexSettlementConfigRepository(knex);
  const jobPorts: JobPorts = {
    clock: parts.clock,
    logger: parts.logger,
    warmup: createPostgresWarmup(knex),
    jobLock: parts.jobLock,
    cronRuns: new KnexCronRunRepository(knex),
    classifyError: classifyPostgresError,
    activeOperations: parts.activeOperations,
    loterias: new KnexLoteriaRepository(knex),
    sorteos: new KnexSorteoRepository(knex),
    settlementConfig,
    statements: new KnexStatementRepository(knex),
    closing: new KnexMonthlyClosingRepository(knex),
    activityLogs: new KnexActivityLogRepository(knex),
    allowanceSchedules: schedules,
    allowanceQueue: parts.allowanceQueue,
  };
  return {
    jobPorts,
    allowance: { schedules, juniors: new KnexJuniorDirectory(knex), ledger: new KnexAllowanceLedger(knex) },
    settlementConfig,
    reconciliation: new KnexReconciliationRepository(knex),
  };
}

function openDatabase(config: BancaConfig): { knex: Knex; cancelRunning: () => Promise<void>; close: () => Promise<void> } {
  if (config.databaseUrl) {
    const knex = createPostgresKnex({
      connectionString: config.databaseUrl,
      pool: { max: config.database.poolMax },
      ...(config.database.statementTimeoutMs ? { statementTimeoutMs: config.database.statementTimeoutMs } : {}),
    });
    const cancelRunning = () => cancelStatements(knex, pooledConnectionsInUse(knex));
    return {
      knex,
      cancelRunning,
      // The pool waits for every connection in use before it closes: whatever still runs is cancelled.
      close: async () => {
        const inUse = pooledConnectionsInUse(knex);
        const destroyed = knex.destroy();
        await cancelStatements(knex, inUse);
        await destroyed;
      },
    };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const release = holdDataFolder(config.dataDir);
  try {
    const knex = createPgliteKnex(join(config.dataDir, 'pglite'));
    return {
      knex,
      // PGlite runs in this process: its statements end with it.
      cancelRunning: async () => undefined,
      close: async () => {
        try {
          await knex.destroy();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

interface KnexPoolInternals {
  pool?: { used: Array<{ resource: unknown }> };
  cancelQuery(connection: unknown): Promise<unknown>;
  acquireRawConnection(): Promise<unknown>;
  destroyRawConnection(connection: unknown): Promise<void>;
}

/**
 * knex's migration lock does not cover creating its own tables, so instances starting together on a
 * fresh database fail. A session advisory lock, taken on a connection outside the pool (which may
 * hold a single connection), lets one instance migrate at a time; closing that connection frees it.
 */
async function migrateOneAtATime(knex: Knex): Promise<string[]> {
  const client = knex.client as KnexPoolInternals;
  const connection = await client.acquireRawConnection();
  try {
    await knex.raw('SELECT pg_advisory_lock(?::bigint)', [advisoryLockKey('banca.migrations')]).connection(connection);
    return await migrateToLatest(knex);
  } finally {
    await client.destroyRawConnection(connection);
  }
}

function pooledConnectionsInUse(knex: Knex): unknown[] {
  return ((knex.client as KnexPoolInternals).pool?.used ?? []).map((used) => used.resource);
}

/** `pg_cancel_backend` for each connection, from a connection of its own outside the pool. */
async function cancelStatements(knex: Knex, connections: unknown[]): Promise<void> {
  const client = knex.client as KnexPoolInternals;
  await Promise.all(connections.map((connection) => client.cancelQuery(connection).catch(() => undefined)));
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A pid file refuses that with a clear message; a stale one (its process gone) is taken over.
 */
function holdDataFolder(dataDir: string): () => void {
  const file = join(dataDir, 'pglite.pid');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `the embedded database in ${dataDir} is in use by process ${pid}: use its admin API, stop it first, or set DATABASE_URL for a shared PostgreSQL`,
      );
    }
  }
  writeFileSync(file, String(process.pid));
  return () => {
    if (existsSync(file) && readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Closes in reverse order of opening: the broker and Redis before the pool they may still use. */
async function closeAll(closers: Array<() => Promise<void>>, logger: Logger): Promise<void> {
  for (const close of [...closers].reverse()) {
    await close().catch((error: unknown) => logger.warn('BACKEND_CLOSE_FAIL', { error: error instanceof Error ? error.message : String(error) }));
  }
}
