import { expect } from 'chai';
import { allowanceRunMessage, isDomainError } from '@banca/domain';
import { eventually, useAllowanceWorlds } from './allowance-world.test-helpers';
import { assertMoneyConserved } from './money-invariants.test-helpers';

const HOUR = 3_600_000;
const RUNS = 1_000;

describe('allowance e2e: four workers at once on 1,000 due runs', () => {
  const worlds = useAllowanceWorlds();

  it('the producer publishes each due run once (Redis lock, 500 per page) and four workers credit each exactly once, racing copies included', async () => {
    const world = await worlds.create({ label: 'four', workers: 4, startWorkers: false });
    const anchorAt = new Date(world.clock.now().getTime() - HOUR);
    const scheduleIds = await world.givenManySchedules({ guardians: 4, juniors: RUNS, guardianBalance: '10000.00', amount: '12.34', frequency: 'MONTHLY', anchorAt });
    expect(scheduleIds).to.have.length(RUNS);

    // Another instance holds the lock: a scheduled run skips, a manual one is refused.
    await world.redisClient.set(world.lockKey, 'another-instance', 'PX', 60_000);
    expect(await world.runProducer({ trigger: 'schedule' })).to.deep.include({ status: 'SKIPPED', reason: 'another run holds the job lock' });
    const refused = await world.runProducer({ trigger: 'manual' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isDomainError(refused) && refused.code).to.equal('JOB.ALREADY_RUNNING');
    expect((await world.depths()).ready).to.equal(0);
    await world.redisClient.del(world.lockKey);

    // Two producers at once: whichever order the lock gives them, 1,000 runs are published once.
    const results = await Promise.all([world.runProducer({ trigger: 'schedule' }), world.runProducer({ trigger: 'schedule' })]);
    const published = results.map((result) => (result.status === 'SUCCESS' ? (result.summary as { publishedCount: number }).publishedCount : 0));
    expect(published.reduce((a, b) => a + b, 0)).to.equal(RUNS);
    const full = results.find((result) => result.status === 'SUCCESS' && (result.summary as { publishedCount: number }).publishedCount === RUNS);
    expect(full && full.status === 'SUCCESS' && full.summary).to.include({ publishedCount: RUNS, schedulesCount: RUNS, pagesCount: RUNS / 500, errorsCount: 0 });
    expect(await world.redisClient.exists(world.lockKey), 'the lock is released').to.equal(0);
    expect((await world.depths()).ready).to.equal(RUNS);

    // Two more copies of every run, back to back, so that copies of one run reach different workers at once.
    await world.transport.publisher.publish(scheduleIds.flatMap((id) => [allowanceRunMessage(id, anchorAt), allowanceRunMessage(id, anchorAt)]));

    await world.startWorkers();
    await eventually(() => world.settled.length === 3 * RUNS, `${3 * RUNS} deliveries to be settled`, 90_000);
    await world.stopWorkers();

    expect(await world.creditCount()).to.equal(RUNS);
    expect(world.logged('ALLOWANCE_CREDITED')).to.have.length(RUNS);
    expect(world.logged('ALLOWANCE_DUPLICATE_RUN')).to.have.length(2 * RUNS);
    expect(world.settled.every((delivery) => delivery.disposition.action === 'ack')).to.equal(true);
    const perWorker = world.workers.map(({ index }) => world.settled.filter((delivery) => delivery.worker === index).length);
    expect(perWorker.every((count) => count > 0), `every worker consumed (${perWorker.join(', ')})`).to.equal(true);

    const { rows } = await world.knex.raw<{ rows: Array<{ credited: number; behind: number; balance: string }> }>(
      `SELECT (SELECT count(DISTINCT schedule_id)::int FROM allowance_credits) AS credited,
              (SELECT count(*)::int FROM allowance_schedules WHERE next_run_at <= ? OR last_run_at IS DISTINCT FROM ?) AS behind,
              (SELECT sum(balance)::text FROM accounts WHERE junior_id IS NOT NULL) AS balance`,
      [world.clock.now(), anchorAt],
    );
    expect(rows[0]).to.deep.equal({ credited: RUNS, behind: 0, balance: '12340.00' });
    expect(await world.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });

    const { rows: audit } = await world.knex.raw<{ rows: Array<{ status: string; processed_count: number }> }>(
      "SELECT status, processed_count FROM cron_runs WHERE job_name = 'allowance.enqueue' AND status = 'SUCCESS' AND processed_count > 0",
    );
    expect(audit).to.deep.equal([{ status: 'SUCCESS', processed_count: RUNS }]);
    expect(await assertMoneyConserved(world.knex)).to.include({ credits: RUNS, creditsTotal: '12340.00', guardianDebits: '12340.00' });
  });
});
