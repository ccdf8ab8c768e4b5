import { expect } from 'chai';
import { DEFAULT_SETTLEMENT_CONFIG, JOB_NAMES } from '@banca/domain';
import { ADMIN_ID, type AdminApi, startAdminApi } from '../testing/admin-api.test-helpers';
import { errorOf } from '../testing/http-server.test-helpers';

describe('admin API', () => {
  let api: AdminApi;

  beforeEach(async () => {
    api = await startAdminApi();
  });
  afterEach(() => api.server.close());

  describe('GET /admin/jobs', () => {
    it('lists every job of the jobs table (docs/architecture.md, Time) with its rule, CR time, next run and last run', async () => {
      const response = await api.call('/admin/jobs');
      expect(response.status).to.equal(200);
      const { jobs } = response.body as { jobs: Array<Record<string, unknown>> };
      expect(jobs.map((job) => job['name'])).to.deep.equal(JOB_NAMES);
      expect(jobs.find((job) => job['name'] === 'monthly-closing')).to.deep.equal({
        name: 'monthly-closing',
        cron: '0 8 1 * *',
        crTime: '02:00 on the 1st',
        description: 'close the previous CR month',
        nextRun: '2025-03-04T03:00:00.000Z',
        lastRun: null,
      });
      expect(api.fake.calls).to.deep.equal([{ operation: 'listJobs', args: [] }]);
    });

    it('shows a run once it is recorded', async () => {
      await api.call('/admin/jobs/activity-log.cleanup/trigger', { method: 'POST' });
      const { jobs } = (await api.call('/admin/jobs')).body as { jobs: Array<Record<string, unknown>> };
      expect(jobs.find((job) => job['name'] === 'activity-log.cleanup')?.['lastRun']).to.deep.equal({
        id: '41',
        job: 'activity-log.cleanup',
        status: 'SUCCESS',
        trigger: 'manual',
        triggeredBy: ADMIN_ID,
        processedCount: 3,
        errorMessage: null,
        summary: { processed: 3 },
        startedAt: '2025-03-03T14:00:00.000Z',
        finishedAt: '2025-03-03T14:00:01.500Z',
        durationMs: 1500,
      });
    });
  });

  describe('POST /admin/jobs/:name/trigger', () => {
    it('runs the job on behalf of the admin and answers the run', async () => {
      const response = await api.call('/admin/jobs/settlement/trigger', { method: 'POST' });
      expect(response).to.deep.include({ status: 200, body: { status: 'SUCCESS', job: 'settlement', runId: '41', summary: { processed: 3 } } });
      expect(api.fake.calls).to.deep.equal([{ operation: 'triggerJob', args: ['settlement', { userId: ADMIN_ID, wait: true }] }]);
    });

    it('answers 202 with the run id and where to follow it when told not to wait', async () => {
      const response = await api.call('/admin/jobs/settlement/trigger', { method: 'POST', json: { wait: false } });
      expect(response).to.deep.include({ status: 202, body: { job: 'settlement', runId: '41', status: 'RUNNING', location: '/admin/runs/41' } });
      expect(response.headers.get('location')).to.equal('/admin/runs/41');
      expect(api.fake.calls).to.deep.equal([{ operation: 'triggerJob', args: ['settlement', { userId: ADMIN_ID, wait: false }] }]);
    });

    it('refuses a wait that is not a boolean, naming it', async () => {
      const response = await api.call('/admin/jobs/settlement/trigger', { method: 'POST', json: { wait: 'no' } });
      expect(response.status).to.equal(400);
      expect(errorOf(response)).to.deep.include({ code: 'VALIDATION.INVALID_INPUT' });
      expect(errorOf(response).details).to.include({ field: 'wait' });
      expect(api.fake.calls).to.deep.equal([]);
    });

    it('passes the month to monthly closing', async () => {
      const response = await api.call('/admin/jobs/monthly-closing/trigger', { method: 'POST', json: { month: '2025-02' } });
      expect(response.status).to.equal(200);
      expect(api.fake.calls).to.deep.equal([{ operation: 'triggerJob', args: ['monthly-closing', { month: '2025-02', userId: ADMIN_ID, wait: true }] }]);
    });

    it('takes an empty object as no options', async () => {
      const response = await api.call('/admin/jobs/monthly-closing/trigger', { method: 'POST', json: {} });
      expect(response.status).to.equal(200);
      expect(api.fake.calls).to.deep.equal([{ operation: 'triggerJob', args: ['monthly-closing', { userId: ADMIN_ID, wait: true }] }]);
    });

    it('answers a run that failed with 200 and status FAILED: the request succeeded, the job did not', async () => {
      api.fake.state.nextOutcome = (job) => ({
        status: 'FAILED',
        job,
        runId: '41',
        error: { errorType: 'DB_UNREACHABLE', errorCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
      });
      const response = await api.call('/admin/jobs/sorteos.auto-open/trigger', { method: 'POST' });
      expect(response).to.deep.include({
        status: 200,
        body: {
          status: 'FAILED',
          job: 'sorteos.auto-open',
          runId: '41',
          error: { errorType: 'DB_UNREACHABLE', errorCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
        },
      });
    });

    it('answers a skipped run with 200, status SKIPPED and its reason', async () => {
      api.fake.state.nextOutcome = (job) => ({ status: 'SKIPPED', job, runId: null, reason: 'database not ready: timeout' });
      const response = await api.call('/admin/jobs/settlement/trigger', { method: 'POST' });
      expect(response).to.deep.include({ status: 200, body: { status: 'SKIPPED', job: 'settlement', runId: null, reason: 'database not ready: timeout' } });
    });

    it('answers 409 JOB.ALREADY_RUNNING when a run holds the job', async () => {
      api.fake.running.add('settlement');
      const response = await api.call('/admin/jobs/settlement/trigger', { method: 'POST' });
      expect(response.status).to.equal(409);
      expect(errorOf(response)).to.deep.include({ code: 'JOB.ALREADY_RUNNING', details: { job: 'settlement' } });
    });

    it('keeps what an implementation adds out of the answer', async () => {
      api.fake.state.nextOutcome = (job) => Object.assign({ status: 'SUCCESS' as const, job, runId: '7', summary: {} }, { startedAt: new Date(), internal: 'x' });
      expect((await api.call('/admin/jobs/settlement/trigger', { method: 'POST' })).body).to.deep.equal({ status: 'SUCCESS', job: 'settlement', runId: '7', summary: {} });
    });
  });

  describe('settlement config', () => {
    it('reads the configuration', async () => {
      expect(await api.call('/admin/settlement-config')).to.deep.include({ status: 200, body: { ...DEFAULT_SETTLEMENT_CONFIG } });
    });

    it('changes only the fields given, as the admin, and answers the result', async () => {
      const response = await api.call('/admin/settlement-config', { method: 'PATCH', json: { enabled: true, cronSchedule: '30  2 * * *' } });
      const expected = { enabled: true, settlementAgeDays: 7, batchSize: 1000, cronSchedule: '30 2 * * *' };
      expect(response).to.deep.include({ status: 200, body: expected });
      expect(api.fake.config()).to.deep.equal(expected);
      expect(api.fake.calls).to.deep.equal([
        { operation: 'updateSettlementConfig', args: [{ enabled: true, cronSchedule: '30 2 * * *' }, ADMIN_ID] },
      ]);
      expect((await api.call('/admin/settlement-config')).body).to.deep.equal(expected);
    });

    it('keeps a batch size over 2000 as given (a run clamps it)', async () => {
      const response = await api.call('/admin/settlement-config', { method: 'PATCH', json: { batchSize: 5000, settlementAgeDays: 0 } });
      expect(response.body).to.deep.include({ batchSize: 5000, settlementAgeDays: 0 });
    });

    it('answers an empty change with the configuration unchanged', async () => {
      expect(await api.call('/admin/settlement-config', { method: 'PATCH', json: {} })).to.deep.include({ status: 200, body: { ...DEFAULT_SETTLEMENT_CONFIG } });
      expect(api.fake.config()).to.deep.equal(DEFAULT_SETTLEMENT_CONFIG);
    });
  });

  describe('allowance dead-letter queue', () => {
    it('reports the depth of each queue', async () => {
      expect(await api.call('/admin/allowance/dlq')).to.deep.include({ status: 200, body: { ready: 2, retrying: 1, deadLettered: 150 } });
    });

    it('replays 100 messages when no limit is given', async () => {
      expect(await api.call('/admin/allowance/dlq/replay', { method: 'POST' })).to.deep.include({ status: 200, body: { replayed: 100 } });
      expect(await api.call('/admin/allowance/dlq/replay', { method: 'POST', json: {} })).to.deep.include({ status: 200, body: { replayed: 50 } });
      expect(api.fake.calls.map((recorded) => recorded.args)).to.deep.equal([[{ limit: 100, userId: ADMIN_ID }], [{ limit: 100, userId: ADMIN_ID }]]);
      expect(api.fake.depths()).to.deep.equal({ ready: 152, retrying: 1, deadLettered: 0 });
    });

    it('replays up to the limit given, from 1 to 10000', async () => {
      expect((await api.call('/admin/allowance/dlq/replay', { method: 'POST', json: { limit: 1 } })).body).to.deep.equal({ replayed: 1 });
      expect((await api.call('/admin/allowance/dlq/replay', { method: 'POST', json: { limit: 10000 } })).body).to.deep.equal({ replayed: 149 });
      expect(api.fake.calls.map((recorded) => recorded.args)).to.deep.equal([[{ limit: 1, userId: ADMIN_ID }], [{ limit: 10000, userId: ADMIN_ID }]]);
    });
  });
});
