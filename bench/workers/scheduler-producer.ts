import { closeProcessContainer, createProcessContainer, ServiceIds } from '@banca/scheduler';
import { fail, fullGc, peakRss, processSetup, send, serve } from './child';

/** The heap still reachable: a full garbage collection (enabled only now, after the measured run), then heapUsed. */
function heapAfterFullGc(): number {
  fullGc();
  return process.memoryUsage().heapUsed;
}

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
        const peak = peakRss();
        const heapBeforeGc = process.memoryUsage().heapUsed;
        send({ type: 'done', ms, status: result.status, summary: result.status === 'SUCCESS' ? result.summary : result, peakRss: peak, heapBeforeGc, heapAfterGc: heapAfterFullGc() });
      },
    },
    () => closeProcessContainer(container),
  );
  send({ type: 'ready', peakRss: peakRss(), heapUsed: process.memoryUsage().heapUsed });
}

main().catch(fail);
