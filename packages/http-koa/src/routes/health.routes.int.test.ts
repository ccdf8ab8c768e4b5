import { expect } from 'chai';
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { healthRoutes } from './health.routes';

describe('health routes over real HTTP', () => {
  let server: Server;
  let base: string;
  let databaseUp = true;

  before(async () => {
    const app = new Koa();
    const router = healthRoutes({
      database: async () => {
        if (!databaseUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
      broker: async () => undefined,
    });
    app.use(router.routes()).use(router.allowedMethods());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers live', async () => {
    const response = await fetch(`${base}/health/live`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ status: 'ok' });
  });

  it('reports each backend and is not ready while one is down', async () => {
    expect((await fetch(`${base}/health/ready`)).status).to.equal(200);
    databaseUp = false;
    const response = await fetch(`${base}/health/ready`);
    expect(response.status).to.equal(503);
    expect(await response.json()).to.deep.equal({
      status: 'not ready',
      checks: { database: { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:5432' }, broker: { status: 'up' } },
    });
  });
});
