import { expect } from 'chai';
import { allowanceOccurrence } from '@banca/domain';
import { errorOf, expectRefusals, type ReadApi, startReadApi } from './read-api.test-helpers';

const ANCHOR = new Date('2025-01-31T14:00:00.000Z');

type Page<T> = { items: T[]; nextCursor: string | null };
type Schedule = { id: string; juniorId: string; deletedAt: string | null; lastFailedRunAt: string | null; lastFailureReason: string | null };
type Credit = { runAt: string; amount: string; creditedAt: string; transactionId: string };

describe('allowance reads on real PostgreSQL', function () {
  this.timeout(60_000);
  let api: ReadApi;
  let guardianId: string;
  let otherGuardianId: string;
  let juniors: string[];

  const givenGuardian = async (name: string) => {
    const [row] = await api.knex('guardians').insert({ name }).returning('id');
    await api.knex('accounts').insert({ guardian_id: row.id, balance: '1000.00' });
    return row.id as string;
  };
  const givenJunior = async (guardian: string) => {
    const [row] = await api.knex('juniors').insert({ guardian_id: guardian, name: 'Mateo' }).returning('id');
    await api.knex('accounts').insert({ junior_id: row.id });
    return row.id as string;
  };
  const givenSchedule = (guardian: string, junior: string, minutes: number) =>
    api.repositories.allowanceSchedules.create({
      guardianId: guardian, juniorId: junior, amount: '10.00', frequency: 'DAILY', status: 'ON', anchorAt: ANCHOR, nextRunAt: ANCHOR,
      createdAt: new Date(ANCHOR.getTime() + minutes * 60_000),
    });
  const credit = (schedule: { id: string }, junior: string, k: number) =>
    api.repositories.allowanceLedger.creditRun({
      scheduleId: schedule.id, runAt: allowanceOccurrence(ANCHOR, 'DAILY', k), amount: '10.00', guardianId, juniorId: junior,
      frequency: 'DAILY', anchorAt: ANCHOR, nextRunAt: allowanceOccurrence(ANCHOR, 'DAILY', k + 1), creditedAt: new Date(allowanceOccurrence(ANCHOR, 'DAILY', k).getTime() + 60_000),
    });
  const runAt = (k: number) => allowanceOccurrence(ANCHOR, 'DAILY', k).toISOString();

  beforeEach(async () => {
    api = await startReadApi('allowances');
    guardianId = await givenGuardian('María');
    otherGuardianId = await givenGuardian('Laura');
    juniors = [await givenJunior(guardianId), await givenJunior(guardianId), await givenJunior(otherGuardianId)];
  });
  afterEach(() => api.close());

  it("finds a guardian's or a junior's schedules, deleted ones included, page after page, each with its last failure", async () => {
    const first = await givenSchedule(guardianId, juniors[0]!, 1);
    const second = await givenSchedule(guardianId, juniors[1]!, 2);
    await givenSchedule(otherGuardianId, juniors[2]!, 3);
    await api.repositories.allowanceSchedules.delete(guardianId, first.id);
    const again = await givenSchedule(guardianId, juniors[0]!, 4);
    await api.repositories.allowanceLedger.recordRunFailure({ scheduleId: second.id, runAt: ANCHOR, reason: 'ALLOWANCE.INSUFFICIENT_FUNDS: guardian balance is below 10.00', nextRunAt: allowanceOccurrence(ANCHOR, 'DAILY', 1), failedAt: new Date() });

    const page1 = (await api.get(`/admin/allowances?guardianId=${guardianId}&limit=2`)).body as Page<Schedule>;
    expect(page1.items.map((s) => s.id)).to.deep.equal([first.id, second.id]);
    expect(page1.items[0]!.deletedAt).to.be.a('string');
    expect(page1.items[1]).to.deep.include({ deletedAt: null, lastFailedRunAt: ANCHOR.toISOString(), lastFailureReason: 'ALLOWANCE.INSUFFICIENT_FUNDS: guardian balance is below 10.00' });
    const late = await givenSchedule(guardianId, await givenJunior(guardianId), 5);
    const page2 = (await api.get(`/admin/allowances?guardianId=${guardianId}&limit=2&cursor=${page1.nextCursor}`)).body as Page<Schedule>;
    expect(page2.items.map((s) => s.id), 'a schedule created between the reads comes in its place, nothing twice').to.deep.equal([again.id, late.id]);
    expect(page2.nextCursor).to.equal(null);
    const byJunior = (await api.get(`/admin/allowances?juniorId=${juniors[0]}`)).body as Page<Schedule>;
    expect(byJunior.items.map((s) => s.id)).to.deep.equal([first.id, again.id]);

    const guardianView = await api.get(`/guardians/me/allowances/${second.id}`, { token: api.guardian(guardianId) });
    expect(guardianView.body).to.deep.include({ lastFailedRunAt: ANCHOR.toISOString(), lastFailureReason: 'ALLOWANCE.INSUFFICIENT_FUNDS: guardian balance is below 10.00' });
  });

  it('refuses a search without exactly one of guardianId and juniorId, naming the field, and anyone but an admin', async () => {
    await expectRefusals(api, [
      ['/admin/allowances', 'VALIDATION.INVALID_INPUT', 'guardianId'],
      [`/admin/allowances?guardianId=${guardianId}&juniorId=${juniors[0]}`, 'VALIDATION.INVALID_INPUT', 'juniorId'],
      ['/admin/allowances?guardianId=42', 'VALIDATION.INVALID_INPUT', 'guardianId'],
      [`/admin/allowances?guardianId=${guardianId}&limit=0`, 'VALIDATION.INVALID_INPUT', 'limit'],
      [`/admin/allowances?guardianId=${guardianId}&cursor=abc`, 'VALIDATION.INVALID_INPUT', 'cursor'],
      [`/admin/allowances?guardianId=${guardianId}&status=ON`, 'VALIDATION.INVALID_INPUT', 'status'],
    ]);
    expect((await api.get(`/admin/allowances?guardianId=${guardianId}`, { token: api.guardian(guardianId) })).status).to.equal(403);
    expect((await api.get(`/admin/allowances?guardianId=${guardianId}`, { token: null })).status).to.equal(401);
  });

  it("pages a schedule's credits newest first for the operator and its guardian, another guardian's schedule being not found", async () => {
    const schedule = await givenSchedule(guardianId, juniors[0]!, 1);
    for (const k of [0, 1, 2]) expect((await credit(schedule, juniors[0]!, k)).outcome).to.equal('credited');
    const page1 = (await api.get(`/admin/allowances/${schedule.id}/credits?limit=2`)).body as Page<Credit>;
    expect(page1.items.map((c) => c.runAt)).to.deep.equal([runAt(2), runAt(1)]);
    expect(page1.items[0]).to.deep.include({ amount: '10.00' });
    await credit(schedule, juniors[0]!, 3);
    const page2 = (await api.get(`/admin/allowances/${schedule.id}/credits?limit=2&cursor=${page1.nextCursor}`)).body as Page<Credit>;
    expect(page2.items.map((c) => c.runAt), 'a newer credit made between the reads does not push an older one out').to.deep.equal([runAt(0)]);
    expect(page2.nextCursor).to.equal(null);

    const mine = await api.get(`/guardians/me/allowances/${schedule.id}/credits`, { token: api.guardian(guardianId) });
    expect((mine.body as Page<Credit>).items.map((c) => c.runAt)).to.deep.equal([runAt(3), runAt(2), runAt(1), runAt(0)]);
    const foreign = await api.get(`/guardians/me/allowances/${schedule.id}/credits`, { token: api.guardian(otherGuardianId) });
    expect(foreign.status).to.equal(404);
    expect(errorOf(foreign).code).to.equal('ALLOWANCE.NOT_FOUND');
    expect((await api.get(`/guardians/me/allowances/${schedule.id}/credits`)).status, 'an admin token on the guardian route').to.equal(403);

    await api.repositories.allowanceSchedules.delete(guardianId, schedule.id);
    expect(((await api.get(`/admin/allowances/${schedule.id}/credits`)).body as Page<Credit>).items, "a deleted schedule's credits stay").to.have.length(4);
    expect((await api.get(`/guardians/me/allowances/${schedule.id}/credits`, { token: api.guardian(guardianId) })).status).to.equal(404);
    await expectRefusals(api, [
      ['/admin/allowances/42/credits', 'VALIDATION.INVALID_INPUT', 'scheduleId'],
      [`/admin/allowances/${schedule.id}/credits?limit=10000`, 'VALIDATION.INVALID_INPUT', 'limit'],
      [`/admin/allowances/${schedule.id}/credits?cursor=${page1.nextCursor}x`, 'VALIDATION.INVALID_INPUT', 'cursor'],
    ]);
    const unknown = await api.get('/admin/allowances/00000000-0000-4000-8000-000000000999/credits');
    expect(unknown.status).to.equal(404);
  });
});
