import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { parseCreateAllowanceInput, parseUpdateAllowanceInput } from '@banca/domain';
import { signToken } from '../middleware/auth.middleware';
import { type AllowanceApi, AUTH_SECRET, NOW, startAllowanceApi } from '../testing/allowance-api.test-helpers';
import { domainCodeOf } from '../testing/domain-error.test-helpers';
import { errorOf, type TestRequest } from '../testing/http-server.test-helpers';
import { expiredToken, tokenWithClaims, unsignedToken } from '../testing/tokens.test-helpers';

interface BadInput {
  name: string;
  /** The create route of the caller's junior unless given. */
  path?: (api: AllowanceApi) => string;
  request: TestRequest & { anonymous?: boolean };
  tokenOf?: (api: AllowanceApi) => string;
  status: number;
  code: string;
  field?: string;
}

const VALID = { amount: '1500.00', frequency: 'WEEKLY', status: 'ON' } as const;
const create = (json: unknown): TestRequest => ({ method: 'POST', json });
const createRaw = (raw: string, contentType = 'application/json'): TestRequest => ({ method: 'POST', raw, headers: { 'content-type': contentType } });
const update = (json: unknown): TestRequest => ({ method: 'PATCH', json });
// Created in the suite's before hook: a schedule of the caller's that refused updates must leave alone.
let existingScheduleId = '';
const existingSchedule = () => `/guardians/me/allowances/${existingScheduleId}`;

