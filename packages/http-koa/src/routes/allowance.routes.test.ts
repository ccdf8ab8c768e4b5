import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { type AllowanceApi, NOW, startAllowanceApi } from '../testing/allowance-api.test-helpers';
import { errorOf } from '../testing/http-server.test-helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('guardian allowance API', () => {
  let api: AllowanceApi;

  beforeEach(async () => {
    api = await startAllowanceApi();
  });
  afterEach(() => api.server.close());

  it('creates, reads, lists, updates and deletes a schedule of the caller\'s junior', async () => {
    const created = await api.call(`/guardians/me/allowances/${api.juniorId}`, {
      method: 'POST',
      json: { amount: 1500, frequency: 'WEEKLY', status: 'ON', startAt: '2025-03-05T08:00:00-06:00' },
    });
    expect(created.status).to.equal(201);
    const schedule = created.body as Record<string, unknown>;
    expect(schedule).to.deep.equal({
      id: schedule['id'],
      guardianId: api.guardianId,
      juniorId: api.juniorId,
      amount: '1500.00',
      frequency: 'WEEKLY',
      status: 'ON',
      nextRunAt: '2025-03-05T14:00:00.000Z',
      lastRunAt: null,
      lastFailedRunAt: null,
      lastFailureReason: null,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    expect(schedule['id']).to.match(UUID);
    const path = `/guardians/me/allowances/${String(schedule['id'])}`;
    expect(created.headers.get('location')).to.equal(path);

    expect(await api.call(path)).to.deep.include({ status: 200, body: schedule });
    expect((await api.call('/guardians/me/allowances')).body).to.deep.equal({ schedules: [schedule] });

    const updated = await api.call(path, { method: 'PATCH', json: { amount: '75.5', status: 'OFF' } });
    expect(updated.status).to.equal(200);
    expect(updated.body).to.deep.equal({ ...schedule, amount: '75.50', status: 'OFF' });
    expect((await api.call(path)).body).to.deep.equal(updated.body);

    const deleted = await api.call(path, { method: 'DELETE' });
    expect(deleted.status).to.equal(204);
    expect(deleted.body).to.equal(undefined);
    expect(errorOf(await api.call(path)).code).to.equal('ALLOWANCE.NOT_FOUND');
    expect((await api.call('/guardians/me/allowances')).body).to.deep.equal({ schedules: [] });
  });

  it('takes a JSON number amount as written, trailing zero included, and a startAt exactly a year ahead', async () => {
    const created = await api.call(`/guardians/me/allowances/${api.juniorId}`, {
      method: 'POST',
      raw: '{"amount": 1500.50, "frequency": "MONTHLY", "status": "ON", "startAt": "2026-03-03T08:00:00-06:00"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.deep.include({ amount: '1500.50', nextRunAt: '2026-03-03T14:00:00.000Z' });
  });

  it('starts a schedule without startAt now, and takes the amount as a decimal string exactly', async () => {
    const created = await api.call(`/guardians/me/allowances/${api.juniorId}`, {
      method: 'POST',
      json: { amount: '99999999.99', frequency: 'MONTHLY', status: 'OFF' },
    });
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.include({ amount: '99999999.99', nextRunAt: NOW.toISOString(), status: 'OFF' });
  });

  it('lists only the caller\'s schedules', async () => {
    await api.call(`/guardians/me/allowances/${api.otherJuniorId}`, {
      token: api.otherToken,
      method: 'POST',
      json: { amount: '10.00', frequency: 'DAILY', status: 'ON' },
    });
    expect((await api.call('/guardians/me/allowances')).body).to.deep.equal({ schedules: [] });
    expect((await api.call('/guardians/me/allowances', { token: api.otherToken })).body)
      .to.have.nested.property('schedules[0].juniorId', api.otherJuniorId);
  });

  describe('another guardian\'s schedule is not found, and stays as it was', () => {
    let path: string;

    beforeEach(async () => {
      const created = await api.call(`/guardians/me/allowances/${api.otherJuniorId}`, {
        token: api.otherToken,
        method: 'POST',
        json: { amount: '10.00', frequency: 'DAILY', status: 'ON' },
      });
      path = `/guardians/me/allowances/${String((created.body as { id: string }).id)}`;
    });

    for (const [what, request] of [
      ['read', { method: 'GET' }],
      ['updated', { method: 'PATCH', json: { status: 'OFF' } }],
      ['deleted', { method: 'DELETE' }],
    ] as const) {
      it(`cannot be ${what}`, async () => {
        const before = await api.store.snapshot();
        const response = await api.call(path, request);
        expect(response.status).to.equal(404);
        expect(errorOf(response).code).to.equal('ALLOWANCE.NOT_FOUND');
        expect(await api.store.snapshot()).to.deep.equal(before);
      });
    }
  });

  it("answers 404 JUNIOR.NOT_FOUND naming the path's junior for another guardian's junior, even one with a schedule, and 409 for a second schedule", async () => {
    const json = { amount: '5.00', frequency: 'DAILY', status: 'ON' };
    expect((await api.call(`/guardians/me/allowances/${api.otherJuniorId}`, { method: 'POST', json, token: api.otherToken })).status).to.equal(201);
    for (const juniorId of [api.otherJuniorId, randomUUID()]) {
      const refused = await api.call(`/guardians/me/allowances/${juniorId}`, { method: 'POST', json });
      expect(refused.status).to.equal(404);
      expect(errorOf(refused)).to.deep.equal({ code: 'JUNIOR.NOT_FOUND', message: 'junior not found', details: { juniorId } });
    }
    expect((await api.call(`/guardians/me/allowances/${api.juniorId}`, { method: 'POST', json })).status).to.equal(201);
    const again = await api.call(`/guardians/me/allowances/${api.juniorId}`, { method: 'POST', json });
    expect(again.status).to.equal(409);
    expect(errorOf(again)).to.deep.include({ code: 'ALLOWANCE.ALREADY_EXISTS', details: { juniorId: api.juniorId } });
    expect((await api.store.snapshot()).map((s) => s.juniorId)).to.have.members([api.otherJuniorId, api.juniorId]);
  });

  it('answers 404 ALLOWANCE.NOT_FOUND for a well-formed id that matches nothing', async () => {
    const response = await api.call(`/guardians/me/allowances/${randomUUID()}`);
    expect(response.status).to.equal(404);
    expect(errorOf(response).code).to.equal('ALLOWANCE.NOT_FOUND');
  });
});
