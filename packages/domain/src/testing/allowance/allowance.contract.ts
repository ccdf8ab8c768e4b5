import { expect } from 'chai';
import type { NewAllowanceSchedule } from '../../allowance/allowance.ports';
import { DomainError } from '../../kernel/domain-error';
import type { AllowanceHarness } from './allowance-harness';
import { claimDueRunsContract } from './claim-due-runs.contract';
import { CONTRACT_ANCHOR, creditRequest, givenSchedule, minutesAfter } from './allowance-fixtures';
import { allowanceLedgerContract } from './allowance-ledger.contract';

/**
 * The behaviour every implementation of the allowance ports must have (in memory, PostgreSQL, …).
 * Declares mocha suites; `makeHarness` must return ports over a fresh, isolated store each time.
 */
export function allowancePortsContract(name: string, makeHarness: () => Promise<AllowanceHarness>): void {
  describe(`allowance ports contract: ${name}`, () => {
    let harness: AllowanceHarness;
    const current = (): AllowanceHarness => harness;

    beforeEach(async () => {
      harness = await makeHarness();
    });
    afterEach(async () => {
      await harness.close();
    });

    describe('schedules', () => {
      it('stores a schedule with a two-decimal amount and no run yet', async () => {
        const { guardianId, juniorId, schedule } = await givenSchedule(harness, { amount: '12.50', frequency: 'MONTHLY' });
        expect(schedule).to.include({ guardianId, juniorId, amount: '12.50', frequency: 'MONTHLY', status: 'ON', lastRunAt: null });
        expect(schedule.nextRunAt.getTime()).to.equal(schedule.anchorAt.getTime());
        expect(schedule.updatedAt.getTime()).to.equal(schedule.createdAt.getTime());
        const found = await harness.schedules.findForGuardian(guardianId, schedule.id);
        expect(found).to.deep.equal(schedule);
      });

      it('refuses a second schedule for the same guardian and junior with ALLOWANCE.ALREADY_EXISTS', async () => {
        const { guardianId, juniorId, schedule } = await givenSchedule(harness);
        const again: NewAllowanceSchedule = {
          guardianId,
          juniorId,
          amount: '1.00',
          frequency: 'WEEKLY',
          status: 'ON',
          anchorAt: schedule.anchorAt,
          nextRunAt: schedule.anchorAt,
          createdAt: minutesAfter(schedule.createdAt, 1),
        };
        const error = await harness.schedules.create(again).then(() => null, (e: unknown) => e);
        expect(error).to.be.instanceOf(DomainError);
        expect((error as DomainError).code).to.equal('ALLOWANCE.ALREADY_EXISTS');
        expect(await harness.schedules.listForGuardian(guardianId)).to.have.length(1);
        const otherJunior = await harness.givenJunior({ guardianId });
        await harness.schedules.create({ ...again, juniorId: otherJunior });
        expect((await harness.schedules.listForGuardian(guardianId)).map((s) => s.juniorId)).to.deep.equal([juniorId, otherJunior]);
      });

      it('treats another guardian\'s schedule as missing', async () => {
        const { schedule } = await givenSchedule(harness);
        const stranger = await harness.givenGuardian({ balance: '0.00' });
        expect(await harness.schedules.findForGuardian(stranger, schedule.id)).to.equal(null);
        expect(await harness.schedules.listForGuardian(stranger)).to.deep.equal([]);
        expect(await harness.schedules.update(stranger, schedule.id, { status: 'OFF', updatedAt: new Date() })).to.equal(null);
        expect(await harness.schedules.delete(stranger, schedule.id)).to.equal(false);
        expect((await harness.schedule(schedule.id))?.status).to.equal('ON');
      });

      it('updates only the given fields', async () => {
        const { guardianId, schedule } = await givenSchedule(harness);
        const updatedAt = minutesAfter(schedule.createdAt, 5);
        const updated = await harness.schedules.update(guardianId, schedule.id, { amount: '20.00', status: 'OFF', updatedAt });
        expect(updated).to.include({ amount: '20.00', status: 'OFF', frequency: 'DAILY' });
        expect(updated?.updatedAt.getTime()).to.equal(updatedAt.getTime());
        expect(updated?.nextRunAt.getTime()).to.equal(schedule.nextRunAt.getTime());
        const moved = minutesAfter(schedule.anchorAt, 60 * 24 * 7);
        const reanchored = await harness.schedules.update(guardianId, schedule.id, { frequency: 'WEEKLY', anchorAt: moved, nextRunAt: moved, updatedAt });
        expect(reanchored?.anchorAt.getTime()).to.equal(moved.getTime());
        expect(reanchored?.amount).to.equal('20.00');
      });

      it('deletes a schedule once: no longer found nor claimed, and the junior may get a new one', async () => {
        const { guardianId, juniorId, schedule } = await givenSchedule(harness);
        expect(await harness.schedules.delete(guardianId, schedule.id)).to.equal(true);
        expect(await harness.schedules.delete(guardianId, schedule.id)).to.equal(false);
        expect(await harness.schedules.findById(schedule.id)).to.equal(null);
        const now = minutesAfter(schedule.nextRunAt, 1);
        expect(await harness.schedules.claimDueRuns({ now, after: null, limit: 10, leaseUntil: minutesAfter(now, 30) })).to.deep.equal([]);
        const again = await harness.schedules.create({ ...pick(schedule), guardianId, juniorId });
        expect(again.id).to.not.equal(schedule.id);
      });

      it("refuses another guardian's junior with JUNIOR.NOT_FOUND and writes nothing, even when the junior has a schedule", async () => {
        const { juniorId, schedule } = await givenSchedule(harness);
        const stranger = await harness.givenGuardian({ balance: '0.00' });
        const strangersJunior = await harness.givenJunior({ guardianId: stranger });
        const owner = await harness.givenGuardian({ balance: '0.00' });
        for (const request of [
          { ...pick(schedule), guardianId: stranger, juniorId },
          { ...pick(schedule), guardianId: owner, juniorId: strangersJunior },
        ]) {
          const error = await harness.schedules.create(request).then(() => null, (e: unknown) => e);
          expect(error).to.be.instanceOf(DomainError);
          expect(error).to.deep.include({ code: 'JUNIOR.NOT_FOUND', message: 'junior not found', details: { juniorId: request.juniorId } });
        }
        expect(await harness.schedules.listForGuardian(stranger)).to.deep.equal([]);
        expect(await harness.schedules.listForGuardian(owner)).to.deep.equal([]);
        expect((await harness.schedules.findSchedules({ juniorId, after: null, limit: 10 })).map((s) => s.id)).to.deep.equal([schedule.id]);
        expect(await harness.schedules.findSchedules({ juniorId: strangersJunior, after: null, limit: 10 })).to.deep.equal([]);
      });

      it('refuses a junior that does not exist with JUNIOR.NOT_FOUND and writes nothing', async () => {
        const guardianId = await harness.givenGuardian({ balance: '0.00' });
        const otherGuardian = await harness.givenGuardian({ balance: '0.00' });
        // Another guardian's id names no junior; the others are ids no store hands out, in any shape.
        for (const juniorId of [otherGuardian, '00000000-0000-4000-8000-000000000000', 'no-such-junior', '']) {
          const error = await harness.schedules
            .create({ guardianId, juniorId, amount: '1.00', frequency: 'DAILY', status: 'ON', anchorAt: CONTRACT_ANCHOR, nextRunAt: CONTRACT_ANCHOR, createdAt: CONTRACT_ANCHOR })
            .then(() => null, (e: unknown) => e);
          expect(error).to.be.instanceOf(DomainError);
          expect(error).to.deep.include({ code: 'JUNIOR.NOT_FOUND', details: { juniorId } });
        }
        expect(await harness.schedules.listForGuardian(guardianId)).to.deep.equal([]);
      });
    });

    describe("operators' reads", () => {
      it('finds the schedules of a guardian or of a junior, deleted ones too, oldest first, page after page', async () => {
        const first = await givenSchedule(harness, { anchorAt: minutesAfter(CONTRACT_ANCHOR, 1) });
        const { guardianId } = first;
        const second = await givenSchedule(harness, { guardianId, anchorAt: minutesAfter(CONTRACT_ANCHOR, 2) });
        const third = await givenSchedule(harness, { guardianId, anchorAt: minutesAfter(CONTRACT_ANCHOR, 3) });
        await givenSchedule(harness, { anchorAt: minutesAfter(CONTRACT_ANCHOR, 4) });
        expect(await harness.schedules.delete(guardianId, second.schedule.id)).to.equal(true);
        const again = await harness.schedules.create({ ...pick(second.schedule), createdAt: minutesAfter(CONTRACT_ANCHOR, 5) });

        const all = await harness.schedules.findSchedules({ guardianId, after: null, limit: 10 });
        expect(all.map((s) => s.id)).to.deep.equal([first.schedule.id, second.schedule.id, third.schedule.id, again.id]);
        expect(all.map((s) => s.deletedAt !== null)).to.deep.equal([false, true, false, false]);
        const afterFirst = { createdAt: all[0]!.createdAt, id: all[0]!.id };
        expect((await harness.schedules.findSchedules({ guardianId, after: afterFirst, limit: 2 })).map((s) => s.id)).to.deep.equal([second.schedule.id, third.schedule.id]);
        expect((await harness.schedules.findSchedules({ juniorId: second.juniorId, after: null, limit: 10 })).map((s) => s.id)).to.deep.equal([second.schedule.id, again.id]);
        expect(await harness.schedules.findSchedules({ guardianId: await harness.givenGuardian({ balance: '0.00' }), after: null, limit: 10 })).to.deep.equal([]);

        const deleted = await harness.schedules.findRecordById(second.schedule.id);
        expect(deleted).to.deep.include({ id: second.schedule.id, guardianId, amount: '10.00' });
        expect(deleted?.deletedAt).to.be.instanceOf(Date);
        expect((await harness.schedules.findRecordById(first.schedule.id))?.deletedAt).to.equal(null);
      });

      it("lists a schedule's credits newest run first, before a run, its own only, and keeps them once it is deleted", async () => {
        const { guardianId, schedule } = await givenSchedule(harness, { balance: '100.00' });
        const other = await givenSchedule(harness, { balance: '100.00', anchorAt: minutesAfter(CONTRACT_ANCHOR, 1) });
        for (const k of [0, 2, 1]) expect((await harness.ledger.creditRun(creditRequest(schedule, k))).outcome).to.equal('credited');
        await harness.ledger.creditRun(creditRequest(other.schedule, 0));
        const runs = (credits: Array<{ runAt: Date }>) => credits.map((c) => c.runAt.toISOString());
        const occurrence = (k: number) => creditRequest(schedule, k).runAt.toISOString();

        const credits = await harness.schedules.listCredits({ scheduleId: schedule.id, beforeRunAt: null, limit: 10 });
        expect(runs(credits)).to.deep.equal([occurrence(2), occurrence(1), occurrence(0)]);
        expect(credits[0]).to.deep.include({ scheduleId: schedule.id, amount: '10.00' });
        expect(credits[0]!.creditedAt.toISOString()).to.equal(creditRequest(schedule, 2).creditedAt.toISOString());
        expect(credits.map((c) => c.transactionId)).to.have.members((await harness.credits()).filter((c) => c.scheduleId === schedule.id).map((c) => c.transactionId));
        expect(runs(await harness.schedules.listCredits({ scheduleId: schedule.id, beforeRunAt: credits[0]!.runAt, limit: 1 }))).to.deep.equal([occurrence(1)]);
        expect(await harness.schedules.delete(guardianId, schedule.id)).to.equal(true);
        expect(runs(await harness.schedules.listCredits({ scheduleId: schedule.id, beforeRunAt: null, limit: 10 }))).to.have.length(3);
      });
    });

    claimDueRunsContract(current);
    allowanceLedgerContract(current);
  });
}

const pick = ({ guardianId, juniorId, amount, frequency, status, anchorAt, nextRunAt, createdAt }: NewAllowanceSchedule): NewAllowanceSchedule => ({
  guardianId,
  juniorId,
  amount,
  frequency,
  status,
  anchorAt,
  nextRunAt,
  createdAt,
});
