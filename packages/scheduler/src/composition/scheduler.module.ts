import { ContainerModule } from 'inversify';
import { JobScheduler } from '../jobs/job-scheduler';
import { ServiceIds as Ids } from './service-ids';

/** The node-schedule runner of the jobs; settlement's rule from its config row. */
export const schedulerModule = new ContainerModule(({ bind }) => {
  bind(Ids.JobScheduler).toDynamicValue(async (context) => {
    const runner = await context.getAsync(Ids.JobRunner);
    const { settlementConfig } = await context.getAsync(Ids.Repositories);
    return new JobScheduler({
      runScheduled: (name) => runner.runJob(name, { trigger: 'schedule' }),
      readSettlementCron: async () => (await settlementConfig.get()).cronSchedule,
      logger: context.get(Ids.Logger).withLayer('scheduler'),
    });
  });
});
