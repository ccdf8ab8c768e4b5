import { expect } from 'chai';
import { Money } from '../../money/money';
import type { AllowanceHarness } from './allowance-harness';
import { CONTRACT_ANCHOR, creditRequest, givenSchedule, minutesAfter } from './allowance-fixtures';

/** creditRun and recordRunFailure: one transaction each, money conserved, each run credited once. */
export function allowanceLedgerContract(harness: () => AllowanceHarness): void {
  describe('ledger', () => {
    async function snapshot(...owners: string[]) {
      const h = harness();
      return {
        balances: await Promise.all(owners.map((owner) => h.balanceOf(owner))),
        credits: (await h.credits()).length,
        transactions: (await h.transactions()).length,
      };
    }

    it('credits a run: guardian debited, junior credited, one credit and one transaction, schedule moved on, lease kept', async () => {
      const { guardianId, juniorId, schedule } = await givenSchedule(harness(), { balance: '100.00', amount: '12.34' });
      await harness().schedules.claimDueRuns({ now: CONTRACT_ANCHOR, after: null, limit: 1, leaseUntil: minutesAfter(CONTRACT_ANCHOR, 60) });
      const request = creditRequest(schedule, 0);
      const result = await harness().ledger.creditRun(request);
      expect(result.outcome).to.equal('credited');
      const transactionId = result.outcome === 'credited' ? result.transactionId : '';
      expect(await harness().balanceOf(guardianId)).to.equal('87.66');
      expect(await harness().balanceOf(juniorId)).to.equal('12.34');
      const [credit, ...otherCredits] = await harness().credits();
      expect(otherCredits).to.deep.equal([]);
      expect(credit).to.include({ scheduleId: schedule.id, amount: '12.34', transactionId });
      expect(credit!.runAt.getTime()).to.equal(request.runAt.getTime());
      expect(await harness().transactions()).to.deep.equal([{ id: transactionId, fromOwnerId: guardianId, toOwnerId: juniorId, amount: '12.34' }]);
      const stored = await harness().schedule(schedule.id);
      expect(stored?.lastRunAt?.getTime()).to.equal(request.runAt.getTime());
      expect(stored?.nextRunAt.getTime()).to.equal(request.nextRunAt.getTime());
      expect(stored?.leaseUntil?.getTime()).to.equal(minutesAfter(CONTRACT_ANCHOR, 60).getTime());
    });

    it('credits a run once: the second call is a duplicate and moves no money', async () => {
      const { guardianId, juniorId, schedule } = await givenSchedule(harness());
      expect((await harness().ledger.creditRun(creditRequest(schedule, 0))).outcome).to.equal('credited');
      const before = await snapshot(guardianId, juniorId);
      expect(await harness().ledger.creditRun(creditRequest(schedule, 0))).to.deep.equal({ outcome: 'duplicate' });
      expect(await snapshot(guardianId, juniorId)).to.deep.equal(before);
    });

    it('credits a run once when the same run is credited concurrently', async () => {
      const { guardianId, juniorId, schedule } = await givenSchedule(harness());
      const results = await Promise.all([0, 1, 2].map(() => harness().ledger.creditRun(creditRequest(schedule, 0))));
      expect(results.map((r) => r.outcome).sort()).to.deep.equal(['credited', 'duplicate', 'duplicate']);
      expect(await snapshot(guardianId, juniorId)).to.deep.equal({ balances: ['90.00', '10.00'], credits: 1, transactions: 1 });
    });

    it('writes nothing for a schedule turned OFF or deleted after the worker read it', async () => {
      const off = await givenSchedule(harness());
      await harness().schedules.update(off.guardianId, off.schedule.id, { status: 'OFF', updatedAt: CONTRACT_ANCHOR });
      const before = await snapshot(off.guardianId, off.juniorId);
      expect(await harness().ledger.creditRun(creditRequest(off.schedule, 0))).to.deep.equal({ outcome: 'not_live' });
      expect(await snapshot(off.guardianId, off.juniorId)).to.deep.equal(before);

      const gone = await givenSchedule(harness());
      expect(await harness().schedules.delete(gone.guardianId, gone.schedule.id)).to.equal(true);
      expect(await harness().ledger.creditRun(creditRequest(gone.schedule, 0))).to.deep.equal({ outcome: 'not_live' });
      expect(await snapshot(gone.guardianId, gone.juniorId)).to.deep.equal({ ...before, balances: before.balances });
    });

    it('writes nothing for a schedule that does not exist', async () => {
      const { guardianId, juniorId, schedule } = await givenSchedule(harness());
      const before = await snapshot(guardianId, juniorId);
      const missing = { ...creditRequest(schedule, 0), scheduleId: '00000000-0000-4000-8000-000000000000' };
      expect(await harness().ledger.creditRun(missing)).to.deep.equal({ outcome: 'not_live' });
      expect(await snapshot(guardianId, juniorId)).to.deep.equal(before);
    });

    it('writes nothing when the schedule no longer has the terms the run was checked against', async () => {
      const { guardianId, juniorId, schedule } = await givenSchedule(harness(), { amount: '10.00' });
      const request = creditRequest(schedule, 0);
      const before = await snapshot(guardianId, juniorId);
      await harness().schedules.update(guardianId, schedule.id, { amount: '12.00', updatedAt: CONTRACT_ANCHOR });
      expect(await harness().ledger.creditRun(request)).to.deep.equal({ outcome: 'changed' });
      expect(await snapshot(guardianId, juniorId)).to.deep.equal(before);

      await harness().schedules.update(guardianId, schedule.id, { amount: '10.00', updatedAt: CONTRACT_ANCHOR });
      for (const other of [{ frequency: 'WEEKLY' as const }, { anchorAt: minutesAfter(schedule.anchorAt, 1) }, { amount: '10.01' }]) {
        expect(await harness().ledger.creditRun({ ...request, ...other }), JSON.stringify(other)).to.deep.equal({ outcome: 'changed' });
      }
      const stranger = await givenSchedule(harness());
      expect(await harness().ledger.creditRun({ ...request, guardianId: stranger.guardianId, juniorId: stranger.juniorId })).to.deep.equal({ outcome: 'changed' });
      expect(await snapshot(guardianId, juniorId, stranger.guardianId)).to.deep.equal({ ...before, balances: [...before.balances, '100.00'] });

      // The same amount written another way is the same term.
      expect((await harness().ledger.creditRun({ ...request, amount: '10' })).outcome).to.equal('credited');
      expect(await harness().balanceOf(juniorId)).to.equal('10.00');
    });

    it('writes nothing when the guardian cannot pay', async () => {
      const { guardianId, juniorId, schedule } = await givenSchedule(harness(), { balance: '9.99', amount: '10.00' });
      const before = await snapshot(guardianId, juniorId);
      expect(await harness().ledger.creditRun(creditRequest(schedule, 0))).to.deep.equal({ outcome: 'insufficient_funds' });
      expect(await snapshot(guardianId, juniorId)).to.deep.equal(before);
      const stored = await harness().schedule(schedule.id);
      expect(stored?.lastRunAt).to.equal(null);
      expect(stored?.nextRunAt.getTime()).to.equal(schedule.nextRunAt.getTime());
      // No credit row survived: retrying the same run is refused again, not taken for a duplicate.
      expect((await harness().ledger.creditRun(creditRequest(schedule, 0))).outcome).to.equal('insufficient_funds');
    });

    it('lets a guardian spend the balance down to exactly zero', async () => {
      const { guardianId, schedule } = await givenSchedule(harness(), { balance: '10.00', amount: '10.00' });
      expect((await harness().ledger.creditRun(creditRequest(schedule, 0))).outcome).to.equal('credited');
      expect(await harness().balanceOf(guardianId)).to.equal('0.00');
      expect((await harness().ledger.creditRun(creditRequest(schedule, 1))).outcome).to.equal('insufficient_funds');
    });

    it('conserves money: guardian debits = junior credits = transactions = credits', async () => {
      const first = await givenSchedule(harness(), { balance: '50.00', amount: '7.25' });
      const second = await givenSchedule(harness(), { guardianId: first.guardianId, amount: '0.10', frequency: 'WEEKLY' });
      const attempts = [...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => creditRequest(first.schedule, k)), ...[0, 1, 1].map((k) => creditRequest(second.schedule, k))];
      for (const request of attempts) await harness().ledger.creditRun(request);
      const debited = Money.parse('50.00').minus(Money.parse(await harness().balanceOf(first.guardianId)));
      const juniors = Money.sum([await harness().balanceOf(first.juniorId), await harness().balanceOf(second.juniorId)]);
      const transferred = Money.sum((await harness().transactions()).map((t) => t.amount));
      const credited = Money.sum((await harness().credits()).map((c) => c.amount));
      expect([debited, juniors, transferred, credited].map(String)).to.deep.equal(['43.70', '43.70', '43.70', '43.70']);
      expect(await harness().balanceOf(first.guardianId)).to.equal('6.30');
    });

    it('never moves a schedule back when runs are credited out of order', async () => {
      const { schedule } = await givenSchedule(harness());
      await harness().ledger.creditRun(creditRequest(schedule, 2));
      await harness().ledger.creditRun(creditRequest(schedule, 0));
      const stored = await harness().schedule(schedule.id);
      expect(stored?.nextRunAt.getTime()).to.equal(creditRequest(schedule, 3).runAt.getTime());
      expect(stored?.lastRunAt?.getTime()).to.equal(creditRequest(schedule, 2).runAt.getTime());
    });

    it('records a run given up for good: next_run_at moves on, lease kept, no money moved', async () => {
      const { guardianId, juniorId, schedule } = await givenSchedule(harness());
      await harness().schedules.claimDueRuns({ now: CONTRACT_ANCHOR, after: null, limit: 1, leaseUntil: minutesAfter(CONTRACT_ANCHOR, 60) });
      const before = await snapshot(guardianId, juniorId);
      const { runAt, nextRunAt } = creditRequest(schedule, 0);
      await harness().ledger.recordRunFailure({ scheduleId: schedule.id, runAt, reason: 'insufficient funds', nextRunAt, failedAt: minutesAfter(runAt, 50) });
      expect(await snapshot(guardianId, juniorId)).to.deep.equal(before);
      const stored = await harness().schedule(schedule.id);
      expect(stored?.nextRunAt.getTime()).to.equal(nextRunAt.getTime());
      expect(stored?.leaseUntil?.getTime()).to.equal(minutesAfter(CONTRACT_ANCHOR, 60).getTime());
      expect(stored?.lastFailedRunAt?.getTime()).to.equal(runAt.getTime());
      expect(stored?.lastFailureReason).to.equal('insufficient funds');
      expect(stored?.lastRunAt).to.equal(null);
    });
  });
}
