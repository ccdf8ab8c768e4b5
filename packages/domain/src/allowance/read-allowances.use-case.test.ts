import { expect } from 'chai';
import { expectDomainRejection } from '../kernel/domain-error.test-helpers';
import { creditRequest, givenSchedule } from '../testing/allowance/allowance-fixtures';
import { inMemoryAllowanceHarness } from '../testing/allowance/allowance-harness';
import { findAllowanceSchedules, listAllowanceCredits, listGuardianAllowanceCredits } from './read-allowances.use-case';

describe("operators' and guardians' reads of allowances", () => {
  it('finds by guardian or by junior, exactly one of them, naming the field otherwise', async () => {
    const harness = inMemoryAllowanceHarness();
    const { guardianId, juniorId, schedule } = await givenSchedule(harness);
    expect((await findAllowanceSchedules(harness, { guardianId })).items.map((s) => s.id)).to.deep.equal([schedule.id]);
    expect((await findAllowanceSchedules(harness, { juniorId })).items[0]).to.deep.include({ id: schedule.id, deletedAt: null, lastFailedRunAt: null, lastFailureReason: null });
    expect((await expectDomainRejection(findAllowanceSchedules(harness, {}), 'VALIDATION.INVALID_INPUT')).details).to.include({ field: 'guardianId' });
    expect((await expectDomainRejection(findAllowanceSchedules(harness, { guardianId, juniorId }), 'VALIDATION.INVALID_INPUT')).details).to.include({ field: 'juniorId' });
    expect((await expectDomainRejection(findAllowanceSchedules(harness, { guardianId, limit: 501 }), 'VALIDATION.INVALID_INPUT')).details).to.include({ field: 'limit' });
  });

  it("pages a schedule's credits newest first, refusing another schedule's cursor, and hides another guardian's schedule", async () => {
    const harness = inMemoryAllowanceHarness();
    const { guardianId, schedule } = await givenSchedule(harness);
    const other = await givenSchedule(harness);
    for (const k of [0, 1, 2]) await harness.ledger.creditRun(creditRequest(schedule, k));
    await harness.ledger.creditRun(creditRequest(other.schedule, 0));
    const first = await listAllowanceCredits(harness, { scheduleId: schedule.id, limit: 2 });
    expect(first.items.map((c) => c.runAt)).to.deep.equal([2, 1].map((k) => creditRequest(schedule, k).runAt.toISOString()));
    const second = await listGuardianAllowanceCredits(harness, { guardianId, scheduleId: schedule.id, limit: 2, cursor: first.nextCursor! });
    expect(second).to.deep.equal({ items: [{ runAt: creditRequest(schedule, 0).runAt.toISOString(), amount: '10.00', creditedAt: creditRequest(schedule, 0).creditedAt.toISOString(), transactionId: second.items[0]!.transactionId }], nextCursor: null });
    const foreign = await expectDomainRejection(listAllowanceCredits(harness, { scheduleId: other.schedule.id, cursor: first.nextCursor! }), 'VALIDATION.INVALID_INPUT');
    expect(foreign.details).to.include({ field: 'cursor' });
    await expectDomainRejection(listGuardianAllowanceCredits(harness, { guardianId: other.guardianId, scheduleId: schedule.id }), 'ALLOWANCE.NOT_FOUND');
    await expectDomainRejection(listAllowanceCredits(harness, { scheduleId: 'sch-999999' }), 'ALLOWANCE.NOT_FOUND');
  });
});