const CREATE_BODY_CASES: BadInput[] = [
  { name: 'a body that is not JSON', request: createRaw('amount=1500&frequency=WEEKLY', 'application/x-www-form-urlencoded'), status: 415, code: 'HTTP.UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a JSON body sent as text/plain', request: createRaw(JSON.stringify(VALID), 'text/plain'), status: 415, code: 'HTTP.UNSUPPORTED_MEDIA_TYPE' },
  { name: 'JSON in another charset', request: createRaw(JSON.stringify(VALID), 'application/json; charset=latin1'), status: 415, code: 'HTTP.UNSUPPORTED_MEDIA_TYPE' },
  { name: 'broken JSON', request: createRaw('{"amount": "1500.00",'), status: 400, code: 'HTTP.INVALID_JSON' },
  { name: 'no body', request: { method: 'POST' }, status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'body' },
  { name: 'an array body', request: create([VALID]), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'body' },
  { name: 'a missing amount', request: create({ frequency: 'WEEKLY', status: 'ON' }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'amount' },
  { name: 'a missing frequency', request: create({ amount: '1.00', status: 'ON' }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'frequency' },
  { name: 'a missing status', request: create({ amount: '1.00', frequency: 'DAILY' }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'status' },
  { name: 'an extra field', request: create({ ...VALID, juniorId: randomUUID() }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'juniorId' },
  { name: 'a misspelt field', request: create({ ...VALID, startsAt: '2025-04-01T08:00:00-06:00' }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'startsAt' },
  { name: 'a zero amount', request: create({ ...VALID, amount: 0 }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a zero amount as text', request: create({ ...VALID, amount: '0.00' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a negative amount', request: create({ ...VALID, amount: -5 }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a negative amount as text', request: create({ ...VALID, amount: '-250.75' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a three-decimal amount', request: create({ ...VALID, amount: 1.005 }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a three-decimal amount as text', request: create({ ...VALID, amount: '1500.001' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a huge amount', request: create({ ...VALID, amount: 100000000 }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a huge amount as text', request: create({ ...VALID, amount: '100000000.00' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a non-numeric amount', request: create({ ...VALID, amount: 'mil quinientos' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'an amount with an exponent', request: create({ ...VALID, amount: '1.5e3' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a NaN amount', request: create({ ...VALID, amount: 'NaN' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a null amount', request: create({ ...VALID, amount: null }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a boolean amount', request: create({ ...VALID, amount: true }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  {
    name: 'a JSON number with more decimals than a double keeps',
    request: createRaw('{"amount": 100.0000000000000001, "frequency": "WEEKLY", "status": "ON"}'),
    status: 400,
    code: 'MONEY.INVALID_AMOUNT',
    field: 'amount',
  },
  { name: 'a JSON number with an exponent', request: createRaw('{"amount": 1e3, "frequency": "WEEKLY", "status": "ON"}'), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a JSON number with a negative exponent', request: createRaw('{"amount": 1e-2, "frequency": "WEEKLY", "status": "ON"}'), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'a JSON number with three decimals written', request: createRaw('{"amount": 10.000, "frequency": "WEEKLY", "status": "ON"}'), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'an amount with a plus sign', request: create({ ...VALID, amount: '+10' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'an amount with a leading zero', request: create({ ...VALID, amount: '010.00' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'an amount with a leading space', request: create({ ...VALID, amount: ' 10.00' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'an amount with a trailing space', request: create({ ...VALID, amount: '10.00 ' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'an amount after a non-breaking space', request: create({ ...VALID, amount: '\u00a010.00' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'an amount before a non-breaking space', request: create({ ...VALID, amount: '10.00\u00a0' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  {
    name: 'an amount given twice, the last one valid',
    request: createRaw('{"amount": "-1", "amount": "5.00", "frequency": "WEEKLY", "status": "ON"}'),
    status: 400,
    code: 'VALIDATION.INVALID_INPUT',
    field: 'amount',
  },
  { name: 'an unknown frequency', request: create({ ...VALID, frequency: 'HOURLY' }), status: 400, code: 'ALLOWANCE.INVALID_FREQUENCY', field: 'frequency' },
  { name: 'a lower-case frequency', request: create({ ...VALID, frequency: 'weekly' }), status: 400, code: 'ALLOWANCE.INVALID_FREQUENCY', field: 'frequency' },
  { name: 'a numeric frequency', request: create({ ...VALID, frequency: 7 }), status: 400, code: 'ALLOWANCE.INVALID_FREQUENCY', field: 'frequency' },
  { name: 'an unknown status', request: create({ ...VALID, status: 'PAUSED' }), status: 400, code: 'ALLOWANCE.INVALID_STATUS', field: 'status' },
  { name: 'a boolean status', request: create({ ...VALID, status: true }), status: 400, code: 'ALLOWANCE.INVALID_STATUS', field: 'status' },
  { name: 'a startAt in the past', request: create({ ...VALID, startAt: '2025-03-03T07:59:59-06:00' }), status: 400, code: 'ALLOWANCE.START_IN_PAST', field: 'startAt' },
  { name: 'a startAt in the year 9999', request: create({ ...VALID, startAt: '9999-03-03T08:00:00-06:00' }), status: 400, code: 'ALLOWANCE.START_TOO_FAR', field: 'startAt' },
  { name: 'a startAt a year and a minute ahead', request: create({ ...VALID, startAt: '2026-03-03T08:01:00-06:00' }), status: 400, code: 'ALLOWANCE.START_TOO_FAR', field: 'startAt' },
  { name: 'a startAt without an offset', request: create({ ...VALID, startAt: '2025-04-01T08:00:00' }), status: 400, code: 'TIME.INVALID_INSTANT', field: 'startAt' },
  { name: 'a startAt that is only a date', request: create({ ...VALID, startAt: '2025-04-01' }), status: 400, code: 'TIME.INVALID_INSTANT', field: 'startAt' },
  { name: 'a startAt on a day that does not exist', request: create({ ...VALID, startAt: '2025-02-30T08:00:00Z' }), status: 400, code: 'TIME.INVALID_INSTANT', field: 'startAt' },
  { name: 'a numeric startAt', request: create({ ...VALID, startAt: 1741010400000 }), status: 400, code: 'TIME.INVALID_INSTANT', field: 'startAt' },
];

const CREATE_TARGET_CASES: BadInput[] = [
  { name: 'a malformed junior id', path: () => '/guardians/me/allowances/jnr-1', request: create(VALID), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'juniorId' },
  { name: 'another guardian\'s junior', path: (api) => `/guardians/me/allowances/${api.otherJuniorId}`, request: create(VALID), status: 404, code: 'JUNIOR.NOT_FOUND' },
  { name: 'a junior that does not exist', path: () => `/guardians/me/allowances/${randomUUID()}`, request: create(VALID), status: 404, code: 'JUNIOR.NOT_FOUND' },
  { name: 'a second schedule for the same junior', path: (api) => `/guardians/me/allowances/${api.juniorId}`, request: create(VALID), status: 409, code: 'ALLOWANCE.ALREADY_EXISTS' },
];

const AUTH_CASES: BadInput[] = [
  { name: 'no token', request: { ...create(VALID), anonymous: true }, status: 401, code: 'AUTH.MISSING_TOKEN' },
  { name: 'a Basic Authorization header', request: { ...create(VALID), anonymous: true, headers: { authorization: 'Basic dXNlcjpwYXNz' } }, status: 401, code: 'AUTH.INVALID_TOKEN' },
  { name: 'an expired token', tokenOf: (api) => expiredToken({ sub: api.guardianId, role: 'guardian' }, AUTH_SECRET), request: create(VALID), status: 401, code: 'AUTH.TOKEN_EXPIRED' },
  { name: 'a token signed with another secret', tokenOf: (api) => signToken({ sub: api.guardianId, role: 'guardian' }, 'not-the-secret'), request: create(VALID), status: 401, code: 'AUTH.INVALID_TOKEN' },
  { name: 'an unsigned (alg none) token', tokenOf: (api) => unsignedToken({ sub: api.guardianId, role: 'guardian' }), request: create(VALID), status: 401, code: 'AUTH.INVALID_TOKEN' },
  { name: 'a guardian token whose subject is not a guardian id', tokenOf: () => signToken({ sub: 'root', role: 'guardian' }, AUTH_SECRET), request: create(VALID), status: 401, code: 'AUTH.INVALID_TOKEN' },
  { name: 'an admin token', tokenOf: (api) => signToken({ sub: api.guardianId, role: 'admin' }, AUTH_SECRET), request: create(VALID), status: 403, code: 'AUTH.FORBIDDEN' },
  { name: 'a token valid for two days', tokenOf: (api) => signToken({ sub: api.guardianId, role: 'guardian' }, AUTH_SECRET, 2 * 86_400), request: create(VALID), status: 401, code: 'AUTH.TOKEN_TOO_LONG_LIVED' },
  {
    name: 'a token that expires in 1e300 seconds',
    tokenOf: (api) => tokenWithClaims({ sub: api.guardianId, role: 'guardian', exp: 1e300 }, AUTH_SECRET),
    request: create(VALID),
    status: 401,
    code: 'AUTH.TOKEN_TOO_LONG_LIVED',
  },
];

const UPDATE_CASES: BadInput[] = [
  { name: 'an empty update', path: existingSchedule, request: update({}), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'body' },
  { name: 'an update without a body', path: existingSchedule, request: { method: 'PATCH' }, status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'body' },
  { name: 'an update of startAt', path: existingSchedule, request: update({ startAt: '2025-04-01T08:00:00Z' }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'startAt' },
  { name: 'an update to a zero amount', path: existingSchedule, request: update({ amount: '0' }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'an update to a three-decimal amount', path: existingSchedule, request: update({ amount: 12.345 }), status: 400, code: 'MONEY.INVALID_AMOUNT', field: 'amount' },
  { name: 'an update to an unknown frequency', path: existingSchedule, request: update({ frequency: 'YEARLY' }), status: 400, code: 'ALLOWANCE.INVALID_FREQUENCY', field: 'frequency' },
  { name: 'an update to an unknown status', path: existingSchedule, request: update({ status: 'on' }), status: 400, code: 'ALLOWANCE.INVALID_STATUS', field: 'status' },
  { name: 'an update with a malformed schedule id', path: () => '/guardians/me/allowances/sch-000001', request: update({ status: 'OFF' }), status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'scheduleId' },
  { name: 'a delete with a malformed schedule id', path: () => '/guardians/me/allowances/1%20OR%201=1', request: { method: 'DELETE' }, status: 400, code: 'VALIDATION.INVALID_INPUT', field: 'scheduleId' },
  { name: 'a PUT, which the API does not serve', path: existingSchedule, request: { method: 'PUT', json: VALID }, status: 405, code: 'HTTP.METHOD_NOT_ALLOWED' },
];

describe('guardian allowance API refuses bad input precisely and writes nothing', () => {
  let api: AllowanceApi;

  before(async () => {
    api = await startAllowanceApi();
    const existing = await api.call(`/guardians/me/allowances/${api.juniorId}`, { method: 'POST', json: VALID });
    existingScheduleId = (existing.body as { id: string }).id;
    await api.call(`/guardians/me/allowances/${api.otherJuniorId}`, { token: api.otherToken, method: 'POST', json: VALID });
  });
  after(() => api.server.close());

  const freeJuniorPath = (target: AllowanceApi) => `/guardians/me/allowances/${target.store.givenJunior(target.guardianId)}`;

  for (const bad of [...CREATE_BODY_CASES, ...CREATE_TARGET_CASES, ...AUTH_CASES, ...UPDATE_CASES]) {
    it(`${bad.name}: ${bad.status} ${bad.code}`, async () => {
      const before = await api.store.snapshot();
      const path = (bad.path ?? freeJuniorPath)(api);
      const response = await api.call(path, bad.tokenOf ? { ...bad.request, token: bad.tokenOf(api) } : bad.request);
      expect(response.status, JSON.stringify(response.body)).to.equal(bad.status);
      expect(errorOf(response).code).to.equal(bad.code);
      if (bad.field !== undefined) expect(errorOf(response).details).to.have.property('field', bad.field);
      expect(await api.store.snapshot()).to.deep.equal(before);
    });
  }

  it('a body over the limit: 413 HTTP.PAYLOAD_TOO_LARGE', async () => {
    const before = await api.store.snapshot();
    const response = await api.call(freeJuniorPath(api), create({ ...VALID, padding: 'x'.repeat(70 * 1024) }));
    expect(response.status).to.equal(413);
    expect(errorOf(response)).to.deep.include({ code: 'HTTP.PAYLOAD_TOO_LARGE', details: { limitBytes: 64 * 1024 } });
    expect(await api.store.snapshot()).to.deep.equal(before);
  });

  it('states each schema refusal with details { field, reason } and a message naming the field', async () => {
    const response = await api.call(freeJuniorPath(api), create({ ...VALID, frequency: 'HOURLY' }));
    expect(errorOf(response)).to.deep.equal({
      code: 'ALLOWANCE.INVALID_FREQUENCY',
      message: 'frequency must be one of DAILY, WEEKLY, MONTHLY',
      details: { field: 'frequency', reason: 'must be one of DAILY, WEEKLY, MONTHLY' },
    });
    const malformedId = await api.call('/guardians/me/allowances/jnr-1', create(VALID));
    expect(errorOf(malformedId)).to.deep.equal({
      code: 'VALIDATION.INVALID_INPUT',
      message: 'juniorId must be a UUID',
      details: { field: 'juniorId', reason: 'must be a UUID' },
    });
  });
});

describe('the request schemas and the domain parsers agree', () => {
  const jsonCases = (cases: BadInput[]) => cases.filter((bad) => bad.request.json !== undefined && bad.status === 400);

  for (const bad of jsonCases(CREATE_BODY_CASES)) {
    it(`the domain refuses ${bad.name} with ${bad.code} too`, () => {
      expect(domainCodeOf(() => parseCreateAllowanceInput(bad.request.json, NOW))).to.equal(bad.code);
    });
  }
  for (const bad of jsonCases(UPDATE_CASES).filter((c) => c.field !== 'scheduleId')) {
    it(`the domain refuses ${bad.name} with ${bad.code} too`, () => {
      expect(domainCodeOf(() => parseUpdateAllowanceInput(bad.request.json))).to.equal(bad.code);
    });
  }
});
