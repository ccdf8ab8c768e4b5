import { expect } from 'chai';
import type { NewAllowanceSchedule } from '../../allowance/allowance.ports';
import { DomainError } from '../../shared/domain-error';
import type { AllowanceHarness } from './allowance-harness';
import { claimDueRunsContract } from './claim-due-runs.contract';
import { givenSchedule, minutesAfter } from './allowance-fixtures';
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
        expect(found?.id).to.equal(schedule.id);
        expect(found?.amount).to.equal('12.50');
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

      it('knows which guardian a junior belongs to', async () => {
        const { guardianId, juniorId } = await givenSchedule(harness);
        const stranger = await harness.givenGuardian({ balance: '0.00' });
        expect(await harness.juniors.juniorBelongsTo(guardianId, juniorId)).to.equal(true);
        expect(await harness.juniors.juniorBelongsTo(stranger, juniorId)).to.equal(false);
        expect(await harness.juniors.juniorBelongsTo(guardianId, stranger)).to.equal(false);
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
