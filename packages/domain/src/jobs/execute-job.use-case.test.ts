import { expect } from 'chai';
import { executeJob, type JobExecutionDeps, type JobExecution } from './execute-job.use-case';
import { createActiveOperations } from '../kernel/active-operations';
import { fixedClock } from '../kernel/clock.port';
import { memoryLogger } from '../kernel/logger.port';
import { DomainError } from '../kernel/domain-error';
import { InMemoryJobLock } from '../testing/jobs/in-memory-job-lock';
import { InMemoryCronRunRepository } from '../testing/jobs/in-memory-cron-runs';
import { expectDomainRejection } from '../kernel/domain-error.test-helpers';

interface Summary {
  deletedCount: number;
  retentionDays: number;
}

function setup(overrides: Partial<JobExecutionDeps> = {}) {
  const logger = memoryLogger('job');
  const cronRuns = new InMemoryCronRunRepository();
  const lock = new InMemoryJobLock();
  const deps: JobExecutionDeps = {
    clock: fixedClock(new Date('2025-06-10T02:00:00Z')),
    warmup: { warmUp: async () => undefined },
    lock,
    cronRuns,
    activeOperations: createActiveOperations(),
    logger,
    classifyError: (error) => ({ errorType: 'DB_UNREACHABLE', errorCode: 'ECONNREFUSED', message: String((error as Error).message) }),
    ...overrides,
  };
  return { deps, logger, cronRuns, lock };
}

const cleanupRequest = (run: () => Promise<Summary>, trigger: 'schedule' | 'manual' = 'schedule'): JobExecution<Summary> => ({
  name: 'activity-log.cleanup',
  trigger,
  triggeredBy: trigger === 'manual' ? 'ana' : 'SYSTEM',
  lockTtlMs: 60_000,
  run,
  processedCount: (s) => s.deletedCount,
});

