import { startBancaProcess } from '@banca/scheduler';
import { exportedSpans } from './bench-tracing';
import { fail, peakRss, processSetup, send, serve } from './child';

/** One `worker` process as `banca start worker` runs it: the worker's composition root, consuming. */
async function main(): Promise<void> {
  const { config, logger } = processSetup();
  const running = await startBancaProcess('worker', config, logger);
  serve(
    {
      report: async () => send({ type: 'report', peakRss: peakRss(), spans: exportedSpans() }),
    },
    () => running.stop('bench finished'),
  );
  send({ type: 'ready', peakRss: peakRss() });
}

main().catch(fail);
