import { expect } from 'chai';
import type { AllowanceSchedule } from '../../allowance/allowance-schedule';
import type { DueRunsCursor } from '../../allowance/allowance.ports';
import type { AllowanceHarness } from './allowance-harness';
import { CONTRACT_ANCHOR, creditRequest, givenSchedule, minutesAfter } from './allowance-fixtures';

const NOW = minutesAfter(CONTRACT_ANCHOR, 60);
const LEASE_UNTIL = minutesAfter(NOW, 30);

/** claimDueRuns: the producer's set-based, leased cursor paging. */
export function claimDueRunsContract(harness: () => AllowanceHarness): void {
  describe('claimDueRuns', () => {
    async function givenDueAndNotDue(): Promise<AllowanceSchedule[]> {
      const due: AllowanceSchedule[] = [];
      for (const offset of [0, -30, 0, -10, 5]) due.push((await givenSchedule(harness(), { anchorAt: minutesAfter(CONTRACT_ANCHOR, offset) })).schedule);
      await givenSchedule(harness(), { status: 'OFF' });
      await givenSchedule(harness(), { anchorAt: minutesAfter(LEASE_UNTIL, 15) });
      return due;
    }

    async function claimAll(now: Date, limit: number): Promise<AllowanceSchedule[][]> {
      const pages: AllowanceSchedule[][] = [];
      let after: DueRunsCursor | null = null;
      for (;;) {
        const page = await harness().schedules.claimDueRuns({ now, after, limit, leaseUntil: LEASE_UNTIL });
        if (page.length === 0) return pages;
        pages.push(page);
        const last = page[page.length - 1]!;
        after = { nextRunAt: last.nextRunAt, id: last.id };
      }
    }

    it('pages the due ON schedules in (next_run_at, id) order, each once, and leases them', async () => {
      const due = await givenDueAndNotDue();
      const pages = await claimAll(NOW, 2);
      expect(pages.map((page) => page.length)).to.deep.equal([2, 2, 1]);
      const claimed = pages.flat();
      expect(claimed.map((s) => s.id)).to.have.members(due.map((s) => s.id));
      for (let i = 1; i < claimed.length; i += 1) {
        const [a, b] = [claimed[i - 1]!, claimed[i]!];
        expect(a.nextRunAt.getTime() < b.nextRunAt.getTime() || (a.nextRunAt.getTime() === b.nextRunAt.getTime() && a.id !== b.id)).to.equal(true);
      }
      for (const schedule of claimed) expect((await harness().schedule(schedule.id))?.leaseUntil?.getTime()).to.equal(LEASE_UNTIL.getTime());
    });

    it('does not claim a leased schedule again until its lease expires', async () => {
      const due = await givenDueAndNotDue();
      await claimAll(NOW, 100);
      expect(await claimAll(minutesAfter(NOW, 29), 100)).to.deep.equal([]);
      const again = (await claimAll(LEASE_UNTIL, 100)).flat();
      expect(again.map((s) => s.id)).to.have.members(due.map((s) => s.id));
    });

    it('never hands the same schedule to two concurrent claims', async () => {
      const due = await givenDueAndNotDue();
      const query = { now: NOW, after: null, limit: 3, leaseUntil: LEASE_UNTIL };
      const [a, b] = await Promise.all([harness().schedules.claimDueRuns(query), harness().schedules.claimDueRuns(query)]);
      const ids = [...a, ...b].map((s) => s.id);
      expect(new Set(ids).size).to.equal(ids.length);
      // A claim racing another may return fewer than its limit; the rest are still there to claim.
      const rest = (await claimAll(NOW, 100)).flat().map((s) => s.id);
      expect([...ids, ...rest]).to.have.members(due.map((s) => s.id));
    });

    it('spends a lease once every run it published is done: crediting one of them does not free the others', async () => {
      const { schedule } = await givenSchedule(harness());
      const schedules = harness().schedules;
      const threeDaysLater = minutesAfter(schedule.anchorAt, 3 * 24 * 60);
      const longLease = minutesAfter(threeDaysLater, 24 * 60);
      const claim = (now: Date) => schedules.claimDueRuns({ now, after: null, limit: 10, leaseUntil: longLease });
      expect((await claim(minutesAfter(schedule.anchorAt, 2 * 24 * 60))).map((s) => s.id)).to.deep.equal([schedule.id]);
      // Occurrences 0, 1 and 2 were published.
      await schedules.markPublished(longLease, [{ id: schedule.id, publishedThrough: creditRequest(schedule, 2).runAt }]);
      expect((await harness().schedule(schedule.id))?.leasedThrough?.getTime()).to.equal(creditRequest(schedule, 2).runAt.getTime());

      expect((await harness().ledger.creditRun(creditRequest(schedule, 0))).outcome).to.equal('credited');
      expect(await claim(threeDaysLater), 'runs 1 and 2 are still in flight').to.deep.equal([]);
      expect((await harness().ledger.creditRun(creditRequest(schedule, 1))).outcome).to.equal('credited');
      expect(await claim(threeDaysLater), 'run 2 is still in flight').to.deep.equal([]);
      await harness().ledger.recordRunFailure({ ...creditRequest(schedule, 2), reason: 'given up', failedAt: threeDaysLater });
      const page = await claim(threeDaysLater);
      expect(page.map((s) => s.id), 'every run of the lease is done').to.deep.equal([schedule.id]);
      expect(page[0]!.nextRunAt.getTime()).to.equal(threeDaysLater.getTime());
      expect(page[0]!.leasedThrough?.getTime(), 'the new lease covers the first run it will publish').to.equal(threeDaysLater.getTime());
    });

    it("covers a claimed schedule's first run with its lease: crediting that run spends it, with no mark", async () => {
      const { schedule } = await givenSchedule(harness());
      const schedules = harness().schedules;
      const longLease = minutesAfter(schedule.anchorAt, 10 * 24 * 60);
      const claim = (now: Date) => schedules.claimDueRuns({ now, after: null, limit: 10, leaseUntil: longLease });
      const [claimed] = await claim(schedule.anchorAt);
      expect(claimed?.leasedThrough?.getTime()).to.equal(schedule.anchorAt.getTime());
      const dayLater = creditRequest(schedule, 1).runAt;
      expect(await claim(dayLater), 'run 0 is in flight').to.deep.equal([]);
      expect((await harness().ledger.creditRun(creditRequest(schedule, 0))).outcome).to.equal('credited');
      expect((await claim(dayLater)).map((s) => s.id), 'run 0 is done, run 1 is due').to.deep.equal([schedule.id]);
    });

    it('gives back a lease after a failed publish, and only the lease it names', async () => {
      const due = await givenDueAndNotDue();
      const schedules = harness().schedules;
      const claimed = await schedules.claimDueRuns({ now: NOW, after: null, limit: 2, leaseUntil: LEASE_UNTIL });
      expect(await schedules.releaseLeases(minutesAfter(LEASE_UNTIL, 1), claimed.map((s) => s.id)), 'another lease').to.equal(0);
      expect(await schedules.releaseLeases(LEASE_UNTIL, claimed.map((s) => s.id))).to.equal(2);
      expect((await claimAll(NOW, 100)).flat().map((s) => s.id)).to.have.members(due.map((s) => s.id));
    });
  });
}
