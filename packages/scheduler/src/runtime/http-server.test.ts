import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import Koa from 'koa';
import { memoryLogger } from '@banca/domain/ports';
import { createHttpApp, defineRoute } from '@banca/http-koa';
import { HttpServer, type HttpServerLimits } from './http-server';

const LIMITS: HttpServerLimits = { headersTimeoutMs: 1000, requestTimeoutMs: 1500, keepAliveTimeoutMs: 1000, maxConnections: 4 };

/** Reads the whole body, then answers after `?waitMs=` milliseconds: a slow handler, not a slow client. */
function echoApp(): Koa {
  const app = new Koa();
  // A body cut off by the server fails its read: expected here, not worth koa's stderr report.
  app.silent = true;
  app.use(async (ctx) => {
    let size = 0;
    for await (const chunk of ctx.req) size += (chunk as Buffer).length;
    await new Promise((resolve) => setTimeout(resolve, Number(ctx.query['waitMs'] ?? 0)));
    ctx.body = { size };
  });
  return app;
}

const TAKES_A_BODY = defineRoute({
  method: 'POST',
  path: '/things',
  operationId: 'createThing',
  summary: 'Reads a JSON body',
  auth: 'public',
  body: { type: 'object', additionalProperties: false, properties: {} },
  responses: { 204: { description: 'Read' } },
  handler: () => ({ status: 204 }),
});

interface Connection {
  socket: Socket;
  received: () => string;
  /** Resolves when the server ends the connection. */
  closed: Promise<void>;
}

function open(port: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => {
      received += chunk;
    });
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => received, closed }));
    socket.once('error', reject);
  });
}

/** Writes `text` a byte at a time every `everyMs` until the connection closes; resolves with what was sent. */
async function trickle(connection: Connection, text: string, everyMs = 100): Promise<number> {
  let sent = 0;
  let open = true;
  void connection.closed.then(() => {
    open = false;
  });
  while (open && sent < text.length) {
    connection.socket.write(text[sent]!);
    sent += 1;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return sent;
}

const statusOf = (response: string) => /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1];

describe('HttpServer limits on slow clients', function () {
  this.timeout(30_000);
  let server: HttpServer;
  let port: number;

  beforeEach(async () => {
    server = new HttpServer(echoApp(), 0, LIMITS);
    port = await server.start();
  });
  afterEach(() => server.stop(1000));

  it('answers 408 and cuts off a client whose body is still arriving at the request timeout', async () => {
    const client = await open(port);
    client.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n');
    const sent = await trickle(client, 'x'.repeat(1000));
    expect(sent, 'bytes of the body sent before the cut').to.be.below(1000);
    expect(statusOf(client.received())).to.equal('408');
  });

  it('logs a client cut off mid-body by the app as one HTTP_CONNECTION_ERROR line, not a stack on stderr', async () => {
    const logger = memoryLogger('app');
    const app = createHttpApp({ routes: [TAKES_A_BODY], authSecret: 'http-server-test-secret', logger });
    const appServer = new HttpServer(app, 0, LIMITS);
    const appPort = await appServer.start();
    try {
      const client = await open(appPort);
      client.socket.write('POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
      await client.closed;
      expect(statusOf(client.received())).to.equal('408');
      expect(app.listenerCount('error'), 'koa prints to stderr only without a listener').to.equal(1);
      expect(logger.entries.filter((entry) => entry.action === 'HTTP_CONNECTION_ERROR').map((entry) => entry.payload?.['code'])).to.deep.equal(['ERR_HTTP_REQUEST_TIMEOUT']);
    } finally {
      await appServer.stop(1000);
    }
  });

  it('cuts off a client that never finishes its headers', async () => {
    const client = await open(port);
    const headers = `GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ${'y'.repeat(500)}\r\n\r\n`;
    const sent = await trickle(client, headers);
    expect(sent, 'bytes of the headers sent before the cut').to.be.below(headers.length);
  });

  it('serves a request sent at once whose handler takes longer than the request timeout', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/?waitMs=${LIMITS.requestTimeoutMs + 1000}`, { method: 'POST', body: 'x'.repeat(100) });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ size: 100 });
  });

  it('sends a streamed answer whole while it outlasts the request timeout, and logs it once, at its end', async () => {
    const logger = memoryLogger('app');
    const chunks = 6;
    const slowCsv = defineRoute({
      method: 'GET',
      path: '/rows',
      operationId: 'slowRows',
      summary: 'CSV that takes longer than the request timeout to produce',
      auth: 'public',
      responses: { 200: { description: 'Rows', schema: { type: 'object' }, alternatives: [{ mediaType: 'text/csv; charset=utf-8' }] } },
      handler: () => ({
        status: 200,
        body: Readable.from(
          (async function* () {
            for (let i = 0; i < chunks; i += 1) {
              yield `${i}\r\n`;
              await new Promise((resolve) => setTimeout(resolve, LIMITS.requestTimeoutMs / 3));
            }
          })(),
        ),
      }),
    });
    const appServer = new HttpServer(createHttpApp({ routes: [slowCsv], authSecret: 'http-server-test-secret', logger }), 0, LIMITS);
    const appPort = await appServer.start();
    try {
      const response = await fetch(`http://127.0.0.1:${appPort}/rows`, { headers: { accept: 'text/csv' } });
      expect(await response.text()).to.equal(Array.from({ length: chunks }, (_, i) => `${i}\r\n`).join(''));
      const logged = logger.entries.filter((entry) => entry.action.startsWith('HTTP_'));
      expect(logged.map((entry) => entry.action)).to.deep.equal(['HTTP_REQUEST']);
      expect(logged[0]!.payload).to.include({ status: 200, completed: true });
    } finally {
      await appServer.stop(1000);
    }
  });

  it('closes a keep-alive connection once it has been idle for the keep-alive timeout', async () => {
    const client = await open(port);
    client.socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await client.closed;
    expect(statusOf(client.received())).to.equal('200');
  });

  it(`closes connections beyond ${LIMITS.maxConnections} as they arrive, and serves again once the slow ones are cut off`, async () => {
    const held = await Promise.all(Array.from({ length: LIMITS.maxConnections }, () => open(port)));
    for (const connection of held) connection.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n');
    const extra = await open(port);
    extra.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await extra.closed;
    expect(extra.received(), 'the connection over the limit is closed unanswered').to.equal('');

    await Promise.all(held.map((connection) => connection.closed));
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).to.equal(200);
  });
});
