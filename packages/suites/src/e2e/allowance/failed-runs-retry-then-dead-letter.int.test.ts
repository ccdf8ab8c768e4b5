import { expect } from 'chai';
import { allowanceOccurrence } from '@banca/domain';
import { eventually, useAllowanceWorlds } from './allowance-world.test-helpers';
import { assertMoneyConserved } from './money-invariants.test-helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('allowance e2e: failed runs, the retry queue and the DLQ', () => {
  const worlds = useAllowanceWorlds();

  it('a transient failure (a guardian short of funds, then topped up) recovers through the retry queue', async () => {
    const world = await worlds.create({ label: 'transient', maxRetries: 50, retryDelayMs: 150 });
    const guardianId = await world.givenGuardian('10.00');
    const juniorId = await world.givenJunior(guardianId);
    const anchorAt = new Date(world.clock.now().getTime() - HOUR);
    const scheduleId = await world.givenSchedule({ guardianId, juniorId, amount: '40.00', frequency: 'WEEKLY', anchorAt });

    expect(await world.runProducer()).to.deep.include({ status: 'SUCCESS' });
    await eventually(() => world.logged('ALLOWANCE_RUN_RETRY').length > 0, 'a first retry');
    expect(await world.creditCount(), 'nothing is written while funds are short').to.equal(0);
    expect(await world.balanceOf(guardianId)).to.equal('10.00');
    await world.deposit(guardianId, '30.00');

    await eventually(async () => (await world.balanceOf(juniorId)) === '40.00', 'the credit on a retry');
    expect(await world.balanceOf(guardianId)).to.equal('0.00');
    const credited = world.settled.filter((delivery) => delivery.disposition.action === 'ack');
    expect(credited).to.have.length(1);
    expect(credited[0]!.previousAttempts, 'credited on a delivery that came back from the retry queue').to.be.greaterThan(0);
    const retries = world.logged('ALLOWANCE_RUN_RETRY');
    expect(retries.every((entry) => String(entry.payload?.['reason']).startsWith('ALLOWANCE.INSUFFICIENT_FUNDS'))).to.equal(true);
    expect(retries.map((entry) => entry.payload?.['attempt'])).to.deep.equal(retries.map((_, i) => i + 1));
    expect(world.logged('ALLOWANCE_RUN_GIVEN_UP')).to.deep.equal([]);

    const schedule = await world.schedule(scheduleId);
    expect(schedule).to.deep.include({ last_run_at: anchorAt, next_run_at: allowanceOccurrence(anchorAt, 'WEEKLY', 1), last_failed_run_at: null });
    expect(await world.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 1, creditsTotal: '40.00' });
  });

  it('a permanent failure lands in the DLQ on the ALLOWANCE_MAX_RETRIES-th attempt, is recorded, and the schedule moves on', async () => {
    const world = await worlds.create({ label: 'permanent', maxRetries: 3, retryDelayMs: 100 });
    const guardianId = await world.givenGuardian('5.00');
    const juniorId = await world.givenJunior(guardianId);
    const anchorAt = new Date(world.clock.now().getTime() - HOUR);
    const scheduleId = await world.givenSchedule({ guardianId, juniorId, amount: '20.00', frequency: 'DAILY', anchorAt });

    expect(await world.runProducer()).to.deep.include({ status: 'SUCCESS' });
    await eventually(async () => (await world.deadLetters()).length === 1, 'the run to reach the DLQ and be recorded');
    expect(world.settled.map((delivery) => [delivery.previousAttempts, delivery.disposition.action])).to.deep.equal([
      [0, 'retry'],
      [1, 'retry'],
      [2, 'dead-letter'],
    ]);
    const givenUp = world.logged('ALLOWANCE_RUN_GIVEN_UP');
    expect(givenUp).to.have.length(1);
    expect(givenUp[0]!.payload).to.include({ attempts: 3, nextRunAt: allowanceOccurrence(anchorAt, 'DAILY', 1).toISOString() });

    const schedule = await world.schedule(scheduleId);
    expect(schedule).to.deep.include({
      status: 'ON',
      next_run_at: allowanceOccurrence(anchorAt, 'DAILY', 1),
      last_run_at: null,
      last_failed_run_at: anchorAt,
      leased_through: anchorAt,
    });
    expect(schedule.last_failure_reason).to.match(/^ALLOWANCE\.INSUFFICIENT_FUNDS/);
    expect(schedule.last_failure_at).to.be.instanceOf(Date);
    expect(await world.creditCount()).to.equal(0);
    expect(await world.balanceOf(guardianId)).to.equal('5.00');
    await eventually(async () => (await world.depths()).deadLettered === 0, 'the DLQ emptied into the table');
    expect(await world.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
    const [dead] = await world.deadLetters();
    expect(dead).to.deep.include({
      message_key: `${scheduleId}:${anchorAt.toISOString()}`,
      message_id: `${scheduleId}:${anchorAt.toISOString()}`,
      schedule_id: scheduleId,
      run_at: anchorAt,
      reason_code: 'ALLOWANCE.INSUFFICIENT_FUNDS',
      attempts: 3,
      raw_body: null,
      status: 'open',
    });
    expect(dead!.reason).to.match(/^gave up after 3 attempts: ALLOWANCE\.INSUFFICIENT_FUNDS/);

    // The failed run is not published again; the next occurrence is, once due, and is paid.
    const again = await world.runProducer();
    expect(again.status === 'SUCCESS' && again.summary).to.include({ publishedCount: 0 });
    await world.deposit(guardianId, '15.00');
    world.clock.advance(DAY);
    const next = await world.runProducer();
    expect(next.status === 'SUCCESS' && next.summary).to.include({ publishedCount: 1 });
    await eventually(async () => (await world.balanceOf(juniorId)) === '20.00', 'the next occurrence to be credited');
    expect(await world.creditsOf(scheduleId)).to.deep.equal([{ runAt: allowanceOccurrence(anchorAt, 'DAILY', 1), amount: '20.00' }]);
    expect(await world.balanceOf(guardianId)).to.equal('0.00');
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 1, creditsTotal: '20.00' });
  });

  it('insufficient funds: runs racing on one guardian never overdraw it; the ones it cannot pay are given up', async () => {
    const world = await worlds.create({ label: 'funds', workers: 2, maxRetries: 1, retryDelayMs: 100 });
    const guardianId = await world.givenGuardian('250.00');
    const anchorAt = new Date(world.clock.now().getTime() - HOUR);
    const juniors: string[] = [];
    for (let i = 0; i < 5; i++) {
      const juniorId = await world.givenJunior(guardianId);
      juniors.push(juniorId);
      await world.givenSchedule({ guardianId, juniorId, amount: '100.00', frequency: 'MONTHLY', anchorAt });
    }

    const produced = await world.runProducer();
    expect(produced.status === 'SUCCESS' && produced.summary).to.include({ publishedCount: 5 });
    await eventually(async () => (await world.deadLetters()).length === 3, 'the three unpaid runs to reach the DLQ and be recorded');
    await eventually(() => world.settled.filter((delivery) => delivery.disposition.action !== 'retry').length === 5, 'every run to be settled');

    expect(await world.balanceOf(guardianId)).to.equal('50.00');
    const balances = await Promise.all(juniors.map((juniorId) => world.balanceOf(juniorId)));
    expect([...balances].sort()).to.deep.equal(['0.00', '0.00', '0.00', '100.00', '100.00']);
    expect(await world.creditCount()).to.equal(2);
    const { rows } = await world.knex.raw<{ rows: Array<{ failed: number }> }>(
      "SELECT count(*)::int AS failed FROM allowance_schedules WHERE last_failed_run_at = ? AND last_failure_reason LIKE 'ALLOWANCE.INSUFFICIENT_FUNDS%' AND last_run_at IS NULL",
      [anchorAt],
    );
    expect(rows[0]!.failed).to.equal(3);
    expect((await world.deadLetters()).map((row) => [row.reason_code, row.attempts, row.status])).to.deep.equal(Array(3).fill(['ALLOWANCE.INSUFFICIENT_FUNDS', 1, 'open']));
    await eventually(async () => (await world.depths()).deadLettered === 0, 'the DLQ emptied into the table');
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: 2, creditsTotal: '200.00', guardianDebits: '200.00' });
  });
});
