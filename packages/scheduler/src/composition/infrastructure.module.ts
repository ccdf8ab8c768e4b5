import { ContainerModule, type ResolutionContext } from 'inversify';
import Redis from 'ioredis';
import { AmqpAllowanceTransport } from '@banca/adapters-amqp';
import { createPostgresRepositories, InProcessJobLock, openDatabase, PgAdvisoryJobLock } from '@banca/adapters-postgres';
import { RedisJobLock } from '@banca/adapters-redis';
import { createActiveOperations, systemClock, type AllowanceTransport, type JobLock } from '@banca/domain/ports';
import { createJobRunner } from '../jobs/run-job';
import { InProcessAllowanceTransport } from '../worker/in-process-allowance-transport';
import { Closers } from './closers';
import { BancaMetrics } from './metrics';
import { registerRunHistoryGauges } from './run-history-metrics';
import { ServiceIds as Ids } from './service-ids';

/**
 * The backends of a process, chosen from the configuration (the embedded default without URLs):
 * the database (migrated), the job lock, the allowance transport, the repositories and the job
 * runner over them. Each backend registers its close with Closers as it opens.
 */
export const infrastructureModule = new ContainerModule(({ bind }) => {
  bind(Ids.Closers).toResolvedValue((logger) => new Closers(logger), [Ids.Logger]);
  bind(Ids.Clock).toConstantValue(systemClock);
  bind(Ids.ActiveOperations).toResolvedValue(() => createActiveOperations());

  bind(Ids.Database).toDynamicValue(async (context) => {
    const config = context.get(Ids.Config);
    const closers = context.get(Ids.Closers);
    const database = openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolMax: config.database.poolMax,
      statementTimeoutMs: config.database.statementTimeoutMs,
    });
    closers.add('database', () => database.close());
    const applied = await database.migrate();
    if (applied.length > 0) context.get(Ids.Logger).info('DATABASE_MIGRATED', { applied });
    return database;
  });
  bind(Ids.Repositories).toDynamicValue(async (context) => createPostgresRepositories((await context.getAsync(Ids.Database)).knex));

  bind(Ids.Redis).toDynamicValue(async (context) => {
    const config = context.get(Ids.Config);
    if (!config.redisUrl) return null;
    const logger = context.get(Ids.Logger);
    const client = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    client.on('error', (error: Error) => logger.warn('REDIS_ERROR', { error: error.message }));
    await client.connect();
    context.get(Ids.Closers).add('redis', async () => {
      await client.quit().catch(() => client.disconnect());
    });
    return client;
  });
  bind(Ids.JobLock).toDynamicValue(async (context): Promise<JobLock> => {
    const config = context.get(Ids.Config);
    const redis = await context.getAsync(Ids.Redis);
    if (redis) return new RedisJobLock(redis, `${config.redisKeyPrefix}lock:`);
    return config.databaseUrl ? new PgAdvisoryJobLock((await context.getAsync(Ids.Database)).knex, config.advisoryLockNamespace) : new InProcessJobLock();
  });

  bind(Ids.Transport).toDynamicValue(async (context): Promise<AllowanceTransport> => {
    const config = context.get(Ids.Config);
    const logger = context.get(Ids.Logger);
    const { queueName, retryDelayMs } = config.allowance;
    const closers = context.get(Ids.Closers);
    if (!config.rabbitmqUrl) {
      const transport = new InProcessAllowanceTransport({ retryDelayMs, logger });
      closers.add('queue', () => transport.close());
      return transport;
    }
    const transport = new AmqpAllowanceTransport({ url: config.rabbitmqUrl, queueName, retryDelayMs, logger: logger.withLayer('amqp') });
    closers.add('broker', () => transport.close());
    await transport.assertTopology();
    return transport;
  });

  bind(Ids.Backends).toResolvedValue(
    (config, transport: AllowanceTransport) => ({
      database: config.databaseUrl ? 'postgresql' : 'pglite',
      queue: transport.kind,
      lock: config.redisUrl ? 'redis' : config.databaseUrl ? 'postgresql-advisory' : 'in-process',
    }),
    [Ids.Config, Ids.Transport],
  );
  bind(Ids.Readiness).toDynamicValue(async (context) => readinessChecks(context));

  bind(Ids.Metrics).toDynamicValue(async (context) => {
    const transport = await context.getAsync(Ids.Transport);
    const metrics = new BancaMetrics(() => transport.depths());
    const repositories = await context.getAsync(Ids.Repositories);
    metrics.countOpenDeadLetters(() => repositories.deadLetters.countOpen());
    registerRunHistoryGauges(metrics.registry, { cronRuns: repositories.cronRuns, settlementConfig: repositories.settlementConfig, clock: context.get(Ids.Clock) });
    return metrics;
  });
  bind(Ids.JobSettings).toResolvedValue(
    (config) => ({
      activityLogRetentionDays: config.activityLogRetentionDays,
      cronRunRetentionDays: config.cronRunRetentionDays,
      allowance: { leaseMs: config.allowance.leaseMs, missedRuns: config.allowance.missedRuns },
    }),
    [Ids.Config],
  );
  bind(Ids.JobPorts).toDynamicValue(async (context) => ({
    ...(await context.getAsync(Ids.Repositories)),
    clock: context.get(Ids.Clock),
    logger: context.get(Ids.Logger).withLayer('job'),
    jobLock: await context.getAsync(Ids.JobLock),
    activeOperations: context.get(Ids.ActiveOperations),
    allowanceQueue: (await context.getAsync(Ids.Transport)).publisher,
  }));
  bind(Ids.JobRunner).toDynamicValue(async (context) => {
    const metrics = await context.getAsync(Ids.Metrics);
    return createJobRunner(await context.getAsync(Ids.JobPorts), context.get(Ids.JobSettings), (result, seconds) => metrics.jobFinished(result, seconds));
  });
});

/** `/health/ready`: the database, the broker, and Redis when the lock is on it. */
async function readinessChecks(context: ResolutionContext) {
  const database = await context.getAsync(Ids.Database);
  const transport = await context.getAsync(Ids.Transport);
  const redis = await context.getAsync(Ids.Redis);
  return {
    database: async () => {
      await database.knex.raw('SELECT 1');
    },
    broker: async () => {
      await transport.depths();
    },
    ...(redis
      ? {
          redis: async () => {
            await redis.ping();
          },
        }
      : {}),
  };
}
