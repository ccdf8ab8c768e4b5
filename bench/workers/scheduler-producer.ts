import { closeProcessContainer, createProcessContainer, ServiceIds } from '@banca/scheduler';
import { fail, peakRss, processSetup, send, serve } from './child';

/**
 * The scheduler process's part of the producer's growth: the scheduler's composition root, then
 * `allowance.enqueue` through the same runJob the scheduler and the CLI use, timed here.
 */
async function main(): Promise<void> {
  const { config, logger } = processSetup();
  const container = createProcessContainer('scheduler', config, logger);
  const runner = await container.getAsync(ServiceIds.JobRunner);
  serve(
    {
      run: async () => {
        const started = process.hrtime.bigint();
        const result = await runner.runJob('allowance.enqueue');
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        send({ type: 'done', ms, status: result.status, summary: result.status === 'SUCCESS' ? result.summary : result, peakRss: peakRss() });
      },
    },
    () => closeProcessContainer(container),
  );
  send({ type: 'ready', peakRss: peakRss() });
}

main().catch(fail);
