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

    it('can claim a schedule again once a credit has cleared its lease', async () => {
      const { schedule } = await givenSchedule(harness());
      const twoDays = minutesAfter(NOW, 2 * 24 * 60);
      await harness().schedules.claimDueRuns({ now: NOW, after: null, limit: 10, leaseUntil: twoDays });
      expect((await harness().ledger.creditRun(creditRequest(schedule, 0))).outcome).to.equal('credited');
      const dayLater = minutesAfter(schedule.anchorAt, 24 * 60);
      const page = await harness().schedules.claimDueRuns({ now: dayLater, after: null, limit: 10, leaseUntil: twoDays });
      expect(page.map((s) => s.id)).to.deep.equal([schedule.id]);
      expect(page[0]!.nextRunAt.getTime()).to.equal(dayLater.getTime());
    });
  });
}
