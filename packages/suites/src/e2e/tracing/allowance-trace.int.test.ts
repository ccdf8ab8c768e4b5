import { expect } from 'chai';
import { signToken } from '@banca/http-koa';
import { createTestBroker, serviceUrl, type TestBroker } from '@banca/test-support';
import { call, createTestDatabase, startBanca, useBancaCleanup, waitUntil, type BancaChild, type BancaEnv, type TestDatabase } from '../process/banca-process.test-helpers';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.test-helpers';

const SECRET = 'tracing-e2e-secret-of-32-characters!';
const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

/**
 * Two processes, as production runs them: the api (HTTP, and jobs triggered through it) and a worker,
 * on real PostgreSQL, RabbitMQ and Redis, each exporting its spans over OTLP to a receiver.
 */
describe('tracing: one trace from the HTTP request to the credited allowance (real processes, OTLP)', function () {
  // Two processes started from source on a small, busy machine take most of it.
  this.timeout(240_000);
  useBancaCleanup();
  let db: TestDatabase;
  let broker: TestBroker;
  let receiver: OtlpReceiver;
  let env: BancaEnv;

  beforeEach(async () => {
    db = await createTestDatabase();
    broker = await createTestBroker('e2e-tracing');
    const queue = broker.name('allowance');
    broker.track(`${queue}.retry`, `${queue}.retry.exchange`, `${queue}.dlq`, `${queue}.dlq.exchange`);
    receiver = await startOtlpReceiver();
    env = {
      DATABASE_URL: db.url,
      RABBITMQ_URL: broker.url,
      REDIS_URL: await serviceUrl('redis'),
      ALLOWANCE_QUEUE_NAME: queue,
      AUTH_JWT_SECRET: SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
  });

  afterEach(async () => {
    await receiver.close();
    await broker.cleanup();
    await db.drop();
  });

  it('connects the trigger request, the job, the publish, the delivery and the ledger statement of the credit; log lines carry the trace; no secret is logged', async () => {
    // The api migrates the database before it is ready; the worker starts once it is.
    const api = await startBanca('api', { ...env, OTEL_SERVICE_NAME: 'banca-api' });
    const worker = await startBanca('worker', { ...env, OTEL_SERVICE_NAME: 'banca-worker' });
    const guardianId = await insertOne(db, `INSERT INTO guardians (name) VALUES ('Guardian') RETURNING id`);
    await db.knex.raw(`INSERT INTO accounts (guardian_id, balance) VALUES (?, 500.00)`, [guardianId]);
    const juniorId = await insertOne(db, `INSERT INTO juniors (guardian_id, name) VALUES (?, 'Junior') RETURNING id`, [guardianId]);
    await db.knex.raw(`INSERT INTO accounts (junior_id, balance) VALUES (?, 0)`, [juniorId]);

    const guardianToken = signToken({ sub: guardianId, role: 'guardian' }, SECRET, 600);
    const adminToken = signToken({ sub: 'ops', role: 'admin' }, SECRET, 600);
    const startAt = new Date(Date.now() + 1_500);
    const created = await call(api.base!, 'POST', `/guardians/me/allowances/${juniorId}`, {
      token: guardianToken,
      body: { amount: '25.00', frequency: 'WEEKLY', status: 'ON', startAt: startAt.toISOString() },
    });
    expect(created.status, created.text).to.equal(201);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt.getTime() - Date.now() + 100)));
    const triggered = await call(api.base!, 'POST', '/admin/jobs/allowance.enqueue/trigger', { token: adminToken });
    expect(triggered.status, triggered.text).to.equal(200);
    expect((triggered.body as { summary: { publishedCount: number } }).summary.publishedCount).to.equal(1);
    await waitUntil(async () => ((await db.knex('allowance_credits').count<Array<{ count: string }>>('* as count'))[0]!.count === '1' ? true : undefined), 'the credit');

    const request = await waitUntil(async () => receiver.spans.find((span) => span.kind === SERVER && span.attributes['http.route'] === '/admin/jobs/:name/trigger'), 'the trigger request span');
    const traceId = request.traceId;
    const inTrace = (): ReceivedSpan[] => receiver.spans.filter((span) => span.traceId === traceId);
    const job = await waitUntil(async () => inTrace().find((span) => span.name === 'job allowance.enqueue'), 'the job span');
    const publish = await waitUntil(async () => inTrace().find((span) => span.kind === PRODUCER), 'the publish span');
    const delivery = await waitUntil(async () => inTrace().find((span) => span.kind === CONSUMER), 'the delivery span');
    const credit = await waitUntil(
      async () => inTrace().find((span) => span.service === 'banca-worker' && /allowance_credit_run\(/.test(String(span.attributes['db.statement'] ?? span.attributes['db.query.text'] ?? ''))),
      'the ledger statement span',
    );

    expect(request.service).to.equal('banca-api');
    expect(job).to.deep.include({ service: 'banca-api' });
    expect(job.attributes).to.include({ 'banca.job.trigger': 'manual', 'banca.job.status': 'SUCCESS', 'banca.job.processed': 1 });
    expect(isUnder(job, request, inTrace()), 'the job runs under the request').to.equal(true);
    expect(publish.parentSpanId, 'the publish is a child of the job').to.equal(job.spanId);
    expect(publish.attributes).to.include({ 'messaging.system': 'rabbitmq', 'messaging.destination.name': env['ALLOWANCE_QUEUE_NAME'] });
    expect(delivery).to.deep.include({ service: 'banca-worker', parentSpanId: publish.spanId });
    expect(delivery.attributes).to.include({ 'banca.allowance.disposition': 'ack', 'banca.allowance.attempt': 1 });
    expect(isUnder(credit, delivery, inTrace()), 'the credit statement runs under the delivery').to.equal(true);
    expect(receiver.spans.some((span) => span.kind === SERVER && span.attributes['http.route'] === '/guardians/me/allowances/:juniorId'), 'the create request has its own trace').to.equal(true);
    expect(receiver.spans.some((span) => span.attributes['url.path'] === '/health/ready' || span.attributes['http.target'] === '/health/ready'), 'probes are not traced').to.equal(false);

    const credited = worker.banca.actions('ALLOWANCE_CREDITED');
    expect(credited.map((line) => (line as { trace_id?: string }).trace_id), 'the worker log line names the trace').to.deep.equal([traceId]);
    const completed = api.banca.logs.filter((line) => line.layer === 'job' || /ALLOWANCE_ENQUEUE|JOB_/.test(line.action)).filter((line) => (line as { trace_id?: string }).trace_id === traceId);
    expect(completed.length, 'a log line written inside the job carries its trace id').to.be.greaterThan(0);

    await stop(api.banca);
    await stop(worker.banca);
    for (const banca of [api.banca, worker.banca]) {
      const output = banca.stdout + banca.stderr;
      for (const secret of [SECRET, guardianToken, adminToken, 'guest:guest']) expect(output.includes(secret), `${banca.args.join(' ')} logged a secret`).to.equal(false);
    }
  });
});

async function insertOne(db: TestDatabase, sql: string, bindings: unknown[] = []): Promise<string> {
  const { rows } = await db.knex.raw<{ rows: Array<{ id: string }> }>(sql, bindings as never);
  return rows[0]!.id;
}

/** Whether `span` descends from `ancestor` through the spans of its trace. */
function isUnder(span: ReceivedSpan, ancestor: ReceivedSpan, spans: ReceivedSpan[]): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let parent = span.parentSpanId; parent !== null; parent = byId.get(parent)?.parentSpanId ?? null) {
    if (parent === ancestor.spanId) return true;
  }
  return false;
}

async function stop(banca: BancaChild): Promise<void> {
  banca.signal('SIGTERM');
  const exit = await banca.exited;
  expect(exit.code, banca.describe()).to.equal(0);
}
