import type Router from '@koa/router';
import { expect } from 'chai';
import { memoryLogger } from '@banca/domain/ports';
import { adminRoutes } from '../routes/admin.routes';
import { TRIGGER_JOB_BODY } from '../routes/admin.schemas';
import { healthRoutes } from '../routes/health.routes';
import { metricsRoute, PROMETHEUS_TEXT_MEDIA_TYPE } from '../routes/metrics.routes';
import { CREATE_ALLOWANCE_BODY } from '../routes/allowance.schemas';
import { openApiPath } from '../routing/route-spec';
import { fakeAdminOperations } from '../testing/admin-api.test-helpers';
import { adminPingRoute, type AllowanceApi, startAllowanceApi } from '../testing/allowance-api.test-helpers';
import type { OpenApiDocument } from './openapi';

/** `GET /path/{id}` for every method and path the router serves (HEAD comes with GET). */
const servedOperations = (router: Router): string[] =>
  router.stack
    .flatMap((layer) => layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${openApiPath(String(layer.path))}`))
    .sort();

const documentedOperations = (document: OpenApiDocument): string[] =>
  Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();

describe('GET /openapi.json', () => {
  let api: AllowanceApi;
  let document: OpenApiDocument;

  beforeEach(async () => {
    const extraRoutes = [...healthRoutes({}, memoryLogger()), ...adminRoutes(fakeAdminOperations().operations), metricsRoute(async () => ''), adminPingRoute];
    api = await startAllowanceApi({ extraRoutes });
    const response = await api.call('/openapi.json', { anonymous: true });
    expect(response.status).to.equal(200);
    document = response.body as OpenApiDocument;
  });
  afterEach(() => api.server.close());

  it('documents every route the router serves, and nothing else', () => {
    expect(documentedOperations(document)).to.deep.equal(servedOperations(api.app.router));
    expect(documentedOperations(document)).to.include.members([
      'POST /guardians/me/allowances/{juniorId}',
      'GET /guardians/me/allowances',
      'GET /guardians/me/allowances/{scheduleId}',
      'PATCH /guardians/me/allowances/{scheduleId}',
      'DELETE /guardians/me/allowances/{scheduleId}',
      'GET /health/live',
      'GET /openapi.json',
      'GET /metrics',
      'GET /admin/jobs',
      'POST /admin/jobs/{name}/trigger',
      'GET /admin/settlement-config',
      'PATCH /admin/settlement-config',
      'GET /admin/allowance/dlq',
      'POST /admin/allowance/dlq/replay',
    ]);
  });

  it('notices a route registered on the router without a spec', () => {
    api.app.router.get('/undocumented', (ctx) => {
      ctx.body = {};
    });
    const missing = servedOperations(api.app.router).filter((operation) => !documentedOperations(document).includes(operation));
    expect(missing).to.deep.equal(['GET /undocumented']);
  });

  it('describes an operation from its spec: UUID path parameter, body schema with error codes, security, responses', () => {
    const create = document.paths['/guardians/me/allowances/{juniorId}']!['post']!;
    expect(document.openapi).to.equal('3.1.0');
    expect(create.operationId).to.equal('createAllowanceSchedule');
    expect(create.parameters).to.deep.equal([{ name: 'juniorId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }]);
    expect(create.requestBody?.content['application/json'].schema).to.deep.equal(CREATE_ALLOWANCE_BODY);
    expect(create.requestBody?.content['application/json'].schema).to.have.nested.property('properties.amount.x-error-code', 'MONEY.INVALID_AMOUNT');
    expect(create.security).to.deep.equal([{ bearerAuth: [] }]);
    expect(create['x-required-role']).to.equal('guardian');
    expect(Object.keys(create.responses)).to.deep.equal(['201', '400', '401', '403', '404', '409', '413', '415']);
    expect(create.responses['409']?.content?.['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/Error' });
    expect(document.paths['/health/live']!['get']!.security).to.deep.equal([]);
    expect(document.paths['/guardians/me/allowances/{scheduleId}']!['delete']!.responses['204']).to.deep.equal({ description: 'Deleted' });
    expect(document.components.securitySchemes.bearerAuth).to.deep.equal({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('describes an optional body, the statuses of the admin API and a text response', () => {
    const trigger = document.paths['/admin/jobs/{name}/trigger']!['post']!;
    expect(trigger.requestBody).to.deep.equal({ required: false, content: { 'application/json': { schema: TRIGGER_JOB_BODY } } });
    expect(trigger['x-required-role']).to.equal('admin');
    expect(Object.keys(trigger.responses)).to.deep.equal(['200', '202', '400', '401', '403', '404', '409', '413', '415']);
    expect(document.paths['/admin/settlement-config']!['patch']!.requestBody?.required).to.equal(true);
    const metrics = document.paths['/metrics']!['get']!;
    expect(Object.keys(metrics.responses['200']?.content ?? {})).to.deep.equal([PROMETHEUS_TEXT_MEDIA_TYPE]);
    expect(PROMETHEUS_TEXT_MEDIA_TYPE).to.match(/^text\/plain; version=0\.0\.4/);
  });
});
