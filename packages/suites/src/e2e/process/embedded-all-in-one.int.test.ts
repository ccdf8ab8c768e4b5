import { expect } from 'chai';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signToken } from '@banca/http-koa';
import {
  call,
  makeTempDir,
  parsePrettyLine,
  runBanca,
  schemaProblems,
  startBanca,
  useBancaCleanup,
  type JsonSchema,
  type StartedBanca,
} from './banca-process.test-helpers';

/** The demo's ids are md5 of their catalog key shaped as a UUID (adapters-postgres `seedId`). */
const demoId = (key: string) => {
  const hex = createHash('md5').update(`banca-demo:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const GUARDIAN_FERNANDEZ = demoId('guardian:fernandez');
const JUNIOR_SOFIA = demoId('junior:sofia');

/** As docs/architecture.md (Configuration) has it: `npm start` with no configuration at all runs on PGlite, the in-process queue and lock. */
describe('banca all-in-one on the embedded default (no configuration)', function () {
  useBancaCleanup();
  let dataDir: string;
  let first: StartedBanca;
  let base: string;

  before(async () => {
    dataDir = join(makeTempDir('embedded'), 'data');
    first = await startBanca('all-in-one', { BANCA_DATA_DIR: dataDir }, { lifetime: 'suite' });
    base = first.base!;
  });

  it('starts on PGlite, the in-process queue and lock, seeds the demo once, and is ready', async () => {
    expect(first.started.payload).to.include({ process: 'all-in-one' });
    expect(first.started.payload?.['backends']).to.deep.equal({ database: 'pglite', queue: 'in-process', lock: 'in-process' });
    expect(first.started.payload?.['authSecretFrom']).to.equal(`development secret in ${join(dataDir, 'dev-jwt-secret')}`);
    expect(first.banca.actions('SEED_DEMO_COMPLETE').map((e) => e.payload?.['seeded'])).to.deep.equal([true]);
    expect(existsSync(join(dataDir, 'pglite.pid'))).to.equal(true);

    const ready = await call(base, 'GET', '/health/ready');
    expect(ready.status).to.equal(200);
    expect(ready.body).to.deep.equal({ status: 'ready', checks: { database: { status: 'up' }, broker: { status: 'up' } } });
  });

  it('accepts a token made by `banca token` on the same data folder for the demo guardian, and none valid for two days', async () => {
    const made = await runBanca(['token', '--sub', GUARDIAN_FERNANDEZ, '--role', 'guardian'], { BANCA_DATA_DIR: dataDir });
    expect(made.exit.code, made.describe()).to.equal(0);
    const token = made.stdout.trim();
    expect(token.split('.')).to.have.length(3);

    const mine = await call(base, 'GET', '/guardians/me/allowances', { token });
    expect(mine.status, mine.text).to.equal(200);
    const schedules = (mine.body as { schedules: Array<Record<string, unknown>> }).schedules;
    expect(schedules.map((s) => ({ guardianId: s['guardianId'], juniorId: s['juniorId'], amount: s['amount'], frequency: s['frequency'], status: s['status'] }))).to.deep.equal([
      { guardianId: GUARDIAN_FERNANDEZ, juniorId: JUNIOR_SOFIA, amount: '5000.00', frequency: 'WEEKLY', status: 'ON' },
    ]);
    expect((await call(base, 'GET', '/guardians/me/allowances', { token: `${token}x` })).status).to.equal(401);
    const twoDays = await call(base, 'GET', '/guardians/me/allowances', { token: signToken({ sub: GUARDIAN_FERNANDEZ, role: 'guardian' }, devSecret(dataDir), 2 * 86_400) });
    expect(twoDays.status, twoDays.text).to.equal(401);
    expect(twoDays.body).to.deep.nested.include({ 'error.code': 'AUTH.TOKEN_TOO_LONG_LIVED' });
  });

  it('answers every operation of its OpenAPI document with a documented status and content', async () => {
    const tokens = { guardian: signToken({ sub: GUARDIAN_FERNANDEZ, role: 'guardian' }, devSecret(dataDir), 600), admin: adminToken(dataDir) };
    const document = (await call(base, 'GET', '/openapi.json')).body as OpenApiDocument;
    const problems: string[] = [];
    const seen = new Set<number>();
    let operations = 0;

    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations += 1;
        const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
        const role = roleOf(path, operation);
        const body = operation.requestBody?.required ? minimalValue(requestSchema(operation), document as unknown as JsonSchema) : undefined;
        const label = `${method.toUpperCase()} ${path}`;
        const check = async (token: string | undefined, expected: string | null) => {
          const answer = await call(base, method.toUpperCase(), url, { ...(token ? { token } : {}), ...(body === undefined ? {} : { body }) });
          seen.add(answer.status);
          const documented = operation.responses[String(answer.status)];
          if (!documented) return problems.push(`${label}: ${answer.status} is not documented (${answer.text.slice(0, 200)})`);
          if (expected !== null && String(answer.status) !== expected) problems.push(`${label}: expected ${expected}, got ${answer.status}`);
          const [mediaType, media] = Object.entries(documented.content ?? {})[0] ?? [];
          if (!mediaType) return answer.text === '' ? 0 : problems.push(`${label} ${answer.status}: a body where none is documented`);
          const [type, ...parameters] = mediaType.split(';').map((part) => part.trim());
          const got = answer.contentType.split(';').map((part) => part.trim());
          if (got[0] !== type || parameters.some((parameter) => !got.includes(parameter))) problems.push(`${label} ${answer.status}: content type ${answer.contentType}, documented ${mediaType}`);
          const found = type === 'application/json' ? schemaProblems(answer.body, media!.schema ?? {}, document as unknown as JsonSchema) : typeof answer.text === 'string' ? [] : ['not text'];
          return problems.push(...found.map((problem) => `${label} ${answer.status}: ${problem}`));
        };
        if (role === 'public') {
          await check(undefined, null);
        } else {
          await check(tokens[role], null);
          await check(undefined, '401');
          await check(tokens[role === 'admin' ? 'guardian' : 'admin'], '403');
        }
      }
    }
    expect(operations).to.be.greaterThan(10);
    expect([...seen]).to.include.members([200, 401, 403, 404]);
    expect(problems).to.deep.equal([]);
  });

  it('refuses a settlement rule that never fires with a 400 naming cronSchedule, saves nothing, and keeps settlement scheduled', async () => {
    const admin = adminToken(dataDir);
    const settlementJob = async () => ((await call(base, 'GET', '/admin/jobs', { token: admin })).body as { jobs: JobView[] }).jobs.find((job) => job.name === 'settlement')!;
    const before = await settlementJob();
    expect(before.nextRun).to.be.a('string');

    for (const cronSchedule of ['0 0 30 2 *', '0 0 31 4 *']) {
      const refused = await call(base, 'PATCH', '/admin/settlement-config', { token: admin, body: { enabled: true, cronSchedule } });
      expect(refused.status, refused.text).to.equal(400);
      expect((refused.body as ErrorBody).error).to.deep.include({ code: 'SCHEDULE.INVALID_CRON' });
      expect((refused.body as ErrorBody).error.details).to.include({ field: 'cronSchedule' });
    }
    expect((await call(base, 'GET', '/admin/settlement-config', { token: admin })).body).to.include({ enabled: false, cronSchedule: before.cron });
    expect(await settlementJob()).to.deep.include({ cron: before.cron, nextRun: before.nextRun });
  });

  it('refuses the month 0000-01 before PostgreSQL sees it, recording no run', async () => {
    const admin = adminToken(dataDir);
    const refused = await call(base, 'POST', '/admin/jobs/monthly-closing/trigger', { token: admin, body: { month: '0000-01' } });
    expect(refused.status, refused.text).to.equal(400);
    expect((refused.body as ErrorBody).error).to.deep.include({ code: 'TIME.INVALID_MONTH' });
    expect((refused.body as ErrorBody).error.details).to.include({ field: 'month' });
    const jobs = ((await call(base, 'GET', '/admin/jobs', { token: admin })).body as { jobs: JobView[] }).jobs;
    expect(jobs.find((job) => job.name === 'monthly-closing')?.lastRun).to.equal(null);
  });

  it('refuses a second process on the same data folder with a clear message', async () => {
    const second = await runBanca(['start'], { BANCA_DATA_DIR: dataDir, PORT: '0' });
    expect(second.exit.code).to.not.equal(0);
    expect(second.stderr).to.include(`the embedded database in ${dataDir} is in use by process`);
    expect(second.actions('BANCA_STARTED')).to.deep.equal([]);
  });

  it('exits 0 on SIGTERM after a graceful shutdown, every stdout line a JSON log entry', async () => {
    first.banca.signal('SIGTERM');
    const exit = await first.banca.exited;
    expect(exit.code, first.banca.describe()).to.equal(0);
    expect(first.banca.actions('SHUTDOWN_COMPLETE')[0]?.payload).to.include({ reason: 'SIGTERM', drained: true });
    expect(existsSync(join(dataDir, 'pglite.pid'))).to.equal(false);

    const lines = first.banca.lines;
    expect(lines.length).to.be.greaterThan(10);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(entry), line).to.satisfy((keys: string[]) => ['level', 'time', 'layer', 'action'].every((key) => keys.includes(key)));
      expect(Object.keys(entry).filter((key) => !['level', 'time', 'layer', 'action', 'payload'].includes(key)), line).to.deep.equal([]);
      expect(entry['level']).to.be.oneOf(['debug', 'info', 'warn', 'error']);
      expect(new Date(entry['time'] as string).toISOString()).to.equal(entry['time']);
      if ('payload' in entry) expect(entry['payload']).to.be.an('object');
    }
  });

  it('starts again on the same data without seeding twice, in readable lines when LOG_FORMAT=pretty', async () => {
    const again = await startBanca('all-in-one', { BANCA_DATA_DIR: dataDir, LOG_FORMAT: 'pretty' });
    expect(again.started.payload?.['backends']).to.deep.equal({ database: 'pglite', queue: 'in-process', lock: 'in-process' });
    again.banca.signal('SIGTERM');
    expect((await again.banca.exited).code, again.banca.describe()).to.equal(0);

    for (const line of again.banca.lines) {
      expect(() => JSON.parse(line), line).to.throw();
      expect(parsePrettyLine(line), line).to.not.equal(null);
    }
    const actions = again.banca.prettyLogs.map((entry) => entry.action);
    expect(actions).to.include.members(['BANCA_STARTED', 'SHUTDOWN_COMPLETE']);
    expect(actions).to.not.include('DATABASE_MIGRATED');
    expect(again.banca.prettyLogs.filter((e) => e.action === 'SEED_DEMO_COMPLETE').map((e) => e.payload?.['seeded'])).to.deep.equal([false]);
  });
});

interface JobView {
  name: string;
  cron: string;
  nextRun: string | null;
  lastRun: unknown;
}
interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** The development secret the process keeps in its data folder, and an admin token signed with it. */
const devSecret = (dataDir: string) => readFileSync(join(dataDir, 'dev-jwt-secret'), 'utf8').trim();
const adminToken = (dataDir: string) => signToken({ sub: 'embedded-e2e', role: 'admin' }, devSecret(dataDir), 600);

interface OpenApiMedia {
  schema?: JsonSchema;
}
interface OpenApiOperation {
  security?: Array<Record<string, unknown>>;
  requestBody?: { required?: boolean; content: Record<string, OpenApiMedia> };
  responses: Record<string, { description: string; content?: Record<string, OpenApiMedia> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** public without security; else the role its 403 names, or the path's area. */
function roleOf(path: string, operation: OpenApiOperation): 'public' | 'guardian' | 'admin' {
  if (!operation.security || operation.security.length === 0) return 'public';
  const named = /role is not (guardian|admin)/.exec(operation.responses['403']?.description ?? '')?.[1];
  if (named === 'guardian' || named === 'admin') return named;
  return path.startsWith('/admin') ? 'admin' : 'guardian';
}

function requestSchema(operation: OpenApiOperation): JsonSchema {
  return operation.requestBody?.content['application/json']?.schema ?? {};
}

/** The smallest value the schema accepts: required properties only (one when some are needed), documented examples first. */
function minimalValue(schema: JsonSchema, root: JsonSchema): unknown {
  if (typeof schema['$ref'] === 'string') {
    const target = (schema['$ref'] as string).replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
    return minimalValue(target as JsonSchema, root);
  }
  if (Array.isArray(schema['examples']) && schema['examples'].length > 0) return schema['examples'][0];
  if (Array.isArray(schema['enum'])) return schema['enum'][0];
  const type = ([] as unknown[]).concat(schema['type'] ?? 'object')[0];
  if (type === 'object') {
    const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
    const required = (schema['required'] ?? []) as string[];
    const names = required.length > 0 ? required : typeof schema['minProperties'] === 'number' ? Object.keys(properties).slice(0, schema['minProperties']) : [];
    return Object.fromEntries(names.map((name) => [name, minimalValue(properties[name] ?? {}, root)]));
  }
  if (type === 'integer' || type === 'number') return typeof schema['minimum'] === 'number' ? schema['minimum'] : 1;
  if (type === 'boolean') return true;
  if (type === 'array') return [];
  return 'x';
}
