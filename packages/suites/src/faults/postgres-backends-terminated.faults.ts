/// <reference types="mocha" />
import { expect } from 'chai';
import type { Knex } from 'knex';
import { seedDemo } from '@banca/adapters-postgres';
import { previousCRMonth } from '@banca/domain';
import { type JobRunResult } from '@banca/domain/ports';
import { createAllowanceWorld, type AllowanceWorld } from '../e2e/allowance/allowance-world.test-helpers';
import { assertMoneyConserved } from '../e2e/allowance/money-invariants.test-helpers';
import { createJobWorld, type JobWorld } from '../e2e/jobs/jobs.test-helpers';
import { startScenario } from './fault-report.faults-helpers';
import { backendsWaitingOnLocks, creditCount, deadLetterKeys, openDeadLetterCount, ownWorker, sleep, terminateBackends, uniqueLabel, waitFor, type OwnWorker } from './fault-world.faults-helpers';
import { checkInvariants } from './invariants.faults-helpers';

const CREDIT_RUNS = Number(process.env['FAULTS_PG_CREDIT_RUNS'] ?? 1_500);
const HOUR = 3_600_000;

/** The run was cut off with its class, and the cut-off statement left nothing behind. */
function expectFailedWithClass(result: JobRunResult<object>): string {
  expect(result.status, JSON.stringify(result)).to.equal('FAILED');
  if (result.status !== 'FAILED') throw new Error('not failed');
  expect(result.error.errorType).to.equal('DB_UNREACHABLE');
  return `${result.error.errorType}/${result.error.errorCode ?? '-'}`;
}

