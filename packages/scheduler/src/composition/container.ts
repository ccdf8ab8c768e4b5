import 'reflect-metadata';
import { Container } from 'inversify';
import { adminRoutes, allowanceRoutes, createHttpApp, healthRoutes, metricsRoute, reconciliationRoutes } from '@banca/http-koa';
import type { JobName, Logger } from '@banca/domain';
import type { BancaConfig } from '../config/env.config';
import { runJobWith, type RunJobOptions } from '../jobs/run-job';
import { JobScheduler } from '../jobs/job-scheduler';
import { adminOperations } from '../admin/admin-operations';
import { AllowanceWorker } from '../runtime/allowance-worker';
import { HttpServer } from '../runtime/http-server';
import { resolveAuthSecret } from './auth-secret';
import { createInfrastructure, type Infrastructure } from './infrastructure';
import { BancaMetrics } from './metrics';
import { TOKENS } from './tokens';

/** The long-running processes, plus `cli` for one-off commands (jobs run, dlq replay, seed). */
export type ProcessKind = 'all-in-one' | 'api' | 'scheduler' | 'worker' | 'cli';

export type RunJob = (name: string, options?: RunJobOptions) => ReturnType<typeof runJobWith>;

/**
 * The composition root of one process (design §1): the only place adapters are built. Every
 * service is a singleton; unbinding the container closes the infrastructure.
 */
export function createProcessContainer(kind: ProcessKind, config: BancaConfig, logger: Logger): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<BancaConfig>(TOKENS.Config).toConstantValue(config);
  container.bind<Logger>(TOKENS.Logger).toConstantValue(logger);

  container
    .bind<Infrastructure>(TOKENS.Infrastructure)
    .toResolvedValue(() => createInfrastructure(config, logger))
    .onDeactivation((infrastructure) => infrastructure.close());

  container.bind<{ secret: string; source: string }>(TOKENS.AuthSecret).toResolvedValue(() => resolveAuthSecret(config));

  container.bind<BancaMetrics>(TOKENS.Metrics).toDynamicValue(async (context) => {
    const infrastructure = await context.getAsync<Infrastructure>(TOKENS.Infrastructure);
    return new BancaMetrics(() => infrastructure.transport.depths());
  });

  container.bind<RunJob>(TOKENS.RunJob).toDynamicValue(async (context) => {
    const infrastructure = await context.getAsync<Infrastructure>(TOKENS.Infrastructure);
    const metrics = await context.getAsync<BancaMetrics>(TOKENS.Metrics);
    return async (name, options = {}) => {
      const started = process.hrtime.bigint();
      const result = await runJobWith(infrastructure.jobPorts, infrastructure.jobSettings, name, options);
      metrics.jobFinished(result, Number(process.hrtime.bigint() - started) / 1e9);
      return result;
    };
  });

  container.bind<JobScheduler>(TOKENS.JobScheduler).toDynamicValue(async (context) => {
    const infrastructure = await context.getAsync<Infrastructure>(TOKENS.Infrastructure);
    const runJob = await context.getAsync<RunJob>(TOKENS.RunJob);
    return new JobScheduler({
      runScheduled: (name: JobName) => runJob(name, { trigger: 'schedule' }),
      readSettlementCron: async () => (await infrastructure.settlementConfig.get()).cronSchedule,
      logger: logger.withLayer('scheduler'),
    });
  });

  container.bind<AllowanceWorker>(TOKENS.AllowanceWorker).toDynamicValue(async (context) => {
    const infrastructure = await context.getAsync<Infrastructure>(TOKENS.Infrastructure);
    const metrics = await context.getAsync<BancaMetrics>(TOKENS.Metrics);
    return new AllowanceWorker(infrastructure, {
      maxRetries: config.allowance.maxRetries,
      prefetch: config.allowance.prefetch,
      logger: logger.withLayer('worker'),
      metrics,
    });
  });

  container.bind<HttpServer>(TOKENS.HttpServer).toDynamicValue(async (context) => {
    const infrastructure = await context.getAsync<Infrastructure>(TOKENS.Infrastructure);
    const metrics = await context.getAsync<BancaMetrics>(TOKENS.Metrics);
    const runJob = await context.getAsync<RunJob>(TOKENS.RunJob);
    const { secret } = await context.getAsync<{ secret: string }>(TOKENS.AuthSecret);
    const scheduler = kind === 'all-in-one' ? await context.getAsync<JobScheduler>(TOKENS.JobScheduler) : null;
    const admin = adminOperations({
      infrastructure,
      runJob: (name, options) => runJob(name, options),
      nextRuns: () => scheduler?.nextRuns() ?? {},
      ...(scheduler ? { onSettlementConfigChanged: () => scheduler.refreshSettlementRule() } : {}),
    });
    const app = createHttpApp({
      routes: [
        ...healthRoutes(infrastructure.readiness, logger),
        ...allowanceRoutes({ schedules: infrastructure.allowance.schedules, juniors: infrastructure.allowance.juniors, clock: infrastructure.clock }),
        ...adminRoutes(admin),
        ...reconciliationRoutes(admin),
        metricsRoute(() => metrics.render(), { token: config.metricsToken }),
      ],
      authSecret: secret,
      maxTokenTtlSeconds: config.authMaxTokenTtlSeconds,
      logger,
      onRequestTimed: (route, method, status, seconds) => metrics.httpRequest(route, method, status, seconds),
    });
    return new HttpServer(app, config.port, config.http);
  });

  return container;
}
