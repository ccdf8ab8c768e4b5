import { expect } from 'chai';
import { fixedClock } from '../kernel/clock.port';
import { expectDomainRejection } from '../kernel/domain-error.test-helpers';
import { InMemoryCronRunRepository } from '../testing/jobs/in-memory-cron-runs';
import type { ActivityLogBatch, ActivityLogRepository } from './activity-log.ports';
import { activityLogCutoff, cleanupActivityLogs } from './cleanup-activity-logs.use-case';

/** Deletes from a pile of `old` rows, recording each limit it was called with. */
function pile(old: number) {
  let left = old;
  const limits: number[] = [];
  const activityLogs: ActivityLogRepository = {
    async deleteOlderThan(_cutoff, limit) {
      limits.push(limit);
      const deleted = Math.min(left, limit);
      left -= deleted;
      return { deleted, done: deleted < limit };
    },
  };
  return { activityLogs, limits };
}

const NOW = new Date('2025-03-18T02:00:00Z');

describe('cleanupActivityLogs', () => {
  it('deletes in batches of 20,000 until the repository is done, 45 days by default', async () => {
    const { activityLogs, limits } = pile(48_000);
    const summary = await cleanupActivityLogs({ activityLogs, clock: fixedClock(NOW) });
    expect(limits).to.deep.equal([20_000, 20_000, 20_000]);
    expect(summary).to.deep.equal({ deletedCount: 48_000, retentionDays: 45, cutoff: '2025-02-01T02:00:00.000Z', executedAt: NOW.toISOString() });
  });

  it('also takes the run history’s finished runs older than 90 days (CR calendar), in the same batches', async () => {
    const { activityLogs } = pile(5);
    const cronRuns = new InMemoryCronRunRepository();
    const record = (startedAt: string, job = 'settlement') =>
      cronRuns.record({ jobName: job, trigger: 'schedule', triggeredBy: 'SYSTEM', startedAt: new Date(startedAt), status: 'SUCCESS', processedCount: 0, errorMessage: null, summary: null, finishedAt: new Date(startedAt) });
    await record('2024-12-18T01:59:59.999Z');
    await record('2024-12-18T02:00:00.000Z');
    await record('2025-03-01T03:00:00.000Z');
    await record('2024-01-01T00:00:00.000Z', 'monthly-closing');
    const summary = await cleanupActivityLogs({ activityLogs, cronRuns, clock: fixedClock(NOW) }, { batchSize: 1 });
    expect(summary.cronRuns).to.deep.equal({ deletedCount: 1, retentionDays: 90, cutoff: '2024-12-18T02:00:00.000Z' });
    expect(cronRuns.runs.map((run) => run.startedAt.toISOString())).to.deep.equal(['2024-12-18T02:00:00.000Z', '2025-03-01T03:00:00.000Z', '2024-01-01T00:00:00.000Z']);
    await expectDomainRejection(cleanupActivityLogs({ activityLogs, cronRuns, clock: fixedClock(NOW) }, { cronRunRetentionDays: 0 }), 'CLEANUP.INVALID_RETENTION');
  });

  it('asks once more after an exactly full batch, and once when nothing is old', async () => {
    const full = pile(6);
    expect((await cleanupActivityLogs({ activityLogs: full.activityLogs, clock: fixedClock(NOW) }, { batchSize: 3 })).deletedCount).to.equal(6);
    expect(full.limits).to.deep.equal([3, 3, 3]);
    const none = pile(0);
    expect((await cleanupActivityLogs({ activityLogs: none.activityLogs, clock: fixedClock(NOW) }, { retentionDays: 1 })).deletedCount).to.equal(0);
    expect(none.limits).to.deep.equal([20_000]);
  });

  it('cuts off retentionDays CR calendar days before now, at the same CR time of day', () => {
    expect(activityLogCutoff(new Date('2025-03-01T05:59:00Z'), 1).toISOString()).to.equal('2025-02-28T05:59:00.000Z');
  });

  it('refuses a retention that is not a whole number of days from 1, and a bad batch size, before deleting', async () => {
    const { activityLogs, limits } = pile(10);
    const deps = { activityLogs, clock: fixedClock(NOW) };
    for (const retentionDays of [0, -1, 1.5, Number.NaN, 36_501]) {
      await expectDomainRejection(cleanupActivityLogs(deps, { retentionDays }), 'CLEANUP.INVALID_RETENTION');
    }
    await expectDomainRejection(cleanupActivityLogs(deps, { batchSize: 0 }), 'VALIDATION.INVALID_INPUT');
    expect(limits).to.deep.equal([]);
  });
});

describe('cleanupActivityLogs against a broken repository', () => {
  it('fails instead of looping when the repository does not answer a count and a verdict', async () => {
    for (const answer of [{ rowCount: 3 }, 3, { deleted: 3 }, { deleted: 20_001, done: false }, { deleted: -1, done: true }, null]) {
      const broken = { deleteOlderThan: async () => answer as unknown as ActivityLogBatch };
      const failure = await cleanupActivityLogs({ activityLogs: broken, clock: { now: () => new Date('2025-06-01T12:00:00Z') } }).then(
        () => null,
        (error: Error) => error,
      );
      expect(failure?.message, JSON.stringify(answer)).to.contain(`returned ${JSON.stringify(answer)} for a batch of 20000`);
    }
  });

  it('goes on after a batch that deleted less than its limit, or nothing, until the repository is done', async () => {
    const answers: ActivityLogBatch[] = [{ deleted: 5, done: false }, { deleted: 0, done: false }, { deleted: 20_000, done: false }, { deleted: 7, done: true }];
    const activityLogs: ActivityLogRepository = { deleteOlderThan: async () => answers.shift()! };
    expect((await cleanupActivityLogs({ activityLogs, clock: fixedClock(NOW) })).deletedCount).to.equal(20_012);
    expect(answers).to.deep.equal([]);
  });
});
