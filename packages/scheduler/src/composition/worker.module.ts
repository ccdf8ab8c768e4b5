import { ContainerModule } from 'inversify';
import { AllowanceWorker } from '../runtime/allowance-worker';
import { ServiceIds as Ids } from './service-ids';

/** The allowance worker: consumes the allowance queue and credits each run once; records the DLQ's dead letters. */
export const workerModule = new ContainerModule(({ bind }) => {
  bind(Ids.AllowanceWorker).toDynamicValue(async (context) => {
    const config = context.get(Ids.Config);
    const repositories = await context.getAsync(Ids.Repositories);
    return new AllowanceWorker({
      transport: await context.getAsync(Ids.Transport),
      schedules: repositories.allowanceSchedules,
      ledger: repositories.allowanceLedger,
      deadLetters: repositories.deadLetters,
      clock: context.get(Ids.Clock),
      activeOperations: context.get(Ids.ActiveOperations),
      metrics: await context.getAsync(Ids.Metrics),
      logger: context.get(Ids.Logger).withLayer('worker'),
      maxRetries: config.allowance.maxRetries,
      prefetch: config.allowance.prefetch,
    });
  });
});
