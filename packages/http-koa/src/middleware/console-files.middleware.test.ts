import { expect } from 'chai';
import { get as httpGet } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '@banca/domain/ports';
import { createHttpApp } from '../app';
import { adminPingRoute } from '../testing/allowance-api.test-helpers';
import { serve, type TestServer } from '../testing/http-server.test-helpers';

const INDEX = '<!doctype html><title>console</title><script type="module" src="/console/assets/index-abc123.js"></script>';
const SCRIPT = 'console.log("console");';

describe('the operator console at /console', () => {
  let dir: string;
  let server: TestServer;
  const logger = memoryLogger();

  const start = async (consoleDir: string) => {
    server = await serve(createHttpApp({ routes: [adminPingRoute], authSecret: 'console-files-test-secret', logger, consoleDir }));
  };
  const get = (path: string, init: RequestInit = {}) => fetch(`${server.base}${path}`, { redirect: 'manual', ...init });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-files-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
    await start(dir);
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the entry page at /console and /console/, to be revalidated every time', async () => {
    for (const path of ['/console', '/console/']) {
      const response = await get(path);
      expect(response.status, path).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).to.equal('no-cache');
      expect(response.headers.get('content-security-policy')).to.contain("default-src 'self'");
      expect(await response.text()).to.equal(INDEX);
    }
  });

  it('serves the hashed assets as immutable', async () => {
    const response = await get('/console/assets/index-abc123.js');
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    expect(await response.text()).to.equal(SCRIPT);
  });

  it('answers the entry page for the console\'s own routes, so a reload of /console/runs/42 works', async () => {
    for (const path of ['/console/runs', '/console/runs/42', '/console/settlement?x=1']) {
      const response = await get(path);
      expect(response.status, path).to.equal(200);
      expect(response.headers.get('cache-control')).to.equal('no-cache');
      expect(await response.text()).to.equal(INDEX);
    }
  });

  it('answers 404 for a missing file instead of the page, so a stale asset fails visibly', async () => {
    for (const path of ['/console/assets/index-gone.js', '/console/favicon.ico']) {
      const response = await get(path);
      expect(response.status, path).to.equal(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('HTTP.NOT_FOUND');
    }
  });

  it('serves nothing outside its folder', async () => {
    writeFileSync(join(dir, '..', `${dir.split('/').pop()}-secret.txt`), 'secret');
    for (const path of ['/console/..%2f..%2fetc%2fpasswd', '/console/%2e%2e/secret.txt', '/console/assets/%00.js']) {
      const response = await get(path);
      expect([400, 404], path).to.include(response.status);
      expect(await response.text()).not.to.contain('root:');
    }
    rmSync(join(dir, '..', `${dir.split('/').pop()}-secret.txt`));
  });

  it('answers 304 to a browser that has the current entry page', async () => {
    const first = await get('/console/');
    const etag = first.headers.get('etag')!;
    expect(etag).to.match(/^W\/"/);
    // fetch adds `Cache-Control: no-cache` to a conditional request, which asks for the whole page: ask as a browser does.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      httpGet(`${server.base}/console/`, { headers: { 'If-None-Match': etag } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on('error', reject);
    });
    expect(status).to.equal(304);
  });

  it('answers HEAD with the headers only, and refuses other methods with 405', async () => {
    const head = await get('/console/assets/index-abc123.js', { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.headers.get('content-length')).to.equal(String(Buffer.byteLength(SCRIPT)));
    const post = await get('/console/', { method: 'POST' });
    expect(post.status).to.equal(405);
    expect(post.headers.get('allow')).to.equal('GET, HEAD');
  });

  it('reads nothing until asked: a build made after start-up is served, and a missing one says how to make it', async () => {
    await server.close();
    const later = join(dir, 'later');
    await start(later);
    const missing = await get('/console/');
    expect(missing.status).to.equal(503);
    expect(((await missing.json()) as { error: { code: string } }).error.code).to.equal('CONSOLE.NOT_BUILT');
    mkdirSync(later);
    writeFileSync(join(later, 'index.html'), INDEX);
    expect((await get('/console/')).status).to.equal(200);
  });

  it('leaves every other path to the API', async () => {
    expect((await get('/consoles')).status).to.equal(404);
    expect((await get('/admin/ping', { method: 'POST' })).status).to.equal(401);
  });
});
