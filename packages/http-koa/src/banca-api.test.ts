import { expect } from 'chai';
import { bancaApiDocument } from './banca-api';

describe('bancaApiDocument', () => {
  it('describes the whole API without a running service: the admin read API and /openapi.json itself', () => {
    const document = bancaApiDocument();
    expect(Object.keys(document.paths)).to.include.members([
      '/health/ready',
      '/admin/jobs',
      '/admin/jobs/{name}/trigger',
      '/admin/settlement-config',
      '/admin/runs',
      '/admin/runs/{id}',
      '/admin/closings',
      '/admin/reconciliation',
      '/admin/dead-letters',
      '/admin/dead-letters/replay',
      '/admin/dead-letters/purge',
      '/admin/allowances',
      '/admin/allowances/{scheduleId}/credits',
      '/metrics',
      '/openapi.json',
    ]);
    expect(document.paths['/admin/closings']!['get']!.responses['200']!.content).to.have.keys('application/json', 'text/csv; charset=utf-8; header=present');
  });

  it('is the same document every time', () => {
    expect(JSON.stringify(bancaApiDocument())).to.equal(JSON.stringify(bancaApiDocument()));
  });
});