describe('faults: PostgreSQL backends terminated in the middle of settlement, closing and crediting', function () {
  this.timeout(600_000);

  describe('banca jobs', () => {
    let world: JobWorld;
    let blocker: Knex.Transaction | null = null;
    const applicationName = uniqueLabel('faults_pgterm');

    before(async () => {
      world = await createJobWorld('f_pgterm');
      await seedDemo(world.knex, { now: new Date() });
    });

    afterEach(async () => {
      if (blocker && !blocker.isCompleted()) await blocker.rollback();
      blocker = null;
    });

    after(() => world?.close());

    /** Starts the run, waits until its statement waits on the test's lock, terminates that backend. */
    async function terminatedMidStatement(job: 'settlement' | 'monthly-closing', hold: (trx: Knex.Transaction) => Promise<void>, month?: string) {
      const instance = await world.instance({ lock: { kind: 'none' }, connection: { applicationName } });
      const held = await world.knex.transaction();
      blocker = held;
      await hold(held);
      const running = instance.run(job, { trigger: 'manual', userId: 'faults', ...(month ? { month } : {}) });
      await waitFor(async () => (await backendsWaitingOnLocks(world.knex, applicationName)) > 0, `${job} to wait inside its statement`, 60_000);
      const terminated = await terminateBackends(world.knex, applicationName, 'waiting');
      const failed = await running;
      await held.rollback();
      const next = await instance.run(job, { trigger: 'manual', userId: 'faults', ...(month ? { month } : {}) });
      await instance.close();
      return { terminated, failed, next, instance };
    }

    it('settlement: the run is FAILED with its class, nothing of the batch is settled, the next run completes', async () => {
      const report = startScenario('PostgreSQL backend terminated mid-settlement');
      const eligible = await world.knex('account_statements').where({ is_settled: false }).count<Array<{ count: string }>>({ count: '*' });
      const { terminated, failed, next } = await terminatedMidStatement('settlement', async (trx) => {
        await trx.raw('LOCK TABLE account_statements IN SHARE MODE');
      });
      const settledAfterFailure = failed.status === 'FAILED' ? 0 : -1;
      const invariants = await checkInvariants(world.knex);
      const klass = failed.status === 'FAILED' ? `${failed.error.errorType}/${failed.error.errorCode ?? '-'}` : failed.status;
      const settled = next.status === 'SUCCESS' ? (next.summary as { settledCount: number }).settledCount : 0;
      report.finish({
        load: `${eligible[0]!.count} unsettled statements (demo banca), next run settled ${settled}`,
        faults: `${terminated} backend terminated (run ${klass})`,
        violations: invariants.total,
      });
      expectFailedWithClass(failed);
      expect(settledAfterFailure).to.equal(0);
      expect(terminated).to.equal(1);
      expect(next.status, JSON.stringify(next)).to.equal('SUCCESS');
      expect(settled).to.be.greaterThan(0);
      expect((await world.cronRuns('settlement')).map((run) => run.status).slice(-2)).to.deep.equal(['FAILED', 'SUCCESS']);
      expect(invariants.total, invariants.describe()).to.equal(0);
    });

    it('monthly closing: the run is FAILED with its class, the interrupted page is absent, the next run completes', async () => {
      const report = startScenario('PostgreSQL backend terminated mid-closing');
      const month = previousCRMonth(new Date());
      const { terminated, failed, next } = await terminatedMidStatement(
        'monthly-closing',
        async (trx) => {
          const ventana = await trx('ventanas').orderBy('id').first('id', 'banca_id');
          await trx('monthly_closing_balances').insert({
            closing_month: month, dimension: 'ventana', entity_id: ventana.id, banca_id: ventana.banca_id,
            ticket_count: 0, total_sales: 0, total_payouts: 0, total_commissions: 0, net_balance: 0,
            total_paid: 0, total_collected: 0, opening_balance: 0, remaining_balance: 0, closed_by: 'faults-blocker',
          });
        },
        month,
      );
      const invariants = await checkInvariants(world.knex);
      const rows = await world.knex('monthly_closing_balances').where({ closing_month: month }).count<Array<{ count: string }>>({ count: '*' });
      const klass = failed.status === 'FAILED' ? `${failed.error.errorType}/${failed.error.errorCode ?? '-'}` : failed.status;
      report.finish({
        load: `closing ${month} of the demo banca (${rows[0]!.count} rows after the next run)`,
        faults: `${terminated} backend terminated (run ${klass})`,
        violations: invariants.total,
      });
      expectFailedWithClass(failed);
      expect(terminated).to.equal(1);
      expect(next.status, JSON.stringify(next)).to.equal('SUCCESS');
      expect((next.status === 'SUCCESS' && (next.summary as { totalSuccess: number }).totalSuccess) || 0).to.equal(Number(rows[0]!.count));
      expect((await world.cronRuns('monthly-closing')).map((run) => run.status).slice(-2)).to.deep.equal(['FAILED', 'SUCCESS']);
      expect(invariants.total, invariants.describe()).to.equal(0);
    });
  });

  describe('allowance crediting', () => {
    let world: AllowanceWorld | null = null;
    let worker: OwnWorker | null = null;

    after(async () => {
      await worker?.stop();
      await world?.close();
    });

    it('the worker’s backends are terminated again and again while it credits: each run credited once or in the DLQ', async () => {
      const report = startScenario('PostgreSQL backends terminated mid-crediting');
      const applicationName = uniqueLabel('faults_pgcredit');
      world = await createAllowanceWorld({ label: 'f_pgcredit', workers: 0, startWorkers: false, retryDelayMs: 100, maxRetries: 5 });
      const w = world;
      const anchorAt = new Date(w.clock.now().getTime() - HOUR);
      const ids = await w.givenManySchedules({ guardians: 20, juniors: CREDIT_RUNS, guardianBalance: '100000.00', amount: '2.22', frequency: 'DAILY', anchorAt });
      const produced = await w.runProducer();
      expect(produced.status === 'SUCCESS' && produced.summary).to.include({ publishedCount: CREDIT_RUNS });
      worker = await ownWorker(w, { applicationName, index: 0, maxRetries: 5, prefetch: 10 });

      let terminated = 0;
      let rounds = 0;
      while ((await creditCount(w.knex)) < CREDIT_RUNS * 0.9 && rounds < 400) {
        terminated += await terminateBackends(w.knex, applicationName, 'active');
        rounds += 1;
        await sleep(60);
      }
      const settled = await waitFor(
        async () => {
          const depths = await w.depths();
          const credits = await creditCount(w.knex);
          const deadLettered = await openDeadLetterCount(w.knex);
          return depths.ready === 0 && depths.retrying === 0 && depths.deadLettered === 0 && credits + deadLettered >= CREDIT_RUNS ? { credits } : undefined;
        },
        'every run credited or dead-lettered',
        300_000,
        200,
      );
      await worker.stop();
      worker = null;
      const dead = await deadLetterKeys(w.knex);
      const invariants = await checkInvariants(w.knex, { runs: ids.map((scheduleId) => ({ scheduleId, runAt: anchorAt })), deadLettered: dead });
      const retried = w.logged('ALLOWANCE_RUN_RETRY').length;
      report.finish({
        load: `${CREDIT_RUNS} due runs, 1 worker, ${settled.credits} credited, ${dead.size} dead letters, ${retried} retries`,
        faults: `${terminated} backends terminated over ${rounds} rounds`,
        violations: invariants.total,
      });
      expect(terminated, 'backends were terminated while crediting').to.be.greaterThan(0);
      expect(invariants.total, invariants.describe()).to.equal(0);
      await assertMoneyConserved(w.knex);
    });
  });
});
