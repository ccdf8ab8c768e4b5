/// <reference types="mocha" />
import { expect } from 'chai';
import { seedDemo } from '@banca/adapters-postgres';
import { JOBS, type JobName } from '@banca/domain';
import { type JobRunResult } from '@banca/domain/ports';
import { createJobWorld, cronSlots, raceAt, type JobWorld } from '../e2e/jobs/jobs.test-helpers';
import { startScenario } from './fault-report.faults-helpers';
import { checkInvariants } from './invariants.faults-helpers';

const SLOTS = Number(process.env['FAULTS_RACING_SLOTS'] ?? 100);
const JOBS_RACED: JobName[] = ['sorteos.auto-close', 'sorteos.auto-open', 'sorteos.auto-create', 'settlement', 'monthly-closing', 'activity-log.cleanup'];
const FROM = new Date('2025-06-01T00:00:00Z');

describe('faults: two scheduler instances racing for every job slot', function () {
  this.timeout(600_000);
  let world: JobWorld | null = null;

  after(() => world?.close());

  it(`run each of ${SLOTS} slots exactly once: one SUCCESS in cron_runs, the other instance skips`, async () => {
    const report = startScenario('two schedulers racing for job slots');
    world = await createJobWorld('f_racing');
    await seedDemo(world.knex, { now: FROM });
    await world.knex('account_statement_settlement_config').update({ enabled: true });
    const rules = JOBS_RACED.map((job) => [job, JOBS[job].cron] as const);
    const slots = cronSlots(rules, FROM, new Date(FROM.getTime() + 60 * 86_400_000)).slice(0, SLOTS);
    expect(slots).to.have.length(SLOTS);
    const instances = [await world.instance(), await world.instance()];

    let contended = 0;
    const problems: string[] = [];
    for (const { job, at } of slots) {
      const outcomes = await raceAt(instances, job, at);
      const results = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected').length;
      const skipped = results.filter((result: JobRunResult<object>) => result.status === 'SKIPPED' && result.reason === 'another run holds the job lock').length;
      const ran = results.filter((result) => result.status === 'SUCCESS').length;
      contended += skipped;
      if (rejected > 0 || ran !== 1 || skipped !== 1) problems.push(`${job} at ${at.toISOString()}: ${JSON.stringify(results.map((r) => r.status))}, ${rejected} rejected`);
    }
    const perSlot = await world.knex.raw<{ rows: Array<{ job_name: string; runs: number }> }>(
      "SELECT job_name, count(*)::int AS runs FROM cron_runs WHERE status = 'SUCCESS' GROUP BY job_name ORDER BY job_name",
    );
    const audited = perSlot.rows.reduce((sum, row) => sum + row.runs, 0);
    const others = await world.knex('cron_runs').whereNot({ status: 'SUCCESS' }).count<Array<{ n: string }>>({ n: '*' });
    const invariants = await checkInvariants(world.knex);
    const extraRuns = Math.abs(audited - SLOTS) + Number(others[0]!.n);
    report.finish({
      load: `${SLOTS} slots of ${JOBS_RACED.length} jobs over ${slots.at(-1)!.at.toISOString().slice(0, 10)}, demo banca, 2 instances (Redis lock)`,
      faults: `${SLOTS} races, ${contended} lock losses, ${problems.length} slots not run exactly once`,
      violations: invariants.total + extraRuns + problems.length,
    });
    expect(problems, problems.join('\n')).to.deep.equal([]);
    expect(audited, 'one audited run per slot').to.equal(SLOTS);
    expect(Number(others[0]!.n)).to.equal(0);
    expect(invariants.total, invariants.describe()).to.equal(0);
  });
});
