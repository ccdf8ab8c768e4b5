/// <reference types="mocha" />
import { createHmac, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { signToken } from '@banca/http-koa';
import { probeLiveness } from '@banca/http-koa/testing';
import { createAllowanceWorld, TEST_AUTH_SECRET, type AllowanceWorld } from '../e2e/allowance/allowance-world.test-helpers';
import { startScenario } from './fault-report.faults-helpers';
import { faultSeed, seededRandom, waitFor } from './fault-world.faults-helpers';
import { checkInvariants } from './invariants.faults-helpers';

const REQUESTS = Number(process.env['FAULTS_HTTP_REQUESTS'] ?? 5_000);
const CONCURRENCY = 16;
const HOUR = 3_600_000;
/** Dead letters of runs of no schedule, which the world's worker dead-letters again whenever they are replayed. */
const POISON = 10;
const ZEROS = '0'.repeat(64 * 1024 - 100);
/** A JSON number of 64 KB: once read in quadratic time, each held the event loop for seconds. */
const LONG_NUMBER = `{"amount":1.${ZEROS}1,"frequency":"DAILY","status":"ON"}`;
/** The same digits as a string: as large, and cheap to read. */
const LONG_STRING = `{"amount":"1.${ZEROS}1","frequency":"DAILY","status":"ON"}`;

/** One request written byte for byte on its own connection; resolves with the status, or 0 without an answer. */
function rawRequest(port: number, request: Buffer, timeoutMs = 15_000): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(finalResponse(received));
      resolve(match ? Number(match[1]) : 0);
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (/^HTTP\/1\.[01] \d{3}/.test(finalResponse(received))) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => {
      socket.write(request, () => undefined);
    });
  });
}

