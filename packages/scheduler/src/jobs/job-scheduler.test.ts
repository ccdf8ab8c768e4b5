import { expect } from 'chai';
import fc from 'fast-check';
import schedule from 'node-schedule';
import { JOBS, nextCronRun, parseCron, type JobName } from '@banca/domain';
import { memoryLogger } from '@banca/domain/ports';
import { JobScheduler } from './job-scheduler';

describe('JobScheduler', () => {
  let scheduler: JobScheduler | undefined;
  afterEach(() => scheduler?.stop());

  function start(readSettlementCron: () => Promise<string>, configPollMs = 60_000) {
    const logger = memoryLogger('scheduler');
    const ran: JobName[] = [];
    scheduler = new JobScheduler({
      runScheduled: async (name) => {
        ran.push(name);
        return { status: 'SKIPPED', job: name, runId: null, reason: 'test' };
      },
      readSettlementCron,
      logger,
      configPollMs,
    });
    return { logger, ran, started: scheduler.start() };
  }

  it('registers every job at its UTC rule and logs <JOB>_SCHEDULED with the next run', async () => {
    const before = new Date();
    const { logger, started } = start(async () => '0 3 * * *');
    await started;
    const scheduled = logger.entries.filter((e) => e.action.endsWith('_SCHEDULED'));
    expect(scheduled.map((e) => e.action)).to.have.members([
      'SORTEOS_AUTO_OPEN_SCHEDULED',
      'SORTEOS_AUTO_CREATE_SCHEDULED',
      'SORTEOS_AUTO_CLOSE_SCHEDULED',
      'SETTLEMENT_SCHEDULED',
      'MONTHLY_CLOSING_SCHEDULED',
      'ACTIVITY_LOG_CLEANUP_SCHEDULED',
      'ALLOWANCE_ENQUEUE_SCHEDULED',
    ]);
    const autoOpen = scheduled.find((e) => e.action === 'SORTEOS_AUTO_OPEN_SCHEDULED')!.payload as { nextRun: string; delayMinutes: number; cron: string };
    expect(autoOpen.cron).to.equal(JOBS['sorteos.auto-open'].cron);
    const expected = nextCronRun(JOBS['sorteos.auto-open'].cron, before);
    expect(autoOpen.nextRun).to.equal(expected.toISOString());
    expect(autoOpen.delayMinutes).to.be.within(0, 24 * 60);
  });

  it('takes the settlement rule from its config and follows a change without a restart', async () => {
    let cron = '0 3 * * *';
    const { logger, started } = start(async () => cron);
    await started;
    expect(scheduler!.nextRuns().settlement?.cron).to.equal('0 3 * * *');
    cron = '15 4 * * *';
    await scheduler!.refreshSettlementRule();
    expect(scheduler!.nextRuns().settlement?.cron).to.equal('15 4 * * *');
    expect(scheduler!.nextRuns().settlement?.nextRun?.getUTCHours()).to.equal(4);
    expect(logger.entries.filter((e) => e.action === 'SETTLEMENT_SCHEDULED')).to.have.length(2);
  });

  it('keeps the last valid settlement rule when the stored one is invalid', async () => {
    let cron = '0 3 * * *';
    const { logger, started } = start(async () => cron);
    await started;
    cron = '99 * * * *';
    await scheduler!.refreshSettlementRule();
    expect(scheduler!.nextRuns().settlement?.cron).to.equal('0 3 * * *');
    expect(logger.entries.some((e) => e.action === 'SETTLEMENT_RULE_INVALID')).to.equal(true);
  });

  it('keeps the last valid settlement rule, scheduled, when the stored one never fires, and says so once', async () => {
    let cron = '0 3 * * *';
    const { logger, started } = start(async () => cron);
    await started;
    for (const never of ['0 0 30 2 *', '0 0 31 4 *']) {
      cron = never;
      await scheduler!.refreshSettlementRule();
      await scheduler!.refreshSettlementRule();
      const settlement = scheduler!.nextRuns().settlement;
      expect(settlement?.cron, never).to.equal('0 3 * * *');
      expect(settlement?.nextRun?.toISOString(), never).to.equal(nextCronRun('0 3 * * *', new Date()).toISOString());
    }
    expect(logger.entries.filter((e) => e.action === 'SETTLEMENT_RULE_INVALID').map((e) => e.payload?.['cron'])).to.deep.equal(['0 0 30 2 *', '0 0 31 4 *']);
  });

  it('can schedule every rule the domain accepts (property)', () => {
    const field = (min: number, max: number) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min, max }).map(String),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
        fc.integer({ min: 1, max: max - min + 1 }).map((step) => `*/${step}`),
        fc.uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 3 }).map((values) => values.join(',')),
      );
    const rules = fc.tuple(field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 7)).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(rules, (rule) => {
        let accepted = true;
        try {
          parseCron(rule);
        } catch {
          accepted = false;
        }
        fc.pre(accepted);
        const job = schedule.scheduleJob({ rule, tz: 'Etc/UTC' }, () => undefined);
        expect(job, rule).not.to.equal(null);
        job!.cancel();
      }),
      { numRuns: 300 },
    );
  });

  it('polls the settlement config', async () => {
    let cron = '0 3 * * *';
    const { started } = start(async () => cron, 20);
    await started;
    cron = '30 2 * * *';
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(scheduler!.nextRuns().settlement?.cron).to.equal('30 2 * * *');
  });

  it('stops scheduling on stop', async () => {
    const { started } = start(async () => '0 3 * * *');
    await started;
    scheduler!.stop();
    expect(scheduler!.nextRuns()).to.deep.equal({});
  });
});
