import type Router from '@koa/router';
import { expect } from 'chai';
import { healthRoutes } from '../routes/health.routes';
import { CREATE_ALLOWANCE_BODY } from '../routes/allowance.schemas';
import { openApiPath } from '../routing/route-spec';
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
    api = await startAllowanceApi({ extraRoutes: [...healthRoutes({}), adminPingRoute] });
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
});
