import { expect } from 'chai';
import { buildOpenApiDocument } from '../openapi/openapi';
import { signToken } from '../middleware/auth.middleware';
import { AUTH_SECRET, adminPingRoute, startAllowanceApi, type AllowanceApi } from '../testing/allowance-api.test-helpers';
import { errorOf } from '../testing/http-server.test-helpers';
import { defineRoute } from './route-spec';

const echoQuery = defineRoute({
  method: 'GET',
  path: '/admin/echo',
  operationId: 'echoQuery',
  summary: 'Answers the query as the handler receives it',
  auth: 'admin',
  query: {
    type: 'object',
    required: ['month'],
    additionalProperties: false,
    properties: {
      month: { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', 'x-error-code': 'TIME.INVALID_MONTH' },
      limit: { type: 'integer', minimum: 1, maximum: 500 },
      json: { type: 'boolean' },
    },
  },
  responses: { 200: { description: 'The query', schema: { type: 'object' } } },
  handler: ({ query }) => ({ status: 200, body: query }),
});

describe('query parameters', () => {
  let api: AllowanceApi;
  const token = signToken({ sub: 'ops-1', role: 'admin' }, AUTH_SECRET);
  const get = (path: string) => api.call(path, { token });

  beforeEach(async () => {
    api = await startAllowanceApi({ extraRoutes: [echoQuery, adminPingRoute] });
  });
  afterEach(() => api.server.close());

  it('reach the handler typed as the schema declares them', async () => {
    expect(await get('/admin/echo?month=2025-03&limit=50&json=true')).to.deep.include({ status: 200, body: { month: '2025-03', limit: 50, json: true } });
    expect(await get('/admin/echo?month=2025-03')).to.deep.include({ status: 200, body: { month: '2025-03' } });
  });

  for (const limit of ['5.0', '+5', '%205', '0x10', '1e3', '', 'ten']) {
    it(`refuse limit=${limit} with 400 naming the field`, async () => {
      const response = await get(`/admin/echo?month=2025-03&limit=${limit}`);
      expect(response.status).to.equal(400);
      expect(errorOf(response)).to.deep.include({ code: 'VALIDATION.INVALID_INPUT', details: { field: 'limit', reason: 'must be an integer' } });
    });
  }

  it('refuse values out of range, a missing required one, an unknown one and one given twice', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['/admin/echo?month=2025-03&limit=0', 'VALIDATION.INVALID_INPUT', 'limit', 'must be >= 1'],
      ['/admin/echo?month=2025-03&limit=10000', 'VALIDATION.INVALID_INPUT', 'limit', 'must be <= 500'],
      ['/admin/echo?month=2025-13', 'TIME.INVALID_MONTH', 'month', 'must match pattern "^[0-9]{4}-(0[1-9]|1[0-2])$"'],
      ['/admin/echo?limit=5', 'VALIDATION.INVALID_INPUT', 'month', 'is required'],
      ['/admin/echo?month=2025-03&status=FAILED', 'VALIDATION.INVALID_INPUT', 'status', 'is not allowed'],
      ['/admin/echo?month=2025-03&month=2025-04', 'VALIDATION.INVALID_INPUT', 'month', 'is given more than once'],
    ];
    for (const [path, code, field, reason] of cases) {
      const response = await get(path);
      expect(response.status, path).to.equal(400);
      expect(errorOf(response), path).to.deep.include({ code, details: { field, reason } });
    }
  });

  it('are refused on a route that takes none', async () => {
    const response = await api.call('/admin/ping?force=true', { method: 'POST', token });
    expect(response.status).to.equal(400);
    expect(errorOf(response).details).to.deep.equal({ field: 'force', reason: 'is not allowed' });
  });

  it('appear in the OpenAPI document with their schemas', () => {
    const operation = buildOpenApiDocument([echoQuery], { title: 't', version: '1' }).paths['/admin/echo']!['get']!;
    expect(operation.parameters?.map(({ name, in: where, required }) => ({ name, in: where, required }))).to.deep.equal([
      { name: 'month', in: 'query', required: true },
      { name: 'limit', in: 'query', required: false },
      { name: 'json', in: 'query', required: false },
    ]);
    expect(Object.keys(operation.responses)).to.include('400');
  });
});
