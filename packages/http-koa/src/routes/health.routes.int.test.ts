import { expect } from 'chai';
import { memoryLogger } from '@banca/domain';
import { createHttpApp } from '../app';
import { call, serve, type TestServer } from '../testing/http-server.test-helpers';
import { healthRoutes } from './health.routes';

describe('health routes over real HTTP', () => {
  let server: TestServer;
  let databaseUp = true;

  before(async () => {
    const routes = healthRoutes({
      database: async () => {
        if (!databaseUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
      broker: async () => undefined,
    });
    server = await serve(createHttpApp({ routes, authSecret: 'health-test-secret', logger: memoryLogger(), validateResponses: true }));
  });
  after(() => server.close());

  it('answers live', async () => {
    const response = await call(server.base, '/health/live');
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ status: 'ok' });
  });

  it('reports each backend and is not ready while one is down', async () => {
    expect((await call(server.base, '/health/ready')).status).to.equal(200);
    databaseUp = false;
    const response = await call(server.base, '/health/ready');
    expect(response.status).to.equal(503);
    expect(response.body).to.deep.equal({
      status: 'not ready',
      checks: { database: { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:5432' }, broker: { status: 'up' } },
    });
  });
});
