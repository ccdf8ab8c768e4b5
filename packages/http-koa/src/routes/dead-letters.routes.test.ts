import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { fixedClock, getDeadLetter, listDeadLetters, memoryLogger, purgeDeadLetters, recordDeadLetter, replayDeadLetters, type DeadLetterMessage } from '@banca/domain/ports';
import { InMemoryAllowanceQueue, InMemoryDeadLetters } from '@banca/domain/testing';
import { createHttpApp } from '../app';
import { signToken } from '../middleware/auth.middleware';
import { call, errorOf, serve, type TestRequest, type TestServer } from '../testing/http-server.test-helpers';
import { deadLetterRoutes, type DeadLetterOperations } from './dead-letters.routes';

const SECRET = 'dead-letter-routes-test-secret';
const NOW = new Date('2025-06-01T12:00:00.000Z');
const SCHEDULE = '3f2b8c1e-5d4a-4b6f-9e2d-1a2b3c4d5e6f';
const runBody = (minutes: number) => JSON.stringify({ scheduleId: SCHEDULE, runAt: new Date(NOW.getTime() - minutes * 60_000).toISOString() });
const UNKNOWN = '00000000-0000-4000-8000-00000000dead';

describe('dead-letter routes', () => {
  let server: TestServer;
  let store: InMemoryDeadLetters;
  let queue: InMemoryAllowanceQueue;
  const admin = signToken({ sub: 'ops-ana', role: 'admin' }, SECRET);

  beforeEach(async () => {
    store = new InMemoryDeadLetters();
    queue = new InMemoryAllowanceQueue();
    const clock = fixedClock(NOW);
    const logger = memoryLogger('test');
    const operations: DeadLetterOperations = {
      listDeadLetters: (options) => listDeadLetters({ deadLetters: store }, options),
      getDeadLetter: (id) => getDeadLetter({ deadLetters: store }, id),
      replayDeadLetters: (target, userId) => replayDeadLetters({ deadLetters: store, queue, clock, logger }, target, { requestId: randomUUID(), by: userId }),
      purgeDeadLetters: (request, userId) => purgeDeadLetters({ deadLetters: store, clock, logger }, request, userId),
    };
    server = await serve(createHttpApp({ routes: deadLetterRoutes(operations), authSecret: SECRET, logger, validateResponses: true }));
  });
  afterEach(() => server.close());

  const request = (path: string, options: TestRequest = {}) => call(server.base, path, { token: admin, ...options });
  async function given(rawBody: string, overrides: Partial<DeadLetterMessage> = {}): Promise<string> {
    await recordDeadLetter({ deadLetters: store, clock: fixedClock(NOW), logger: memoryLogger('test') }, {
      messageId: 'm',
      rawBody,
      reasonCode: 'ALLOWANCE.INSUFFICIENT_FUNDS',
      reason: 'gave up after 5 attempts: ALLOWANCE.INSUFFICIENT_FUNDS: short',
      attempts: 5,
      deadLetteredAt: new Date(NOW.getTime() - 60_000),
      ...overrides,
    });
    return (await store.latestPosition()).toString().padStart(12, '0').replace(/^/, '00000000-0000-4000-8000-');
  }

  it('lists open dead letters newest first, a page at a time, with every field', async () => {
    const first = await given(runBody(1), { deadLetteredAt: new Date(NOW.getTime() - 3 * 60_000) });
    const second = await given(runBody(2), { deadLetteredAt: new Date(NOW.getTime() - 2 * 60_000) });
    const malformed = await given('not json', { reasonCode: 'VALIDATION.INVALID_INPUT', reason: 'VALIDATION.INVALID_INPUT: not JSON', attempts: 1 });
    const page = await request('/admin/dead-letters?limit=2');
    expect(page.status).to.equal(200);
    const body = page.body as { items: Array<Record<string, unknown>>; nextCursor: string };
    expect(body.items.map((item) => item['id'])).to.deep.equal([malformed, second]);
    expect(body.items[0]).to.deep.equal({
      id: malformed,
      messageKey: body.items[0]!['messageKey'],
      messageId: 'm',
      scheduleId: null,
      runAt: null,
      reasonCode: 'VALIDATION.INVALID_INPUT',
      reason: 'VALIDATION.INVALID_INPUT: not JSON',
      attempts: 1,
      rawBody: 'not json',
      deadLetteredAt: '2025-06-01T11:59:00.000Z',
      recordedAt: '2025-06-01T12:00:00.000Z',
      status: 'open',
      replayRequestId: null,
      replayClaimedAt: null,
      replayedAt: null,
      replayedBy: null,
      purgedAt: null,
      purgedBy: null,
      purgeReason: null,
    });
    const next = await request(`/admin/dead-letters?limit=2&cursor=${body.nextCursor}`);
    expect(next.body).to.deep.include({ nextCursor: null });
    expect((next.body as { items: Array<{ id: string }> }).items.map((item) => item.id)).to.deep.equal([first]);
    const filtered = await request(`/admin/dead-letters?reasonCode=ALLOWANCE.INSUFFICIENT_FUNDS&scheduleId=${SCHEDULE}&from=2025-06-01T05:57:00-06:00&to=2025-06-01T11:58:00Z`);
    expect((filtered.body as { items: Array<{ id: string }> }).items.map((item) => item.id)).to.deep.equal([first]);
    expect((await request('/admin/dead-letters?status=replayed')).body).to.deep.equal({ items: [], nextCursor: null });
  });

  it('shows one dead letter, 404 for an unknown one', async () => {
    const id = await given(runBody(1));
    expect((await request(`/admin/dead-letters/${id}`)).body).to.deep.include({ id, scheduleId: SCHEDULE, status: 'open', attempts: 5 });
    const missing = await request(`/admin/dead-letters/${UNKNOWN}`);
    expect(missing.status).to.equal(404);
    expect(errorOf(missing).code).to.equal('DEAD_LETTER.NOT_FOUND');
  });

  it('replays chosen dead letters, saying why the others were not, and then all the open ones', async () => {
    const a = await given(runBody(1));
    const b = await given(runBody(2));
    const malformed = await given('not json');
    const replay = await request('/admin/dead-letters/replay', { method: 'POST', json: { ids: [a, malformed, UNKNOWN] } });
    expect(replay.status).to.equal(200);
    const result = replay.body as { requestId: string; replayed: unknown[]; notReplayed: unknown[] };
    expect(result.requestId).to.match(/^[0-9a-f-]{36}$/);
    expect(result.replayed).to.deep.equal([{ id: a, scheduleId: SCHEDULE, runAt: '2025-06-01T11:59:00.000Z' }]);
    expect(result.notReplayed).to.deep.equal([
      { id: malformed, reason: 'malformed' },
      { id: UNKNOWN, reason: 'unknown' },
    ]);
    expect((await request(`/admin/dead-letters/${a}`)).body).to.deep.include({ status: 'replayed', replayedBy: 'ops-ana', replayedAt: NOW.toISOString(), replayRequestId: result.requestId });
    const all = await request('/admin/dead-letters/replay', { method: 'POST', json: { all: true } });
    expect((all.body as { replayed: Array<{ id: string }> }).replayed.map((row) => row.id)).to.deep.equal([b]);
    expect(queue.drain()).to.deep.equal([JSON.parse(runBody(1)), JSON.parse(runBody(2))]);
  });

  it('answers 503 ALLOWANCE.QUEUE_UNAVAILABLE when the broker does not confirm, leaving the dead letters open', async () => {
    const a = await given(runBody(1));
    queue.failNext();
    const replay = await request('/admin/dead-letters/replay', { method: 'POST', json: { ids: [a] } });
    expect(replay.status).to.equal(503);
    expect(errorOf(replay)).to.deep.include({ code: 'ALLOWANCE.QUEUE_UNAVAILABLE' });
    expect((await request(`/admin/dead-letters/${a}`)).body).to.deep.include({ status: 'open' });
  });

  it('purges chosen dead letters with the reason and the caller', async () => {
    const a = await given(runBody(1));
    const b = await given(runBody(2));
    await request('/admin/dead-letters/replay', { method: 'POST', json: { ids: [b] } });
    const purge = await request('/admin/dead-letters/purge', { method: 'POST', json: { ids: [a, b], reason: 'paid by hand' } });
    expect(purge).to.deep.include({ status: 200, body: { purged: [a], notPurged: [{ id: b, reason: 'already-replayed' }] } });
    expect((await request(`/admin/dead-letters/${a}`)).body).to.deep.include({ status: 'purged', purgedBy: 'ops-ana', purgeReason: 'paid by hand', purgedAt: NOW.toISOString() });
    const replay = await request('/admin/dead-letters/replay', { method: 'POST', json: { ids: [a] } });
    expect((replay.body as { notReplayed: unknown[] }).notReplayed).to.deep.equal([{ id: a, reason: 'purged' }]);
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const id = await given(runBody(1));
    const cursor = (await request('/admin/dead-letters?limit=1&status=any')).body as { nextCursor: string | null };
    expect(cursor.nextCursor).to.equal(null);
    const cases: Array<[string, TestRequest, string, string]> = [
      ['/admin/dead-letters?limit=0', {}, 'VALIDATION.INVALID_INPUT', 'limit'],
      ['/admin/dead-letters?limit=10000', {}, 'VALIDATION.INVALID_INPUT', 'limit'],
      ['/admin/dead-letters?limit=5.0', {}, 'VALIDATION.INVALID_INPUT', 'limit'],
      ['/admin/dead-letters?cursor=not-a-cursor', {}, 'VALIDATION.INVALID_INPUT', 'cursor'],
      ['/admin/dead-letters?status=closed', {}, 'VALIDATION.INVALID_INPUT', 'status'],
      ['/admin/dead-letters?month=2025-13', {}, 'VALIDATION.INVALID_INPUT', 'month'],
      ['/admin/dead-letters?status=open&status=any', {}, 'VALIDATION.INVALID_INPUT', 'status'],
      ['/admin/dead-letters?reasonCode=insufficient', {}, 'VALIDATION.INVALID_INPUT', 'reasonCode'],
      ['/admin/dead-letters?scheduleId=1%27%20OR%201%3D1', {}, 'VALIDATION.INVALID_INPUT', 'scheduleId'],
      ['/admin/dead-letters?from=2025-13-01T00:00:00Z', {}, 'TIME.INVALID_INSTANT', 'from'],
      ['/admin/dead-letters?to=2025-06-01T00:00:00', {}, 'TIME.INVALID_INSTANT', 'to'],
      ['/admin/dead-letters?from=2025-06-02T00:00:00Z&to=2025-06-01T00:00:00Z', {}, 'VALIDATION.INVALID_INPUT', 'to'],
      ['/admin/dead-letters/42', {}, 'VALIDATION.INVALID_INPUT', 'id'],
      ['/admin/dead-letters/replay', { method: 'POST', json: {} }, 'VALIDATION.INVALID_INPUT', 'ids'],
      ['/admin/dead-letters/replay', { method: 'POST', json: { ids: [id], all: true } }, 'VALIDATION.INVALID_INPUT', 'all'],
      ['/admin/dead-letters/replay', { method: 'POST', json: { all: false } }, 'VALIDATION.INVALID_INPUT', 'all'],
      ['/admin/dead-letters/replay', { method: 'POST', json: { ids: [] } }, 'VALIDATION.INVALID_INPUT', 'ids'],
      ['/admin/dead-letters/replay', { method: 'POST', json: { ids: [id, id] } }, 'VALIDATION.INVALID_INPUT', 'ids'],
      ['/admin/dead-letters/replay', { method: 'POST', json: { ids: ['42'] } }, 'VALIDATION.INVALID_INPUT', 'ids[0]'],
      ['/admin/dead-letters/replay', { method: 'POST', json: { all: true, limit: 5 } }, 'VALIDATION.INVALID_INPUT', 'limit'],
      ['/admin/dead-letters/purge', { method: 'POST', json: { ids: [id] } }, 'VALIDATION.INVALID_INPUT', 'reason'],
      ['/admin/dead-letters/purge', { method: 'POST', json: { ids: [id], reason: '' } }, 'VALIDATION.INVALID_INPUT', 'reason'],
      ['/admin/dead-letters/purge', { method: 'POST', json: { ids: [id], reason: '   ' } }, 'VALIDATION.INVALID_INPUT', 'reason'],
      ['/admin/dead-letters/purge', { method: 'POST', json: { ids: [id], reason: 'x'.repeat(501) } }, 'VALIDATION.INVALID_INPUT', 'reason'],
      ['/admin/dead-letters/purge', { method: 'POST', json: { reason: 'why' } }, 'VALIDATION.INVALID_INPUT', 'ids'],
    ];
    for (const [path, options, code, field] of cases) {
      const response = await request(path, options);
      const label = `${path} ${JSON.stringify(options.json ?? null).slice(0, 80)}`;
      expect(response.status, label).to.equal(400);
      expect(errorOf(response), label).to.deep.include({ code });
      expect(errorOf(response).details, label).to.include({ field });
    }
    expect(await store.findById(id)).to.deep.include({ status: 'open' });
    expect(queue.published).to.deep.equal([]);
  });

  it('answers only admins', async () => {
    const guardian = signToken({ sub: '00000000-0000-4000-8000-000000000009', role: 'guardian' }, SECRET);
    const routes: Array<[string, TestRequest]> = [
      ['/admin/dead-letters', {}],
      [`/admin/dead-letters/${UNKNOWN}`, {}],
      ['/admin/dead-letters/replay', { method: 'POST', json: { all: true } }],
      ['/admin/dead-letters/purge', { method: 'POST', json: { ids: [UNKNOWN], reason: 'x' } }],
    ];
    for (const [path, options] of routes) {
      expect((await call(server.base, path, options)).status, path).to.equal(401);
      expect((await call(server.base, path, { ...options, token: guardian })).status, path).to.equal(403);
    }
  });

  it('documents every route with its schemas in /openapi.json', async () => {
    const document = (await call(server.base, '/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: Array<{ name: string }>; requestBody?: unknown }>> };
    expect(Object.keys(document.paths)).to.include.members(['/admin/dead-letters', '/admin/dead-letters/{id}', '/admin/dead-letters/replay', '/admin/dead-letters/purge']);
    expect(document.paths['/admin/dead-letters']!['get']!.parameters!.map((parameter) => parameter.name)).to.have.members(['status', 'reasonCode', 'scheduleId', 'from', 'to', 'limit', 'cursor']);
    expect(document.paths['/admin/dead-letters/replay']!['post']!.requestBody).to.be.an('object');
    expect(document.paths['/admin/dead-letters/purge']!['post']!.requestBody).to.be.an('object');
  });
});
