import { expect } from 'chai';
import { allowanceOccurrence } from '@banca/domain';
import { eventually, useAllowanceWorlds } from './allowance-world.test-helpers';
import { assertMoneyConserved } from './money-invariants.test-helpers';

const HOUR = 3_600_000;

describe('allowance e2e: from POST to credited balance (RabbitMQ, Redis, PostgreSQL)', () => {
  const worlds = useAllowanceWorlds();

  it('a schedule created over HTTP is published by allowance.enqueue once due and credited by the worker', async () => {
    const world = await worlds.create({ label: 'happy' });
    const guardianId = await world.givenGuardian('1000.00');
    const juniorId = await world.givenJunior(guardianId);
    const token = world.guardianToken(guardianId);
    const startAt = new Date(world.clock.now().getTime() + HOUR);

    const created = await world.http('POST', `/guardians/me/allowances/${juniorId}`, {
      token,
      body: { amount: '125.50', frequency: 'WEEKLY', status: 'ON', startAt: startAt.toISOString() },
    });
    expect(created.status).to.equal(201);
    const view = created.body as { id: string; nextRunAt: string; lastRunAt: string | null; amount: string };
    expect(view).to.include({ amount: '125.50', nextRunAt: startAt.toISOString(), lastRunAt: null });

    const admin = world.adminToken();
    const early = await world.http('POST', '/admin/jobs/allowance.enqueue/trigger', { token: admin });
    expect(early.status).to.equal(200);
    expect(early.body).to.deep.include({ status: 'SUCCESS', job: 'allowance.enqueue' });
    expect((early.body as { summary: { publishedCount: number } }).summary.publishedCount, 'nothing is due yet').to.equal(0);

    world.clock.advance(HOUR + 60_000);
    const due = await world.http('POST', '/admin/jobs/allowance.enqueue/trigger', { token: admin });
    expect(due.status).to.equal(200);
    expect(due.body).to.deep.include({ status: 'SUCCESS', job: 'allowance.enqueue' });
    expect((due.body as { summary: object }).summary).to.include({ publishedCount: 1, schedulesCount: 1, pagesCount: 1, errorsCount: 0, missedRuns: 'all' });

    await eventually(async () => (await world.balanceOf(juniorId)) === '125.50', 'the junior to be credited');
    expect(await world.balanceOf(guardianId)).to.equal('874.50');
    expect(await world.creditsOf(view.id)).to.deep.equal([{ runAt: startAt, amount: '125.50' }]);

    const after = await world.http('GET', `/guardians/me/allowances/${view.id}`, { token });
    expect(after.status).to.equal(200);
    expect(after.body).to.include({
      lastRunAt: startAt.toISOString(),
      nextRunAt: allowanceOccurrence(startAt, 'WEEKLY', 1).toISOString(),
    });
    expect(world.logged('ALLOWANCE_CREDITED').map((entry) => entry.payload?.['scheduleId'])).to.deep.equal([view.id]);

    const { rows: audit } = await world.knex.raw<{ rows: Array<{ status: string; processed_count: number }> }>(
      "SELECT status, processed_count FROM cron_runs WHERE job_name = 'allowance.enqueue' ORDER BY id",
    );
    expect(audit).to.deep.equal([
      { status: 'SUCCESS', processed_count: 0 },
      { status: 'SUCCESS', processed_count: 1 },
    ]);
    const jobs = await world.http('GET', '/admin/jobs', { token: admin });
    const enqueue = (jobs.body as { jobs: Array<{ name: string; lastRun: { status: string; processedCount: number } | null }> }).jobs.find((job) => job.name === 'allowance.enqueue');
    expect(enqueue?.lastRun).to.include({ status: 'SUCCESS', processedCount: 1 });

    expect(await world.depths()).to.deep.equal({ ready: 0, retrying: 0, deadLettered: 0 });
    const totals = await assertMoneyConserved(world.knex);
    expect(totals).to.include({ credits: 1, creditsTotal: '125.50' });
  });
});
