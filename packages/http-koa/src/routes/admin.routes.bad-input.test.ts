import { expect } from 'chai';
import { MAX_USER_ID_LENGTH, validateSettlementConfigUpdate } from '@banca/domain';
import { signToken } from '../middleware/auth.middleware';
import { ADMIN_AUTH_SECRET, ADMIN_ID, type AdminApi, startAdminApi } from '../testing/admin-api.test-helpers';
import { domainCodeOf } from '../testing/domain-error.test-helpers';
import { errorOf, type TestRequest } from '../testing/http-server.test-helpers';
import { expiredToken } from '../testing/tokens.test-helpers';

const ADMIN_REQUESTS: Array<[path: string, request: TestRequest]> = [
  ['/admin/jobs', { method: 'GET' }],
  ['/admin/jobs/monthly-closing/trigger', { method: 'POST', json: { month: '2025-02' } }],
  ['/admin/settlement-config', { method: 'GET' }],
  ['/admin/settlement-config', { method: 'PATCH', json: { enabled: true } }],
  ['/admin/allowance/dlq', { method: 'GET' }],
  ['/admin/allowance/dlq/replay', { method: 'POST', json: { limit: 5 } }],
];

interface BadInput {
  name: string;
  path: string;
  request: TestRequest;
  status: number;
  code: string;
  field?: string;
}

const trigger = (job: string, json?: unknown): Pick<BadInput, 'path' | 'request'> => ({
  path: `/admin/jobs/${job}/trigger`,
  request: json === undefined ? { method: 'POST' } : { method: 'POST', json },
});
const patchConfig = (json: unknown): Pick<BadInput, 'path' | 'request'> => ({ path: '/admin/settlement-config', request: { method: 'PATCH', json } });
const replay = (json: unknown): Pick<BadInput, 'path' | 'request'> => ({ path: '/admin/allowance/dlq/replay', request: { method: 'POST', json } });