/** A request through fetch, for the pinned requests whose answer is checked beyond its status. */
async function sendJson(base: string, method: string, path: string, token: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A problem with a refusal, or null when it is the 400 with this code naming this field. */
function refusalProblem(answer: { status: number; body: Record<string, unknown> }, code: string, field: string): string | null {
  const error = answer.body['error'] as { code?: string; details?: { field?: string } } | undefined;
  return answer.status === 400 && error?.code === code && error.details?.field === field ? null : `expected 400 ${code} naming ${field}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
}

/** The response after any interim 1xx ones (100 Continue). */
const finalResponse = (received: string): string => received.replace(/^(HTTP\/1\.[01] 1\d\d[^\r]*\r\n(?:[^\r]+\r\n)*\r\n)+/, '');

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function jwt(header: object, payload: object, secret: string | null): string {
  const head = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return secret === null ? `${head}.` : `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** Counts of every table of the schema and checksums of the rows money and schedules live in. */
async function snapshot(knex: Knex): Promise<Record<string, string>> {
  const { rows: tables } = await knex.raw<{ rows: Array<{ table_name: string }> }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const state: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    // The pinned DLQ replays record each poison run again on purpose: that table is checked on its own.
    if (table === 'allowance_dead_letters') continue;
    const { rows } = await knex.raw<{ rows: Array<{ n: number }> }>(`SELECT count(*)::int AS n FROM "${table}"`);
    state[`count:${table}`] = String(rows[0]!.n);
  }
  for (const table of ['allowance_schedules', 'accounts', 'account_statement_settlement_config']) {
    const { rows } = await knex.raw<{ rows: Array<{ sum: string | null }> }>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS sum FROM "${table}" AS t`);
    state[`md5:${table}`] = rows[0]!.sum ?? '';
  }
  return state;
}

describe('faults: random and malformed HTTP requests against the real app', function () {
  this.timeout(600_000);
  let world: AllowanceWorld | null = null;

  after(async () => {
    await world?.close();
  });

  it(`${REQUESTS} requests (bodies, headers, tokens, paths): zero 5xx, nothing written, /health/live never held up`, async () => {
    const report = startScenario('random and malformed HTTP requests');
    const seed = faultSeed();
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    world = await createAllowanceWorld({ label: 'f_http', workers: 1 });
    const w = world;
    const poisonKeys = new Set<string>();
    for (let i = 0; i < POISON; i++) {
      const run = { scheduleId: randomUUID(), runAt: new Date(Date.now() - HOUR).toISOString() };
      poisonKeys.add(`${run.scheduleId}:${run.runAt}`);
      await w.publishRaw(JSON.stringify(run), { to: 'dlq' });
    }
    const openPoison = async () => (await w.deadLetters()).filter((row) => row.status === 'open' || row.status === 'replaying');
    await waitFor(async () => (await openPoison()).length === POISON, `the ${POISON} poison dead letters recorded`, 60_000);
    const guardianId = await w.givenGuardian('1000.00');
    const juniorId = await w.givenJunior(guardianId);
    const freeJuniorId = await w.givenJunior(guardianId);
    const scheduleId = await w.givenSchedule({ guardianId, juniorId, amount: '10.00', frequency: 'WEEKLY', anchorAt: new Date(Date.now() - HOUR) });
    const port = Number(new URL(w.baseUrl).port);
    const now = Math.floor(Date.now() / 1000);

    // The real guardian's token only goes with requests that cannot be valid; every other token is refused.
    const realGuardian = signToken({ sub: guardianId, role: 'guardian' }, TEST_AUTH_SECRET);
    const refusedTokens: Array<[string, string | null]> = [
      ['none', null],
      ['empty bearer', 'Bearer '],
      ['bearer only', 'Bearer'],
      ['basic', 'Basic dXNlcjpwYXNz'],
      ['garbage', `Bearer ${'x'.repeat(40)}`],
      ['three dots', 'Bearer a.b.c'],
      ['wrong secret', `Bearer ${jwt({ alg: 'HS256', typ: 'JWT' }, { sub: guardianId, role: 'guardian', exp: now + 600 }, 'not-the-secret-of-the-service-at-all')}`],
      ['expired', `Bearer ${jwt({ alg: 'HS256', typ: 'JWT' }, { sub: guardianId, role: 'guardian', exp: now - 60 }, TEST_AUTH_SECRET)}`],
      ['alg none', `Bearer ${jwt({ alg: 'none', typ: 'JWT' }, { sub: guardianId, role: 'admin', exp: now + 600 }, null)}`],
      ['alg none admin signed', `Bearer ${jwt({ alg: 'none' }, { sub: 'x', role: 'admin' }, TEST_AUTH_SECRET)}`],
      ['HS512', `Bearer ${jwt({ alg: 'HS512', typ: 'JWT' }, { sub: guardianId, role: 'guardian', exp: now + 600 }, TEST_AUTH_SECRET)}`],
      ['unknown role', `Bearer ${jwt({ alg: 'HS256', typ: 'JWT' }, { sub: guardianId, role: 'root', exp: now + 600 }, TEST_AUTH_SECRET)}`],
      ['no exp', `Bearer ${jwt({ alg: 'HS256', typ: 'JWT' }, { sub: guardianId, role: 'guardian' }, 'wrong')}`],
      ['sub not a uuid', `Bearer ${signToken({ sub: "1' OR 1=1 --", role: 'guardian' }, TEST_AUTH_SECRET)}`],
      ['stranger guardian', `Bearer ${signToken({ sub: randomUUID(), role: 'guardian' }, TEST_AUTH_SECRET)}`],
      ['tampered payload', `Bearer ${realGuardian.split('.')[0]}.${b64url(JSON.stringify({ sub: guardianId, role: 'admin', exp: now + 600 }))}.${realGuardian.split('.')[2]}`],
    ];
    const wrongRole = { admin: `Bearer ${signToken({ sub: 'faults-admin', role: 'admin' }, TEST_AUTH_SECRET)}`, guardian: `Bearer ${realGuardian}` };
    const ids = [juniorId, freeJuniorId, scheduleId, randomUUID(), 'not-a-uuid', '00000000-0000-0000-0000-000000000000', `${scheduleId}.json`, '%00', '..%2F..%2Fetc%2Fpasswd', 'ñandú', '😀'];
    const guardianPaths = () => pick(['/guardians/me/allowances', `/guardians/me/allowances/${pick(ids)}`, `/guardians/${pick(ids)}/allowances`, `/guardians/me/allowances/${pick(ids)}/extra`]);
    const adminPaths = () =>
      pick(['/admin/jobs', `/admin/jobs/${pick(['settlement', 'monthly-closing', 'allowance.enqueue', 'nope', '..', '%2e%2e'])}/trigger`, '/admin/settlement-config', '/admin/allowance/dlq', '/admin/allowance/dlq/replay',
        '/admin/dead-letters', `/admin/dead-letters/${pick(ids)}`, '/admin/dead-letters/replay', '/admin/dead-letters/purge', `/admin/dead-letters?cursor=${pick(ids)}&limit=${pick(['0', '10000', '5', '-1', '1e3'])}`]);
    const oddPaths = () =>
      pick([
        '/', '/../../etc/passwd', '/guardians/me/allowances/../../admin/jobs', '/%2e%2e/%2e%2e/etc/passwd', '//admin//jobs', '/admin/jobs?x=1&x=2', '/openapi.json',
        `/guardians/me/allowances/${'a'.repeat(8_000)}`, `/${'ü'.repeat(300)}`, '/guardians/me/allowances/%ZZ', '/admin/jobs/%F0%9F%98%80/trigger', '/guardians/me/allowances?status[$ne]=x', '/metrics', '/health/ready',
      ]);
    const methods = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'get', 'P OST'];
    const invalidBodies = (): string =>
      pick([
        '{', '{"amount":', 'null', '[]', '"string"', '12', 'true', '{"amount":"2500.00","frequency":"MONTHLY"', `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
        `{"a":${'{"a":'.repeat(2_000)}1${'}'.repeat(2_001)}`, '{"amount":1e309,"frequency":"MONTHLY","status":"ON"}', '{"amount":123456789012345678901234567890,"frequency":"DAILY","status":"ON"}',
        '{"amount":"100.0000000000000001","frequency":"DAILY","status":"ON"}', '{"amount":"-5.00","frequency":"DAILY","status":"ON"}', '{"amount":"0","frequency":"DAILY","status":"ON"}',
        '{"amount":true,"frequency":"DAILY","status":"ON"}', '{"amount":"10.00","frequency":"HOURLY","status":"ON"}', '{"amount":"10.00","frequency":"DAILY","status":"MAYBE"}',
        '{"amount":"10.00","frequency":"DAILY","status":"ON","guardianId":"x","isAdmin":true}', '{"amount":"10.00","frequency":"DAILY","status":"ON","startAt":"yesterday"}',
        '{"__proto__":{"admin":true},"amount":"10.00"}', '{"amount":"10.00","amount":"1e400","frequency":"DAILY","status":"ON","extra":1}', '{"status":[]}', '{"amount":{}}', '{}',
        '\u0000\u0001\u0002', 'amount=10&frequency=DAILY', `{"amount":"${'9'.repeat(10_000)}.00","frequency":"DAILY","status":"ON"}`, '{"month":"2025-13"}', '{"limit":-1}', '{"limit":"all"}', '{"enabled":"yes"}',
      ]);
    const contentTypes = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/xml', '', '*/*', 'application/merge-patch+json'];

    interface Built { label: string; bytes: Buffer; readOnly: boolean }
    const build = (): Built => {
      const kind = random();
      let authorization: string | null;
      let path: string;
      let label: string;
      let real = false;
      if (kind < 0.5) {
        const [name, header] = pick(refusedTokens);
        authorization = header;
        path = random() < 0.5 ? guardianPaths() : random() < 0.7 ? adminPaths() : oddPaths();
        label = `token:${name}`;
      } else if (kind < 0.7) {
        const admin = random() < 0.5;
        authorization = admin ? wrongRole.admin : wrongRole.guardian;
        path = admin ? guardianPaths() : adminPaths();
        label = admin ? 'role:admin-on-guardian' : 'role:guardian-on-admin';
      } else {
        authorization = wrongRole.guardian;
        path = random() < 0.8 ? guardianPaths() : oddPaths();
        label = 'real-guardian';
        real = true;
      }
      let method = pick(methods);
      // The real guardian never deletes: a delete of its own schedule would be a valid write.
      if (real && method.toUpperCase() === 'DELETE') method = 'GET';
      const hasBody = method !== 'GET' && method !== 'HEAD' && random() < 0.85;
      const body = hasBody ? Buffer.from(invalidBodies(), 'utf8') : Buffer.alloc(0);
      const headers: string[] = ['Host: 127.0.0.1', 'Connection: close'];
      if (authorization !== null) headers.push(`Authorization: ${authorization}`);
      if (random() < 0.1) headers.push(`Authorization: Bearer ${'y'.repeat(20)}`);
      const contentType = pick(contentTypes);
      if (hasBody && contentType) headers.push(`Content-Type: ${contentType}`);
      const lengthKind = random();
      let payload = body;
      if (hasBody && lengthKind < 0.08) headers.push(`Content-Length: ${pick(['99999999999', '65537', '1000000', '1e9', '-1', 'abc'])}`);
      else if (hasBody && lengthKind < 0.12) {
        headers.push('Transfer-Encoding: chunked');
        payload = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
      } else if (hasBody) headers.push(`Content-Length: ${body.length}`);
      if (random() < 0.03) headers.push(`X-Huge: ${'h'.repeat(20_000)}`);
      if (random() < 0.05) headers.push(pick(['Accept: text/html', 'Content-Encoding: gzip', 'Expect: 100-continue', 'X-Forwarded-For: 10.0.0.1, <script>', 'Cookie: a=b']));
      const head = Buffer.from(`${method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`, 'utf8');
      return { label: `${label} ${method} ${path.slice(0, 60)}`, bytes: Buffer.concat([head, payload]), readOnly: ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase()) };
    };

    // Requests that once broke the service, each with the answer it must get, pinned among the random ones.
    const admin = wrongRole.admin.slice('Bearer '.length);
    const guardian = wrongRole.guardian.slice('Bearer '.length);
    const pinned: Array<{ label: string; check: () => Promise<string | null> }> = [
      ...Array.from({ length: 8 }, () => ({
        label: 'a 64 KB JSON number',
        check: async () => refusalProblem(await sendJson(w.baseUrl, 'POST', `/guardians/me/allowances/${freeJuniorId}`, guardian, LONG_NUMBER), 'MONEY.INVALID_AMOUNT', 'amount'),
      })),
      ...['0 0 30 2 *', '0 0 31 4 *', '0 0 30 2 1', '0 0 31 2,4,6 *'].map((cronSchedule) => ({
        label: `settlement rule ${cronSchedule}, which never fires`,
        check: async () =>
          refusalProblem(await sendJson(w.baseUrl, 'PATCH', '/admin/settlement-config', admin, JSON.stringify({ enabled: true, cronSchedule })), 'SCHEDULE.INVALID_CRON', 'cronSchedule'),
      })),
      ...['0000-01', '0000-12'].map((month) => ({
        label: `monthly closing of ${month}`,
        check: async () => refusalProblem(await sendJson(w.baseUrl, 'POST', '/admin/jobs/monthly-closing/trigger', admin, JSON.stringify({ month })), 'TIME.INVALID_MONTH', 'month'),
      })),
      ...(
        [
          ['GET', '/admin/dead-letters?cursor=not-a-cursor', null, 'VALIDATION.INVALID_INPUT', 'cursor'],
          ['GET', '/admin/dead-letters?limit=0', null, 'VALIDATION.INVALID_INPUT', 'limit'],
          ['GET', '/admin/dead-letters?limit=10000', null, 'VALIDATION.INVALID_INPUT', 'limit'],
          ['GET', '/admin/dead-letters?month=2025-13', null, 'VALIDATION.INVALID_INPUT', 'month'],
          ['GET', '/admin/dead-letters?from=2025-02-30T00:00:00Z', null, 'TIME.INVALID_INSTANT', 'from'],
          ['POST', '/admin/dead-letters/replay', { ids: [randomUUID()], all: true }, 'VALIDATION.INVALID_INPUT', 'all'],
          ['POST', '/admin/dead-letters/purge', { ids: [randomUUID()], reason: ' ' }, 'VALIDATION.INVALID_INPUT', 'reason'],
        ] as const
      ).map(([method, path, body, code, field]) => ({
        label: `dead letters: ${method} ${path} ${JSON.stringify(body)}`,
        check: async () =>
          refusalProblem(
            method === 'GET'
              ? await fetch(`${w.baseUrl}${path}`, { headers: { authorization: `Bearer ${admin}` } }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }))
              : await sendJson(w.baseUrl, method, path, admin, JSON.stringify(body)),
            code,
            field,
          ),
      })),
      ...Array.from({ length: 4 }, () => ({
        label: 'a DLQ replay of 10,000 while the worker dead-letters every replayed message',
        check: async () => {
          const answer = await sendJson(w.baseUrl, 'POST', '/admin/allowance/dlq/replay', admin, JSON.stringify({ limit: 10_000 }));
          const replayed = answer.body['replayed'];
          return answer.status === 200 && typeof replayed === 'number' && replayed <= POISON ? null : `expected 200 replaying at most ${POISON}, got ${answer.status} ${JSON.stringify(answer.body)}`;
        },
      })),
    ];

    // How long /health/live waits while 64 KB bodies that are cheap to read arrive, to judge the scenario's waits by.
    const calmProbe = probeLiveness(w.baseUrl);
    for (let round = 0; round < 2; round++) {
      await Promise.all(Array.from({ length: 4 }, () => sendJson(w.baseUrl, 'POST', `/guardians/me/allowances/${freeJuniorId}`, guardian, LONG_STRING)));
    }
    const calmWait = await calmProbe.stop();

    const before = await snapshot(w.knex);
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    const unanswered: string[] = [];
    const writes: string[] = [];
    const pinnedProblems: string[] = [];
    const tasks: Array<() => Promise<void>> = Array.from({ length: REQUESTS }, build).map((request) => async () => {
      const status = await rawRequest(port, request.bytes);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) serverErrors.push(`${status} ${request.label}`);
      if (status === 0) unanswered.push(request.label);
      if (status >= 200 && status < 300 && !request.readOnly) writes.push(`${status} ${request.label}`);
    });
    for (const { label, check } of pinned) {
      tasks.splice(Math.floor(random() * (tasks.length + 1)), 0, async () => {
        const problem = await check();
        if (problem !== null) pinnedProblems.push(`${label}: ${problem}`);
      });
    }
    const probe = probeLiveness(w.baseUrl);
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let task = tasks[next++]; task; task = tasks[next++]) await task();
      }),
    );
    const worstWait = await probe.stop();
    const heldUp = worstWait > 10 * calmWait + 1000;
    const poisonKept = await waitFor(async () => {
      const depths = await w.depths();
      const open = await openPoison();
      return depths.ready === 0 && depths.retrying === 0 && depths.deadLettered === 0 && open.length === POISON && open.every((row) => poisonKeys.has(row.message_key));
    }, `the ${POISON} poison dead letters open again`, 60_000).then(
      () => true,
      () => false,
    );
    const afterState = await snapshot(w.knex);
    const changed = Object.keys(before).filter((key) => before[key] !== afterState[key]);
    const invariants = await checkInvariants(w.knex);
    const byClass = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}:${n}`).join(' ');
    report.finish({
      load: `${REQUESTS} random and ${pinned.length} pinned requests, ${CONCURRENCY} at a time (statuses ${byClass})`,
      faults:
        `${REQUESTS} random/malformed requests (seed ${seed}); ${serverErrors.length} 5xx, ${unanswered.length} unanswered; ` +
        `/health/live waited at worst ${worstWait.toFixed(0)} ms (${calmWait.toFixed(0)} ms while cheap 64 KB bodies arrived)`,
      violations: invariants.total + serverErrors.length + changed.length + pinnedProblems.length + (heldUp ? 1 : 0) + (poisonKept ? 0 : 1),
    });
    expect(serverErrors.slice(0, 10), `${serverErrors.length} 5xx`).to.deep.equal([]);
    expect(pinnedProblems, 'pinned requests answered otherwise').to.deep.equal([]);
    expect(changed, 'tables changed by refused requests').to.deep.equal([]);
    expect(writes.slice(0, 10), 'state-changing requests that succeeded').to.deep.equal([]);
    expect(unanswered.slice(0, 10), `${unanswered.length} requests without an answer`).to.deep.equal([]);
    // Relative and generous: whatever a body holds, reading it never stalls the process for long.
    expect(worstWait, `worst /health/live wait ${worstWait.toFixed(0)} ms, against ${calmWait.toFixed(0)} ms while cheap bodies arrived`).to.be.at.most(10 * calmWait + 1000);
    expect(poisonKept, `the ${POISON} poison dead letters open again, none lost or multiplied`).to.equal(true);
    expect(invariants.total, invariants.describe()).to.equal(0);
  });
});
