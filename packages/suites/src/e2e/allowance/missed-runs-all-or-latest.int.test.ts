import { expect } from 'chai';
import { allowanceOccurrence } from '@banca/domain';
import { eventually, useAllowanceWorlds, type AllowanceWorld } from './allowance-world.test-helpers';
import { assertMoneyConserved } from './money-invariants.test-helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A DAILY schedule paid up to ten days ago whose next run is three days and an hour behind (four
 * runs due), and a MONTHLY one created about two months ago that never ran (three runs due).
 */
async function givenDowntime(world: AllowanceWorld) {
  const now = world.clock.now().getTime();
  const guardianId = await world.givenGuardian('1000.00');
  const dailyJunior = await world.givenJunior(guardianId);
  const monthlyJunior = await world.givenJunior(guardianId);
  const dailyAnchor = new Date(now - 10 * DAY - HOUR);
  const daily = await world.givenSchedule({
    guardianId,
    juniorId: dailyJunior,
    amount: '10.00',
    frequency: 'DAILY',
    anchorAt: dailyAnchor,
    nextRunAt: allowanceOccurrence(dailyAnchor, 'DAILY', 7),
  });
  const monthlyAnchor = new Date(now - 62 * DAY - HOUR);
  const monthly = await world.givenSchedule({ guardianId, juniorId: monthlyJunior, amount: '100.00', frequency: 'MONTHLY', anchorAt: monthlyAnchor });
  const occurrences = (anchor: Date, frequency: 'DAILY' | 'MONTHLY', from: number) =>
    Array.from({ length: 12 }, (_, i) => allowanceOccurrence(anchor, frequency, from + i)).filter((instant) => instant.getTime() <= now);
  return {
    guardianId,
    daily: { id: daily, juniorId: dailyJunior, due: occurrences(dailyAnchor, 'DAILY', 7), next: allowanceOccurrence(dailyAnchor, 'DAILY', 11) },
    monthly: { id: monthly, juniorId: monthlyJunior, due: occurrences(monthlyAnchor, 'MONTHLY', 0), next: allowanceOccurrence(monthlyAnchor, 'MONTHLY', 3) },
  };
}

describe('allowance e2e: missed runs after downtime (ALLOWANCE_MISSED_RUNS)', () => {
  const worlds = useAllowanceWorlds();

  it('all: each missed run is credited once, even when two workers credit them out of order, and the schedule ends past now', async () => {
    const world = await worlds.create({ label: 'missed_all', missedRuns: 'all', workers: 2 });
    const { guardianId, daily, monthly } = await givenDowntime(world);
    expect(daily.due).to.have.length(4);
    expect(monthly.due).to.have.length(3);

    const produced = await world.runProducer();
    expect(produced.status === 'SUCCESS' && produced.summary).to.include({ publishedCount: 7, schedulesCount: 2, missedRuns: 'all' });
    await eventually(async () => (await world.creditCount()) === 7, 'the seven missed runs to be credited');

    expect(await world.creditsOf(daily.id)).to.deep.equal(daily.due.map((runAt) => ({ runAt, amount: '10.00' })));
    expect(await world.creditsOf(monthly.id)).to.deep.equal(monthly.due.map((runAt) => ({ runAt, amount: '100.00' })));
    expect(await world.balanceOf(daily.juniorId)).to.equal('40.00');
    expect(await world.balanceOf(monthly.juniorId)).to.equal('300.00');
    expect(await world.balanceOf(guardianId)).to.equal('660.00');
    expect(await world.schedule(daily.id)).to.deep.include({ next_run_at: daily.next, last_run_at: daily.due[3] });
    expect(await world.schedule(monthly.id)).to.deep.include({ next_run_at: monthly.next, last_run_at: monthly.due[2] });

    const again = await world.runProducer();
    expect(again.status === 'SUCCESS' && again.summary, 'nothing is due any more').to.include({ publishedCount: 0 });
    expect(await world.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 7, creditsTotal: '340.00' });
  });

  it('latest: only the latest missed run is credited, and the schedule ends past now', async () => {
    const world = await worlds.create({ label: 'missed_latest', missedRuns: 'latest' });
    const { guardianId, daily, monthly } = await givenDowntime(world);

    const produced = await world.runProducer();
    expect(produced.status === 'SUCCESS' && produced.summary).to.include({ publishedCount: 2, schedulesCount: 2, missedRuns: 'latest' });
    await eventually(async () => (await world.creditCount()) === 2, 'the two latest runs to be credited');

    expect(await world.creditsOf(daily.id)).to.deep.equal([{ runAt: daily.due[3], amount: '10.00' }]);
    expect(await world.creditsOf(monthly.id)).to.deep.equal([{ runAt: monthly.due[2], amount: '100.00' }]);
    expect(await world.balanceOf(guardianId)).to.equal('890.00');
    for (const schedule of [daily, monthly]) {
      const row = await world.schedule(schedule.id);
      expect(row.next_run_at).to.deep.equal(schedule.next);
      expect(row.next_run_at.getTime()).to.be.greaterThan(world.clock.now().getTime());
    }

    const again = await world.runProducer();
    expect(again.status === 'SUCCESS' && again.summary, 'the skipped runs are not published later').to.include({ publishedCount: 0 });
    expect(await world.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 2, creditsTotal: '110.00' });
  });
});
