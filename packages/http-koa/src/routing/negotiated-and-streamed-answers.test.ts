import { request } from 'node:http';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { memoryLogger } from '@banca/domain/ports';
import { createHttpApp } from '../app';
import { signToken } from '../middleware/auth.middleware';
import { call, errorOf, serve, type TestServer } from '../testing/http-server.test-helpers';
import { defineRoute, type RouteSpec } from './route-spec';

const SECRET = 'negotiated-and-streamed-answers-secret';
const CSV = 'text/csv; charset=utf-8';
const ROWS = { type: 'object', required: ['rows'], additionalProperties: false, properties: { rows: { type: 'array', items: { type: 'string' } } } };

/** A stream the test drives: each `push` sends a chunk; `fail` breaks it; `destroyed` tells whether it was released. */
function driven() {
  let destroyedWith: Error | null | undefined;
  const stream = new Readable({
    read() {},
    destroy(error, callback) {
      destroyedWith = error;
      callback(error);
    },
  });
  return {
    stream,
    push: (text: string) => stream.push(text),
    end: () => stream.push(null),
    fail: (message: string) => stream.destroy(new Error(message)),
    released: () => destroyedWith !== undefined,
  };
}

describe('answers negotiated on Accept, and streamed', () => {
  let server: TestServer;
  const logger = memoryLogger('app');
  let current = driven();
  let answer: 'stream' | 'string' | 'json-as-stream' | 'throw' = 'stream';
  const admin = signToken({ sub: 'ops', role: 'admin' }, SECRET);

  const rowsRoute = defineRoute({
    method: 'GET',
    path: '/rows',
    operationId: 'listRows',
    summary: 'Rows as JSON, or as CSV',
    auth: 'admin',
    query: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1 } } },
    responses: {
      200: { description: 'The rows', schema: ROWS, alternatives: [{ mediaType: CSV, description: 'every row, one a line' }] },
      404: { description: 'None', schema: { type: 'object' } },
    },
    handler: ({ mediaType }) => {
      if (answer === 'throw') throw new Error('the database is down');
      if (answer === 'json-as-stream') return { status: 200, body: current.stream };
      if (mediaType !== CSV) return { status: 200, body: { rows: ['a', 'b'] } };
      return { status: 200, body: answer === 'stream' ? current.stream : 'id\r\n1\r\n', headers: { 'Content-Disposition': 'attachment; filename="rows.csv"' } };
    },
  });
  const plainRoute = defineRoute({
    method: 'GET',
    path: '/plain',
    operationId: 'plain',
    summary: 'JSON only',
    auth: 'public',
    responses: { 200: { description: 'Always JSON', schema: { type: 'object' } } },
    handler: () => ({ status: 200, body: {} }),
  });

  beforeEach(async () => {
    logger.entries.length = 0;
    current = driven();
    answer = 'stream';
    server = await serve(createHttpApp({ routes: [rowsRoute, plainRoute] as RouteSpec[], authSecret: SECRET, logger, validateResponses: true }));
  });
  afterEach(() => server.close());

  const get = (path: string, accept?: string) => call(server.base, path, { token: admin, headers: accept === undefined ? {} : { accept } });
  const actions = () => logger.entries.map((entry) => entry.action);

  it('answers JSON when Accept is absent, */* or JSON, and the text alternative when Accept prefers it, saying Vary: Accept', async () => {
    answer = 'string';
    for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/csv;q=0.5']) {
      const response = await get('/rows', accept);
      expect(response.status, String(accept)).to.equal(200);
      expect(response.headers.get('content-type'), String(accept)).to.match(/^application\/json/);
      expect(response.headers.get('vary')).to.equal('Accept');
    }
    const csv = await fetch(`${server.base}/rows`, { headers: { authorization: `Bearer ${admin}`, accept: 'text/csv' } });
    expect(csv.status).to.equal(200);
    expect(csv.headers.get('content-type')).to.equal(CSV);
    expect(csv.headers.get('content-disposition')).to.equal('attachment; filename="rows.csv"');
    expect(await csv.text()).to.equal('id\r\n1\r\n');
  });

  it('refuses an Accept it cannot answer with 406 HTTP.NOT_ACCEPTABLE, after the token and the query are checked', async () => {
    const refused = await get('/rows', 'application/xml');
    expect(refused.status).to.equal(406);
    expect(errorOf(refused)).to.deep.include({ code: 'HTTP.NOT_ACCEPTABLE' });
    expect(errorOf(refused).details).to.include({ field: 'Accept' });
    expect((await call(server.base, '/rows', { headers: { accept: 'application/xml' } })).status).to.equal(401);
    const badQuery = await get('/rows?limit=0', 'text/csv');
    expect(badQuery.status, 'a refusal is JSON whatever was asked').to.equal(400);
    expect(errorOf(badQuery).details).to.include({ field: 'limit' });
  });

  it('leaves a route with one representation as it was: any Accept gets its JSON', async () => {
    const response = await call(server.base, '/plain', { headers: { accept: 'text/html' } });
    expect(response.status).to.equal(200);
    expect(response.headers.get('vary')).to.equal(null);
  });

  it('streams a text answer as it is produced, and logs the request when its last byte is sent', async () => {
    // Headers leave with the first chunk.
    const pending = fetch(`${server.base}/rows`, { headers: { authorization: `Bearer ${admin}`, accept: 'text/csv' } });
    current.push('id\r\n');
    const response = await pending;
    expect(response.status).to.equal(200);
    expect(response.headers.get('transfer-encoding')).to.equal('chunked');
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).to.equal('id\r\n');
    expect(actions(), 'the answer is still being sent').not.to.include('HTTP_REQUEST');
    current.push('1\r\n');
    current.end();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).to.equal('1\r\n');
    await until(() => actions().includes('HTTP_REQUEST'));
    expect(logger.entries.find((entry) => entry.action === 'HTTP_REQUEST')).to.deep.include({ level: 'info' });
    expect(logger.entries.find((entry) => entry.action === 'HTTP_REQUEST')!.payload).to.include({ route: '/rows', status: 200, completed: true });
  });

  it('cuts the connection off when the stream fails midway, so the answer never looks whole, and logs the failure once', async () => {
    const pending = fetch(`${server.base}/rows`, { headers: { authorization: `Bearer ${admin}`, accept: 'text/csv' } });
    current.push('id\r\n1\r\n');
    const reader = (await pending).body!.getReader();
    await reader.read();
    current.fail('connection to the database lost');
    const error = await (async () => {
      for (;;) if ((await reader.read()).done) return null;
    })().catch((e: unknown) => e);
    expect(error, 'the body ends in an error, not in a clean end').to.be.instanceOf(Error);
    await until(() => actions().includes('HTTP_REQUEST'));
    expect(logger.entries.find((entry) => entry.action === 'HTTP_STREAM_FAILED')?.payload).to.include({ route: '/rows', error: 'connection to the database lost' });
    expect(logger.entries.find((entry) => entry.action === 'HTTP_REQUEST')).to.deep.include({ level: 'error' });
    expect(logger.entries.find((entry) => entry.action === 'HTTP_REQUEST')!.payload).to.include({ completed: false });
    expect(actions()).not.to.include('HTTP_CONNECTION_ERROR');
  });

  it('releases the stream when the client goes away midway', async () => {
    const url = new URL(`${server.base}/rows`);
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: '/rows', headers: { authorization: `Bearer ${admin}`, accept: 'text/csv' } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.end();
      setTimeout(() => current.push('id\r\n'), 10);
      setTimeout(() => reject(new Error('no first chunk')), 5000);
    });
    await until(() => current.released());
    await until(() => actions().includes('HTTP_REQUEST'));
    expect(logger.entries.find((entry) => entry.action === 'HTTP_STREAM_ABORTED')?.payload).to.include({ route: '/rows' });
    expect(logger.entries.find((entry) => entry.action === 'HTTP_REQUEST')).to.deep.include({ level: 'warn' });
    expect(actions()).not.to.include('HTTP_STREAM_FAILED');
  });

  it('answers a handler failure before the stream as a JSON 500, and refuses a stream where JSON is declared', async () => {
    answer = 'throw';
    const failed = await get('/rows', 'text/csv');
    expect(failed.status).to.equal(500);
    expect(errorOf(failed).code).to.equal('INTERNAL_ERROR');
    answer = 'json-as-stream';
    expect((await get('/rows')).status).to.equal(500);
    expect(current.released(), 'the refused stream is destroyed, releasing what it holds').to.equal(true);
  });

  it('documents both media types of the answer and the 406', async () => {
    const document = (await call(server.base, '/openapi.json')).body as { paths: Record<string, Record<string, { responses: Record<string, { description: string; content?: Record<string, unknown> }> }>> };
    const responses = document.paths['/rows']!['get']!.responses;
    expect(Object.keys(responses['200']!.content!)).to.deep.equal(['application/json', CSV]);
    expect(responses['200']!.description).to.contain('every row, one a line');
    expect(responses).to.have.property('406');
    expect(document.paths['/plain']!['get']!.responses).not.to.have.property('406');
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
