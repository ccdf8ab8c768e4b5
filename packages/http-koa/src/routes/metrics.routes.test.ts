import { expect } from 'chai';
import { type AdminApi, startAdminApi } from '../testing/admin-api.test-helpers';
import { PROMETHEUS_TEXT_MEDIA_TYPE } from './metrics.routes';

const EXPOSITION = '# HELP banca_jobs_runs_total Job runs by outcome\n# TYPE banca_jobs_runs_total counter\nbanca_jobs_runs_total{job="settlement",status="SUCCESS"} 4\n';

describe('GET /metrics', () => {
  let api: AdminApi;
  let renders = 0;

  beforeEach(async () => {
    renders = 0;
    api = await startAdminApi({
      renderMetrics: async () => {
        renders += 1;
        return EXPOSITION;
      },
    });
  });
  afterEach(() => api.server.close());

  it('answers the rendered exposition as text/plain; version=0.0.4, without a token', async () => {
    const response = await fetch(`${api.server.base}/metrics`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal(PROMETHEUS_TEXT_MEDIA_TYPE);
    expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).to.equal(EXPOSITION);
    expect(renders).to.equal(1);
  });

  it('renders afresh for every scrape', async () => {
    await fetch(`${api.server.base}/metrics`);
    await fetch(`${api.server.base}/metrics`);
    expect(renders).to.equal(2);
  });

  it('is text even when the exposition is empty or starts like markup', async () => {
    const empty = await startAdminApi({ renderMetrics: async () => '' });
    const markup = await startAdminApi({ renderMetrics: async () => '<not html>\n' });
    try {
      for (const other of [empty, markup]) {
        const response = await fetch(`${other.server.base}/metrics`);
        expect(response.status).to.equal(200);
        expect(response.headers.get('content-type')).to.equal(PROMETHEUS_TEXT_MEDIA_TYPE);
      }
    } finally {
      await Promise.all([empty.server.close(), markup.server.close()]);
    }
  });

  it('answers 500 INTERNAL_ERROR, revealing nothing, when rendering fails', async () => {
    const failing = await startAdminApi({ renderMetrics: () => Promise.reject(new Error('collector blew up at /srv/secret')) });
    try {
      const response = await fetch(`${failing.server.base}/metrics`);
      expect(response.status).to.equal(500);
      expect(await response.json()).to.deep.equal({ error: { code: 'INTERNAL_ERROR', message: 'the server could not complete the request' } });
    } finally {
      await failing.server.close();
    }
  });

  it('is described in the OpenAPI document as text/plain', async () => {
    const operation = api.app.openApiDocument.paths['/metrics']!['get']!;
    expect(operation.security).to.deep.equal([]);
    expect(operation.responses['200']?.content).to.have.all.keys(PROMETHEUS_TEXT_MEDIA_TYPE);
    expect(operation.responses['200']?.content?.[PROMETHEUS_TEXT_MEDIA_TYPE]?.schema).to.deep.include({ type: 'string' });
  });
});

describe('GET /metrics with a metrics token configured', () => {
  const TOKEN = 'metrics-scrape-token-0123456789';
  let api: AdminApi;

  beforeEach(async () => {
    api = await startAdminApi({ renderMetrics: async () => EXPOSITION, metricsToken: TOKEN });
  });
  afterEach(() => api.server.close());

  const scrape = (authorization?: string) => fetch(`${api.server.base}/metrics`, authorization === undefined ? {} : { headers: { authorization } });

  it('answers a scrape that carries the token', async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).to.equal(200);
    expect(await response.text()).to.equal(EXPOSITION);
  });

  it('refuses a scrape without it (401 AUTH.MISSING_TOKEN) or with another (401 AUTH.INVALID_TOKEN), showing no metric', async () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'AUTH.MISSING_TOKEN'],
      [`Bearer ${TOKEN}x`, 'AUTH.INVALID_TOKEN'],
      [`Bearer ${TOKEN.slice(0, -1)}`, 'AUTH.INVALID_TOKEN'],
      [`Basic ${Buffer.from(`prometheus:${TOKEN}`).toString('base64')}`, 'AUTH.INVALID_TOKEN'],
      [`Bearer ${api.adminToken}`, 'AUTH.INVALID_TOKEN'],
    ];
    for (const [authorization, code] of cases) {
      const response = await scrape(authorization);
      expect(response.status, String(authorization)).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.equal('Bearer');
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code, String(authorization)).to.equal(code);
    }
  });
});
