import type { ActiveOperations } from '../shared/active-operations';
import type { Clock } from '../shared/clock.port';
import { DomainError, isDomainError } from '../shared/domain-error';
import type { JobLock } from '../shared/job-lock.port';
import type { Logger } from '../shared/logger.port';
import type { ClassifiedError, CronRunRepository, CronRunStatus, DatabaseWarmup, ErrorClassifier } from './job-run.ports';
import { JOBS, type JobName } from './jobs';

export interface JobExecutionDeps {
  clock: Clock;
  warmup: DatabaseWarmup;
  lock: JobLock;
  cronRuns: CronRunRepository;
  activeOperations: ActiveOperations;
  logger: Logger;
  classifyError: ErrorClassifier;
}

export interface JobExecution<Summary> {
  name: JobName;
  /** Scheduled runs skip quietly when another instance holds the lock; manual ones are refused (409). */
  trigger: 'schedule' | 'manual';
  lockTtlMs: number;
  /** The use case, bound to its ports and options. */
  run: () => Promise<Summary>;
  /** What `cron_runs.processed_count` records for this summary. */
  processedCount: (summary: Summary) => number;
  /** A reason when the use case decided not to act (settlement disabled): the run is recorded SKIPPED. */
  skippedReason?: (summary: Summary) => string | null;
}

export type JobRunResult<Summary> =
  | { status: 'SUCCESS'; job: JobName; summary: Summary; startedAt: Date; finishedAt: Date }
  | { status: 'SKIPPED'; job: JobName; reason: string; summary?: Summary }
  | { status: 'FAILED'; job: JobName; error: ClassifiedError; startedAt: Date; finishedAt: Date };

/**
 * One run of a job as docs/architecture.md (Running the jobs) prescribes: warm up the database (else JOB_SKIP and a SKIPPED row),
 * take the job lock, register as an active operation, run, record the run in `cron_runs`, and log
 * the completion action with the summary, or JOB_FAIL with the error's class.
 */
export async function executeJob<Summary extends object>(deps: JobExecutionDeps, request: JobExecution<Summary>): Promise<JobRunResult<Summary>> {
  const { logger, clock } = deps;
  const job = request.name;
  const startedAt = clock.now();

  try {
    await deps.warmup.warmUp();
  } catch (error) {
    const reason = `database not ready: ${messageOf(error)}`;
    logger.warn('JOB_SKIP', { job, reason });
    await recordRun(deps, { jobName: job, status: 'SKIPPED', processedCount: 0, errorMessage: reason, startedAt, finishedAt: clock.now() });
    return { status: 'SKIPPED', job, reason };
  }

  const held = await deps.lock.tryAcquire(job, request.lockTtlMs);
  if (!held) {
    if (request.trigger === 'manual') {
      throw new DomainError('JOB.ALREADY_RUNNING', `job ${job} is already running`, { job });
    }
    const reason = 'another run holds the job lock';
    logger.info('JOB_SKIP', { job, reason });
    return { status: 'SKIPPED', job, reason };
  }

  try {
    return await deps.activeOperations.track(job, () => runLocked(deps, request, startedAt));
  } finally {
    await held.release().catch((error: unknown) => logger.warn('JOB_LOCK_RELEASE_FAIL', { job, error: messageOf(error) }));
  }
}

async function runLocked<Summary extends object>(deps: JobExecutionDeps, request: JobExecution<Summary>, startedAt: Date): Promise<JobRunResult<Summary>> {
  const { logger, clock } = deps;
  const job = request.name;
  let summary: Summary;
  try {
    summary = await request.run();
  } catch (error) {
    const classified = classify(deps.classifyError, error);
    const finishedAt = clock.now();
    logger.error('JOB_FAIL', { job, errorType: classified.errorType, errorCode: classified.errorCode, error: classified.message });
    await recordRun(deps, { jobName: job, status: 'FAILED', processedCount: 0, errorMessage: `${classified.errorType}: ${classified.message}`, startedAt, finishedAt });
    return { status: 'FAILED', job, error: classified, startedAt, finishedAt };
  }

  const finishedAt = clock.now();
  const skippedReason = request.skippedReason?.(summary) ?? null;
  const status: CronRunStatus = skippedReason ? 'SKIPPED' : 'SUCCESS';
  if (skippedReason) logger.info('JOB_SKIP', { job, reason: skippedReason });
  else logger.info(JOBS[job].completeAction, summary as Record<string, unknown>);
  await recordRun(deps, { jobName: job, status, processedCount: request.processedCount(summary), errorMessage: skippedReason, startedAt, finishedAt });
  return skippedReason ? { status: 'SKIPPED', job, reason: skippedReason, summary } : { status: 'SUCCESS', job, summary, startedAt, finishedAt };
}

function classify(classifyError: ErrorClassifier, error: unknown): ClassifiedError {
  if (isDomainError(error)) return { errorType: 'UNKNOWN_ERROR', errorCode: error.code, message: error.message };
  return classifyError(error);
}

/** The audit must not hide the run's own outcome: a failure to record is logged, not thrown. */
async function recordRun(deps: JobExecutionDeps, run: Parameters<CronRunRepository['record']>[0]): Promise<void> {
  try {
    await deps.cronRuns.record(run);
  } catch (error) {
    deps.logger.error('CRON_RUN_RECORD_FAIL', { job: run.jobName, status: run.status, error: messageOf(error) });
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
