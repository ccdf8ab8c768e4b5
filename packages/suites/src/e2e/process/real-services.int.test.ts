import { expect } from 'chai';
import { crMonthOf, previousCRMonth } from '@banca/domain';
import { signToken } from '@banca/http-koa';
import { createTestBroker, serviceUrl, type TestBroker } from '@banca/test-support';
import { call, createTestDatabase, startBanca, useBancaCleanup, type BancaEnv, type TestDatabase } from './banca-process.test-helpers';

const REAL_BACKENDS = { database: 'postgresql', queue: 'rabbitmq', lock: 'redis' };

/** As docs/architecture.md (Configuration) has it: set the URLs and the same code runs on PostgreSQL, RabbitMQ and Redis, as many instances as needed. */
const METRICS_TOKEN = 'real-services-metrics-token-0123';

describe('banca processes on real PostgreSQL, RabbitMQ and Redis', function () {
  useBancaCleanup();
  let db: TestDatabase;
  let broker: TestBroker;
  let env: BancaEnv;

  beforeEach(async () => {
    db = await createTestDatabase();
    broker = await createTestBroker('e2e-process');
    const queue = broker.name('allowance');
    broker.track(`${queue}.retry`, `${queue}.retry.exchange`, `${queue}.dlq`, `${queue}.dlq.exchange`);
    env = {
      DATABASE_URL: db.url,
      RABBITMQ_URL: broker.url,
      REDIS_URL: await serviceUrl('redis'),
      ALLOWANCE_QUEUE_NAME: queue,
      AUTH_JWT_SECRET: 'real-services-e2e-secret-of-32-characters',
      METRICS_TOKEN: METRICS_TOKEN,
    };
  });

  afterEach(async () => {
    await broker.cleanup();
    await db.drop();
  });

  it('runs the all-in-one, ready with the database, the broker and Redis up, and stops with exit 0', async () => {
    const { banca, started, base } = await startBanca('all-in-one', env);
    expect(started.payload?.['backends']).to.deep.equal(REAL_BACKENDS);
    expect(started.payload?.['authSecretFrom']).to.equal('AUTH_JWT_SECRET');
    expect(banca.actions('SEED_DEMO_COMPLETE'), 'the demo is for the embedded default only').to.deep.equal([]);

    const ready = await call(base!, 'GET', '/health/ready');
    expect(ready.status).to.equal(200);
    expect(ready.body).to.deep.equal({ status: 'ready', checks: { database: { status: 'up' }, broker: { status: 'up' }, redis: { status: 'up' } } });
    expect((await call(base!, 'GET', '/metrics')).status, 'a scrape without METRICS_TOKEN').to.equal(401);
    const scraped = await call(base!, 'GET', '/metrics', { token: METRICS_TOKEN });
    expect(scraped.status).to.equal(200);
    expect(scraped.text).to.match(/^banca_/m);

    // The admin API on the real database: a month still running is refused; the last one reconciles.
    const token = signToken({ sub: 'ops', role: 'admin' }, env['AUTH_JWT_SECRET']!, 600);
    const thisMonth = crMonthOf(new Date());
    const refused = await call(base!, 'POST', '/admin/jobs/monthly-closing/trigger', { token, body: { month: thisMonth } });
    expect(refused.status, refused.text).to.equal(400);
    expect((refused.body as { error: { code: string } }).error.code).to.equal('CLOSING.MONTH_NOT_ENDED');
    const reconciled = await call(base!, 'GET', `/admin/reconciliation?month=${previousCRMonth(new Date())}`, { token });
    expect(reconciled.status, reconciled.text).to.equal(200);
    expect(reconciled.body).to.deep.include({ clean: true, total: 0 });
    expect((await call(base!, 'PATCH', '/admin/settlement-config', { token, body: { batchSize: 250 } })).status).to.equal(200);
    expect(await db.knex('account_statement_settlement_config').first('batch_size', 'updated_by')).to.deep.equal({ batch_size: 250, updated_by: 'ops' });

    banca.signal('SIGTERM');
    expect((await banca.exited).code, banca.describe()).to.equal(0);
    expect(banca.actions('SHUTDOWN_COMPLETE')).to.have.length(1);
  });

  it('starts two schedulers and two workers at once on the same services, each stopping with exit 0', async () => {
    const kinds = ['scheduler', 'scheduler', 'worker', 'worker'];
    const processes = await Promise.all(kinds.map((kind) => startBanca(kind, env)));

    for (const [i, { started, base }] of processes.entries()) {
      expect(started.payload).to.include({ process: kinds[i], port: null });
      expect(started.payload?.['backends']).to.deep.equal(REAL_BACKENDS);
      expect(base).to.equal(null);
    }
    const applied = await db.knex('knex_migrations').count<Array<{ count: string }>>({ count: '*' });
    expect(Number(applied[0]!.count), 'each migration applied once').to.equal(new Set((await db.knex('knex_migrations').select('name')).map((r: { name: string }) => r.name)).size);
    expect(processes.flatMap(({ banca }) => banca.actions('ALLOWANCE_WORKER_STARTED'))).to.have.length(2);
    expect(processes.flatMap(({ banca }) => banca.actions('SETTLEMENT_SCHEDULED'))).to.have.length(2);

    for (const { banca } of processes) banca.signal('SIGTERM');
    const exits = await Promise.all(processes.map(({ banca }) => banca.exited));
    expect(exits.map((exit) => exit.code)).to.deep.equal([0, 0, 0, 0]);
  });
});
