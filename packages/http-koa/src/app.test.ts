import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { signToken } from './middleware/auth.middleware';
import { defineRoute } from './routing/route-spec';
import { adminPingRoute, type AllowanceApi, AUTH_SECRET, startAllowanceApi } from './testing/allowance-api.test-helpers';
import { errorOf } from './testing/http-server.test-helpers';

const failing = defineRoute({
  method: 'GET',
  path: '/boom',
  operationId: 'boom',
  summary: 'Fails the way a lost database connection does',
  auth: 'public',
  responses: { 200: { description: 'Never' } },
  handler: () => {
    throw new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');
  },
});

describe('HTTP app', () => {
  let api: AllowanceApi;

  beforeEach(async () => {
    api = await startAllowanceApi({ extraRoutes: [adminPingRoute, failing] });
  });
  afterEach(() => api.server.close());

  describe('roles', () => {
    it('refuses a guardian token on an admin route with 403 AUTH.FORBIDDEN', async () => {
      const response = await api.call('/admin/ping', { method: 'POST' });
      expect(response.status).to.equal(403);
      expect(errorOf(response).code).to.equal('AUTH.FORBIDDEN');
    });

    it('lets an admin token through to the admin route', async () => {
      const token = signToken({ sub: 'ops-1', role: 'admin' }, AUTH_SECRET);
      expect(await api.call('/admin/ping', { method: 'POST', token })).to.deep.include({ status: 200, body: { sub: 'ops-1' } });
    });

    it('refuses a body on a route that takes none', async () => {
      const token = signToken({ sub: 'ops-1', role: 'admin' }, AUTH_SECRET);
      const response = await api.call('/admin/ping', { method: 'POST', token, json: { force: true } });
      expect(response.status).to.equal(400);
      expect(errorOf(response)).to.deep.include({ code: 'VALIDATION.INVALID_INPUT', details: { field: 'body', reason: 'must be empty' } });
    });
  });

  describe('order of checks: the token before the body', () => {
    const brokenJson = { raw: '{"force": tru', headers: { 'content-type': 'application/json' } };

    it('answers 401 to a request with no token and broken JSON', async () => {
      const response = await api.call('/admin/ping', { method: 'POST', anonymous: true, ...brokenJson });
      expect(response.status).to.equal(401);
      expect(errorOf(response).code).to.equal('AUTH.MISSING_TOKEN');
    });

    it('answers 403 to a guardian token with broken JSON on an admin route', async () => {
      const response = await api.call('/admin/ping', { method: 'POST', ...brokenJson });
      expect(response.status).to.equal(403);
      expect(errorOf(response).code).to.equal('AUTH.FORBIDDEN');
    });

    it('answers 401 rather than 415 or 413 to an anonymous body of the wrong type or size', async () => {
      const path = `/guardians/me/allowances/${api.juniorId}`;
      const form = await api.call(path, { method: 'POST', anonymous: true, raw: 'amount=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      const huge = await api.call(path, { method: 'POST', anonymous: true, json: { padding: 'x'.repeat(70 * 1024) } });
      expect([form.status, huge.status]).to.deep.equal([401, 401]);
    });

    it('still refuses broken JSON with 400 HTTP.INVALID_JSON once the token is right', async () => {
      const token = signToken({ sub: 'ops-1', role: 'admin' }, AUTH_SECRET);
      const response = await api.call('/admin/ping', { method: 'POST', token, ...brokenJson });
      expect(response.status).to.equal(400);
      expect(errorOf(response).code).to.equal('HTTP.INVALID_JSON');
    });

    it('answers 404 to an unknown path and 405 to a wrong method whatever the body', async () => {
      expect((await api.call('/nowhere', { method: 'POST', ...brokenJson })).status).to.equal(404);
      expect((await api.call('/guardians/me/allowances', { method: 'POST', ...brokenJson })).status).to.equal(405);
    });
  });

  describe('routing', () => {
    it('answers 404 HTTP.NOT_FOUND for an unknown path', async () => {
      const response = await api.call('/guardians/me/pocket-money');
      expect(response.status).to.equal(404);
      expect(errorOf(response).code).to.equal('HTTP.NOT_FOUND');
    });

    it('answers 405 HTTP.METHOD_NOT_ALLOWED with an Allow header for a known path and a wrong method', async () => {
      const response = await api.call('/guardians/me/allowances', { method: 'DELETE' });
      expect(response.status).to.equal(405);
      expect(errorOf(response).code).to.equal('HTTP.METHOD_NOT_ALLOWED');
      expect(response.headers.get('allow')).to.equal('HEAD, GET, OPTIONS');
    });

    it('answers OPTIONS with the allowed methods', async () => {
      const response = await api.call(`/guardians/me/allowances/${api.juniorId}`, { method: 'OPTIONS' });
      expect(response.status).to.equal(204);
      expect(response.headers.get('allow')?.split(', ').sort()).to.deep.equal(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST']);
    });

    it('answers an unexpected failure with 500 INTERNAL_ERROR, revealing nothing, and logs it', async () => {
      const response = await api.call('/boom', { headers: { 'x-request-id': 'req-500' } });
      expect(response.status).to.equal(500);
      expect(response.body).to.deep.equal({ error: { code: 'INTERNAL_ERROR', message: 'the server could not complete the request' } });
      const logged = api.logger.entries.find((entry) => entry.action === 'HTTP_UNHANDLED_ERROR');
      expect(logged?.payload).to.deep.include({ method: 'GET', path: '/boom', requestId: 'req-500' });
      expect(logged?.payload?.['error']).to.contain('ECONNREFUSED');
    });
  });

  describe('request id, log line and timing hook', () => {
    it('echoes a caller\'s X-Request-Id and logs the request at layer http with its route template', async () => {
      await api.call(`/guardians/me/allowances/${api.juniorId}`, {
        method: 'POST',
        json: { amount: '10.00', frequency: 'DAILY', status: 'ON' },
        headers: { 'x-request-id': 'client-trace.42' },
      });
      const line = api.logger.entries.filter((entry) => entry.action === 'HTTP_REQUEST').at(-1)!;
      expect(line).to.deep.include({ level: 'info', layer: 'http' });
      expect(line.payload).to.deep.include({ method: 'POST', route: '/guardians/me/allowances/:juniorId', status: 201, requestId: 'client-trace.42' });
      expect(line.payload?.['durationMs']).to.be.a('number').at.least(0);
      expect(api.timings.at(-1)).to.deep.include({ route: '/guardians/me/allowances/:juniorId', method: 'POST', status: 201 });
    });

    it('generates a request id when the caller offers none or an unsafe one', async () => {
      const none = await api.call('/guardians/me/allowances');
      const unsafe = await api.call('/guardians/me/allowances', { headers: { 'x-request-id': 'a b\tc' } });
      for (const response of [none, unsafe]) expect(response.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
      expect(none.headers.get('x-request-id')).not.to.equal(unsafe.headers.get('x-request-id'));
    });

    it('logs and times refused and unmatched requests with the status they got', async () => {
      await api.call('/guardians/me/allowances', { anonymous: true });
      await api.call('/nowhere');
      expect(api.timings.slice(-2).map(({ route, status }) => ({ route, status }))).to.deep.equal([
        { route: '/guardians/me/allowances', status: 401 },
        { route: '(unmatched)', status: 404 },
      ]);
      const lines = api.logger.entries.filter((entry) => entry.action === 'HTTP_REQUEST').slice(-2);
      expect(lines.map((line) => line.payload?.['status'])).to.deep.equal([401, 404]);
    });
  });

  describe('request bodies', () => {
    it('answers 413 to a chunked body that grows over the limit while it is read', async () => {
      const before = await api.store.snapshot();
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(
          `${api.server.base}/guardians/me/allowances/${api.juniorId}`,
          { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` } },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode!, body: text }));
          },
        );
        request.on('error', reject);
        request.write(`{"amount":"1.00","frequency":"DAILY","status":"ON","padding":"`);
        for (let i = 0; i < 20; i += 1) request.write('x'.repeat(8 * 1024));
        request.end('"}');
      });
      expect(status).to.equal(413);
      expect((JSON.parse(body) as { error: { code: string } }).error.code).to.equal('HTTP.PAYLOAD_TOO_LARGE');
      expect(await api.store.snapshot()).to.deep.equal(before);
    });

    it('honours a smaller configured body limit', async () => {
      const small = await startAllowanceApi({ bodyLimitBytes: 32 });
      try {
        const response = await small.call(`/guardians/me/allowances/${small.juniorId}`, {
          method: 'POST',
          json: { amount: '10.00', frequency: 'DAILY', status: 'ON' },
        });
        expect(response.status).to.equal(413);
      } finally {
        await small.server.close();
      }
    });

    it('accepts a JSON media type with a UTF-8 charset', async () => {
      const response = await api.call(`/guardians/me/allowances/${api.juniorId}`, {
        method: 'POST',
        json: { amount: '10.00', frequency: 'DAILY', status: 'ON' },
        headers: { 'content-type': 'application/json; charset=UTF-8' },
      });
      expect(response.status).to.equal(201);
    });
  });
});
