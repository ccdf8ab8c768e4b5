import { expect } from 'chai';
import { memoryLogger } from '@banca/domain/ports';
import { createHttpApp } from '../app';
import { call, serve, type TestServer } from '../testing/http-server.test-helpers';
import { healthRoutes } from './health.routes';

describe('health routes over real HTTP', () => {
  let server: TestServer;
  let databaseUp = true;
  const logger = memoryLogger('app');

  before(async () => {
    const routes = healthRoutes(
      {
        database: async () => {
          if (!databaseUp) throw new Error('connect ECONNREFUSED 10.0.0.7:5432 (user banca_owner, PostgreSQL 16.2)');
        },
        broker: async () => undefined,
      },
      logger,
    );
    server = await serve(createHttpApp({ routes, authSecret: 'health-test-secret', logger: memoryLogger(), validateResponses: true }));
  });
  after(() => server.close());

  it('answers live', async () => {
    const response = await call(server.base, '/health/live');
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ status: 'ok' });
  });

  it('reports the state of each backend and is not ready while one is down, its error in the log only', async () => {
    expect((await call(server.base, '/health/ready')).status).to.equal(200);
    databaseUp = false;
    const response = await call(server.base, '/health/ready');
    expect(response.status).to.equal(503);
    expect(response.body).to.deep.equal({ status: 'not ready', checks: { database: { status: 'down' }, broker: { status: 'up' } } });
    expect(logger.entries.filter((entry) => entry.action === 'READINESS_CHECK_FAIL').map((entry) => entry.payload)).to.deep.equal([
      { check: 'database', error: 'connect ECONNREFUSED 10.0.0.7:5432 (user banca_owner, PostgreSQL 16.2)' },
    ]);
  });
});
