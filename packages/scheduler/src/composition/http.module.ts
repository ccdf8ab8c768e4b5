import { ContainerModule } from 'inversify';
import { bancaApiRoutes, createHttpApp } from '@banca/http-koa';
import { adminOperations } from '../admin/admin-operations';
import { deadLetterOperations } from '../admin/dead-letter-operations';
import { HttpServer } from '../runtime/http-server';
import { resolveAuthSecret } from './auth-secret';
import { ServiceIds as Ids } from './service-ids';

/**
 * The HTTP API: guardian and admin routes, health, metrics, and the operator console's files. In a
 * process that also schedules the jobs (the all-in-one), the admin API shows that scheduler's next
 * runs and tells it of a new rule.
 */
export const httpModule = new ContainerModule(({ bind }) => {
  bind(Ids.AuthSecret).toResolvedValue((config) => resolveAuthSecret(config), [Ids.Config]);
  bind(Ids.HttpServer).toDynamicValue(async (context) => {
    const config = context.get(Ids.Config);
    const logger = context.get(Ids.Logger);
    const metrics = await context.getAsync(Ids.Metrics);
    const repositories = await context.getAsync(Ids.Repositories);
    const scheduler = (await context.getAsync(Ids.JobScheduler, { optional: true })) ?? null;
    const transport = await context.getAsync(Ids.Transport);
    const deadLetters = deadLetterOperations({ deadLetters: repositories.deadLetters, queue: transport.publisher, clock: context.get(Ids.Clock), logger: logger.withLayer('admin') });
    const admin = adminOperations({
      runner: await context.getAsync(Ids.JobRunner),
      repositories,
      transport,
      logger,
      deadLetters,
      nextRuns: () => scheduler?.nextRuns() ?? {},
      ...(scheduler ? { onSettlementConfigChanged: () => scheduler.refreshSettlementRule() } : {}),
    });
    const app = createHttpApp({
      routes: bancaApiRoutes({
        readiness: await context.getAsync(Ids.Readiness),
        logger,
        allowance: { schedules: repositories.allowanceSchedules, clock: context.get(Ids.Clock) },
        admin,
        closings: { closingReads: repositories.closingReads },
        statements: { statementChain: repositories.statementChain },
        allowanceReads: { schedules: repositories.allowanceSchedules },
        deadLetters,
        metrics: { render: () => metrics.render(), token: config.metricsToken },
      }),
      consoleDir: config.consoleDir,
      authSecret: context.get(Ids.AuthSecret).secret,
      maxTokenTtlSeconds: config.authMaxTokenTtlSeconds,
      logger,
      onRequestTimed: (route, method, status, seconds) => metrics.httpRequest(route, method, status, seconds),
    });
    return new HttpServer(app, config.port, config.http);
  });
});
