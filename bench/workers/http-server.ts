import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { startBancaProcess } from '@banca/scheduler';
import { exportedSpans } from './bench-tracing';
import { fail, fullGc, peakRss, processSetup, send, serve } from './child';

/**
 * The `api` process as `banca start api` runs it, plus, in the same process, a bare Koa app with
 * one POST route that reads the body and answers 201 without touching anything: the scale of what
 * Koa and Node alone cost per request on this machine.
 */
async function main(): Promise<void> {
  const { config, logger } = processSetup();
  const running = await startBancaProcess('api', config, logger);

  const bare = new Koa();
  const router = new Router();
  router.post('/bare/:juniorId', async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    ctx.status = 201;
    ctx.body = { juniorId: ctx.params['juniorId'], ...body };
  });
  bare.use(router.routes());
  const server = bare.listen(0);
  await new Promise<void>((resolve) => server.once('listening', resolve));

  serve(
    {
      report: async () => send({ type: 'report', peakRss: peakRss(), spans: exportedSpans() }),
      // Between measured exports, so each starts from a collected heap.
      gc: async () => {
        fullGc();
        send({ type: 'gc', heapUsed: process.memoryUsage().heapUsed });
      },
    },
    async () => {
      server.closeAllConnections();
      server.close();
      await running.stop('bench finished');
    },
  );
  send({ type: 'ready', port: running.port, barePort: (server.address() as AddressInfo).port });
}

main().catch(fail);