const TRIGGER_CASES: BadInput[] = [
  { name: 'an unknown job', ...trigger('sorteos.auto-delete'), status: 404, code: 'JOB.UNKNOWN' },
  { name: 'a job name in another case', ...trigger('SETTLEMENT'), status: 404, code: 'JOB.UNKNOWN' },
  { name: 'month 13', ...trigger('monthly-closing', { month: '2025-13' }), status: 400, code: 'TIME.INVALID_MONTH', field: 'month' },
  { name: 'the year 0000', ...trigger('monthly-closing', { month: '0000-01' }), status: 400, code: 'TIME.INVALID_MONTH', field: 'month' },
  { name: 'month 00', ...trigger('monthly-closing', { month: '2025-00' }), status: 400, code: 'TIME.INVALID_MONTH', field: 'month' },
  { name: 'a one-digit month', ...trigger('monthly-closing', { month: '2025-2' }), status: 400, code: 'TIME.INVALID_MONTH', field: 'month' },
  { name: 'a date for a month', ...trigger('monthly-closing', { month: '2025-02-01' }), status: 400, code: 'TIME.INVALID_MONTH', field: 'month' },
  { name: 'a numeric month', ...trigger('monthly-closing', { month: 202502 }), status: 400, code: 'TIME.INVALID_MONTH', field: 'month' },
  { name: 'a month for settlement', ...trigger('settlement', { month: '2025-02' }), status: 400, code: 'JOB.INVALID_OPTIONS' },
  { name: 'a month for the allowance producer', ...trigger('allowance.enqueue', { month: '2025-02' }), status: 400, code: 'JOB.INVALID_OPTIONS' },
  { name: 'a bad month for settlement', ...trigger('settlement', { month: 'febrero' }), status: 400, code: 'TIME.INVALID_MONTH', field: 'month' },
  { name: 'an unknown option', ...trigger('monthly-closing', { userId: 'someone-else' }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'userId' },
  { name: 'an array body', ...trigger('monthly-closing', ['2025-02']), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'body' },
];

const CONFIG_CASES: BadInput[] = [
  { name: 'a cron rule with four fields', ...patchConfig({ cronSchedule: '0 3 * *' }), status: 400, code: 'SCHEDULE.INVALID_CRON' },
  { name: 'a cron rule with hour 24', ...patchConfig({ enabled: true, cronSchedule: '0 24 * * *' }), status: 400, code: 'SCHEDULE.INVALID_CRON' },
  { name: 'an empty cron rule', ...patchConfig({ cronSchedule: '' }), status: 400, code: 'SCHEDULE.INVALID_CRON' },
  { name: 'a cron rule on February 30th', ...patchConfig({ enabled: true, cronSchedule: '0 0 30 2 *' }), status: 400, code: 'SCHEDULE.INVALID_CRON', field: 'cronSchedule' },
  { name: 'a cron rule on April 31st', ...patchConfig({ cronSchedule: '0 0 31 4 *' }), status: 400, code: 'SCHEDULE.INVALID_CRON', field: 'cronSchedule' },
  { name: 'a numeric cron rule', ...patchConfig({ cronSchedule: 3 }), status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'cronSchedule' },
  { name: 'an unknown field', ...patchConfig({ enabled: true, batch_size: 10 }), status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'batch_size' },
  { name: 'enabled as text', ...patchConfig({ enabled: 'yes' }), status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'enabled' },
  { name: 'a null field', ...patchConfig({ enabled: null }), status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'enabled' },
  { name: 'a negative age', ...patchConfig({ settlementAgeDays: -1 }), status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'settlementAgeDays' },
  { name: 'an age over ten years', ...patchConfig({ settlementAgeDays: 3651 }), status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'settlementAgeDays' },
  { name: 'a fractional age', ...patchConfig({ settlementAgeDays: 1.5 }), status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'settlementAgeDays' },
  { name: 'a zero batch size', ...patchConfig({ batchSize: 0 }), status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'batchSize' },
  { name: 'a batch size as text', ...patchConfig({ batchSize: '1000' }), status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'batchSize' },
  { name: 'a batch size past safe integers', ...patchConfig({ batchSize: 2 ** 60 }), status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'batchSize' },
  { name: 'an array body', ...patchConfig([{ enabled: true }]), status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'body' },
  { name: 'no body', path: '/admin/settlement-config', request: { method: 'PATCH' }, status: 400, code: 'SETTLEMENT.INVALID_CONFIG', field: 'body' },
];

const REPLAY_CASES: BadInput[] = [
  { name: 'a zero limit', ...replay({ limit: 0 }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'limit' },
  { name: 'a limit over 10000', ...replay({ limit: 10001 }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'limit' },
  { name: 'a limit in words', ...replay({ limit: 'ten' }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'limit' },
  { name: 'a limit as numeric text', ...replay({ limit: '10' }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'limit' },
  { name: 'a fractional limit', ...replay({ limit: 2.5 }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'limit' },
  { name: 'a negative limit', ...replay({ limit: -1 }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'limit' },
  { name: 'an unknown field', ...replay({ limit: 5, queue: 'allowance.schedule' }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'queue' },
];

describe('admin API refuses bad requests and calls nothing', () => {
  let api: AdminApi;

  beforeEach(async () => {
    api = await startAdminApi();
  });
  afterEach(() => api.server.close());

  const expectUntouched = () => {
    expect(api.fake.calls).to.deep.equal([]);
    expect(api.fake.config()).to.deep.include({ enabled: false, cronSchedule: '0 3 * * *' });
  };

  for (const [path, request] of ADMIN_REQUESTS) {
    const operation = `${request.method ?? 'GET'} ${path}`;

    it(`${operation}: 401 AUTH.MISSING_TOKEN without a token`, async () => {
      const response = await api.call(path, { ...request, anonymous: true });
      expect(response.status).to.equal(401);
      expect(errorOf(response).code).to.equal('AUTH.MISSING_TOKEN');
      expect(response.headers.get('www-authenticate')).to.equal('Bearer');
      expectUntouched();
    });

    it(`${operation}: 401 AUTH.TOKEN_EXPIRED with an expired admin token`, async () => {
      const response = await api.call(path, { ...request, token: expiredToken({ sub: ADMIN_ID, role: 'admin' }, ADMIN_AUTH_SECRET) });
      expect(response.status).to.equal(401);
      expect(errorOf(response).code).to.equal('AUTH.TOKEN_EXPIRED');
      expectUntouched();
    });

    it(`${operation}: 403 AUTH.FORBIDDEN with a guardian token`, async () => {
      const response = await api.call(path, { ...request, token: api.guardianToken });
      expect(response.status).to.equal(403);
      expect(errorOf(response).code).to.equal('AUTH.FORBIDDEN');
      expectUntouched();
    });
  }

  it('an admin token signed with another secret: 401 AUTH.INVALID_TOKEN', async () => {
    const response = await api.call('/admin/jobs', { token: signToken({ sub: ADMIN_ID, role: 'admin' }, 'not-the-secret') });
    expect(response.status).to.equal(401);
    expect(errorOf(response).code).to.equal('AUTH.INVALID_TOKEN');
    expectUntouched();
  });

  it(`an admin token whose subject is longer than ${MAX_USER_ID_LENGTH} characters: 401 AUTH.INVALID_TOKEN before it can be recorded as the user`, async () => {
    const response = await api.call('/admin/jobs/settlement/trigger', { method: 'POST', token: signToken({ sub: 'o'.repeat(MAX_USER_ID_LENGTH + 1), role: 'admin' }, ADMIN_AUTH_SECRET) });
    expect(response.status).to.equal(401);
    expect(errorOf(response).code).to.equal('AUTH.INVALID_TOKEN');
    expectUntouched();
  });

  for (const bad of [...TRIGGER_CASES, ...CONFIG_CASES, ...REPLAY_CASES]) {
    it(`${bad.request.method} ${bad.path}, ${bad.name}: ${bad.status} ${bad.code}`, async () => {
      const response = await api.call(bad.path, bad.request);
      expect(response.status, JSON.stringify(response.body)).to.equal(bad.status);
      expect(errorOf(response).code).to.equal(bad.code);
      if (bad.field !== undefined) expect(errorOf(response).details).to.have.property('field', bad.field);
      expectUntouched();
      expect(api.fake.depths().deadLettered).to.equal(150);
    });
  }

  it('an invalid cron rule saves nothing, even with valid fields beside it', async () => {
    const response = await api.call('/admin/settlement-config', { method: 'PATCH', json: { enabled: true, batchSize: 50, cronSchedule: '61 * * * *' } });
    expect(response.status).to.equal(400);
    expect(errorOf(response)).to.deep.include({ code: 'SCHEDULE.INVALID_CRON' });
    expect(api.fake.config()).to.deep.equal({ enabled: false, settlementAgeDays: 7, batchSize: 1000, cronSchedule: '0 3 * * *' });
    expect((await api.call('/admin/settlement-config')).body).to.deep.include({ cronSchedule: '0 3 * * *', enabled: false });
  });
});

describe('the settlement config schema and the domain validator agree', () => {
  for (const bad of CONFIG_CASES.filter((c) => c.request.json !== undefined)) {
    it(`the domain refuses ${bad.name} with ${bad.code} too`, () => {
      expect(domainCodeOf(() => validateSettlementConfigUpdate(bad.request.json))).to.equal(bad.code);
    });
  }
});