describe('executeJob', () => {
  it('runs, logs the completion action with the summary, and records SUCCESS', async () => {
    const { deps, logger, cronRuns } = setup();
    const result = await executeJob(deps, cleanupRequest(async () => ({ deletedCount: 12, retentionDays: 45 })));
    expect(result.status).to.equal('SUCCESS');
    expect(logger.entries.map((e) => [e.level, e.action, e.payload])).to.deep.equal([
      ['info', 'ACTIVITY_LOG_CLEANUP_COMPLETE', { deletedCount: 12, retentionDays: 45 }],
    ]);
    expect(cronRuns.runs).to.have.length(1);
    expect(cronRuns.runs[0]).to.include({ jobName: 'activity-log.cleanup', status: 'SUCCESS', processedCount: 12, errorMessage: null, trigger: 'schedule', triggeredBy: 'SYSTEM' });
    expect(cronRuns.runs[0]!.summary).to.deep.equal({ deletedCount: 12, retentionDays: 45 });
    expect(result.runId).to.equal(cronRuns.runs[0]!.id);
  });

  it('shows a run in progress as RUNNING, telling its id before it ends, then records its outcome in the same row', async () => {
    const { deps, cronRuns } = setup();
    let finish: () => void = () => undefined;
    let told: string | null = null;
    const running = executeJob(deps, {
      ...cleanupRequest(() => new Promise((resolve) => (finish = () => resolve({ deletedCount: 4, retentionDays: 45 }))), 'manual'),
      onRecorded: (runId) => (told = runId),
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(told).to.not.equal(null);
    expect(await cronRuns.findById(told!)).to.include({ status: 'RUNNING', finishedAt: null, trigger: 'manual', triggeredBy: 'ana' });
    finish();
    const result = await running;
    expect(result.runId).to.equal(told);
    expect(cronRuns.runs).to.have.length(1);
    expect(cronRuns.runs[0]).to.include({ status: 'SUCCESS', processedCount: 4 });
  });

  it('skips and records SKIPPED when the database does not warm up, running nothing', async () => {
    let ran = false;
    const { deps, logger, cronRuns } = setup({ warmup: { warmUp: async () => Promise.reject(new Error('connect ECONNREFUSED')) } });
    const result = await executeJob(deps, cleanupRequest(async () => {
      ran = true;
      return { deletedCount: 0, retentionDays: 45 };
    }));
    expect(ran).to.equal(false);
    expect(result).to.deep.include({ status: 'SKIPPED' });
    expect(logger.entries[0]).to.deep.include({ level: 'warn', action: 'JOB_SKIP' });
    expect(logger.entries[0]!.payload).to.deep.equal({ job: 'activity-log.cleanup', reason: 'database not ready: connect ECONNREFUSED' });
    expect(cronRuns.runs[0]).to.include({ status: 'SKIPPED', processedCount: 0 });
    expect(result.runId).to.equal(cronRuns.runs[0]!.id);
  });

  it('classifies a failure, logs JOB_FAIL and records FAILED', async () => {
    const { deps, logger, cronRuns } = setup();
    const result = await executeJob(deps, cleanupRequest(async () => Promise.reject(new Error('connection terminated'))));
    expect(result.status).to.equal('FAILED');
    const { time, ...entry } = logger.entries[0]!;
    expect(Number.isNaN(Date.parse(time))).to.equal(false);
    expect(entry).to.deep.equal({
      level: 'error',
      layer: 'job',
      action: 'JOB_FAIL',
      payload: { job: 'activity-log.cleanup', errorType: 'DB_UNREACHABLE', errorCode: 'ECONNREFUSED', error: 'connection terminated' },
    });
    expect(cronRuns.runs[0]).to.include({ status: 'FAILED', errorMessage: 'DB_UNREACHABLE: connection terminated' });
    expect(cronRuns.runs[0]!.summary).to.deep.equal({ job: 'activity-log.cleanup', errorType: 'DB_UNREACHABLE', errorCode: 'ECONNREFUSED', error: 'connection terminated' });
  });

  it('keeps the domain code of a DomainError', async () => {
    const { deps, logger } = setup();
    await executeJob(deps, cleanupRequest(async () => Promise.reject(new DomainError('TIME.INVALID_MONTH', 'invalid month "2025-13"'))));
    expect(logger.entries[0]!.payload).to.include({ errorType: 'UNKNOWN_ERROR', errorCode: 'TIME.INVALID_MONTH' });
  });

  it('lets one run at a time: a scheduled run skips quietly, a manual one is refused with JOB.ALREADY_RUNNING', async () => {
    const { deps, cronRuns } = setup();
    let finish: () => void = () => undefined;
    const first = executeJob(deps, cleanupRequest(() => new Promise((resolve) => {
      finish = () => resolve({ deletedCount: 1, retentionDays: 45 });
    })));
    await new Promise((resolve) => setImmediate(resolve));
    const scheduled = await executeJob(deps, cleanupRequest(async () => ({ deletedCount: 99, retentionDays: 45 })));
    expect(scheduled).to.deep.include({ status: 'SKIPPED', reason: 'another run holds the job lock' });
    await expectDomainRejection(executeJob(deps, cleanupRequest(async () => ({ deletedCount: 99, retentionDays: 45 }), 'manual')), 'JOB.ALREADY_RUNNING');
    finish();
    expect((await first).status).to.equal('SUCCESS');
    expect(cronRuns.runs.map((r) => [r.status, r.processedCount])).to.deep.equal([['SUCCESS', 1]]);
  });

  it('releases the lock after a failure, so the next run can go', async () => {
    const { deps } = setup();
    await executeJob(deps, cleanupRequest(async () => Promise.reject(new Error('boom'))));
    const next = await executeJob(deps, cleanupRequest(async () => ({ deletedCount: 3, retentionDays: 45 })));
    expect(next.status).to.equal('SUCCESS');
  });

  it('is an active operation while it runs, so shutdown can wait for it', async () => {
    const { deps } = setup();
    let finish: () => void = () => undefined;
    const run = executeJob(deps, cleanupRequest(() => new Promise((resolve) => {
      finish = () => resolve({ deletedCount: 1, retentionDays: 45 });
    })));
    await new Promise((resolve) => setImmediate(resolve));
    expect(deps.activeOperations.active()).to.deep.equal(['activity-log.cleanup']);
    expect(await deps.activeOperations.drain(10)).to.equal(false);
    finish();
    expect(await deps.activeOperations.drain(1000)).to.equal(true);
    await run;
  });

  it('records SKIPPED when the use case decided not to act', async () => {
    const { deps, cronRuns, logger } = setup();
    const result = await executeJob(deps, {
      ...cleanupRequest(async () => ({ deletedCount: 0, retentionDays: 45 })),
      skippedReason: () => 'settlement is disabled',
    });
    expect(result.status).to.equal('SKIPPED');
    expect(logger.entries[0]).to.deep.include({ action: 'JOB_SKIP' });
    expect(cronRuns.runs[0]).to.include({ status: 'SKIPPED', errorMessage: 'settlement is disabled' });
  });

  it('still returns the outcome when the audit cannot be written at all, and says so in the log', async () => {
    const broken = new (class extends InMemoryCronRunRepository {
      override start = async () => Promise.reject(new Error('pool ended'));
      override record = async () => Promise.reject(new Error('pool ended'));
    })();
    const { deps, logger } = setup({ cronRuns: broken });
    const result = await executeJob(deps, cleanupRequest(async () => ({ deletedCount: 2, retentionDays: 45 })));
    expect(result).to.include({ status: 'SUCCESS', runId: null });
    expect(logger.entries.map((e) => e.action)).to.deep.equal(['CRON_RUN_RECORD_FAIL', 'ACTIVITY_LOG_CLEANUP_COMPLETE', 'CRON_RUN_RECORD_FAIL']);
  });

  it('records a run whole when its RUNNING row could not be opened, so a blip at the start loses nothing', async () => {
    const flaky = new (class extends InMemoryCronRunRepository {
      override start = async () => Promise.reject(new Error('connection reset'));
    })();
    const { deps } = setup({ cronRuns: flaky });
    const result = await executeJob(deps, cleanupRequest(async () => ({ deletedCount: 2, retentionDays: 45 })));
    expect(flaky.runs).to.have.length(1);
    expect(flaky.runs[0]).to.include({ status: 'SUCCESS', processedCount: 2, id: result.runId });
  });
});
