import type { ActiveOperations } from '../kernel/active-operations';
import type { Clock } from '../kernel/clock.port';
import { DomainError, isDomainError } from '../kernel/domain-error';
import type { JobLock } from '../kernel/job-lock.port';
import type { Logger } from '../kernel/logger.port';
import type { ClassifiedError, CronRunOutcome, CronRunRepository, CronRunStart, DatabaseWarmup, ErrorClassifier, FinishedRunStatus, RunSummary, RunTrigger } from './job-run.ports';
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
  trigger: RunTrigger;
  /** The user of a manual run; `SYSTEM` for the scheduler. */
  triggeredBy: string;
  lockTtlMs: number;
  /** The use case, bound to its ports and options. */
  run: () => Promise<Summary>;
  /** What `cron_runs.processed_count` records for this summary. */
  processedCount: (summary: Summary) => number;
  /** A reason when the use case decided not to act (settlement disabled): the run is recorded SKIPPED. */
  skippedReason?: (summary: Summary) => string | null;
  /** Told the run's `cron_runs` id as soon as it has one (the run then goes on): a caller can answer at once and let it be followed. */
  onRecorded?: (runId: string) => void;
}

/** `runId` is the run's `cron_runs` id, null when the audit could not be written (the database was gone). */
export type JobRunResult<Summary> =
  | { status: 'SUCCESS'; job: JobName; runId: string | null; summary: Summary; startedAt: Date; finishedAt: Date }
  | { status: 'SKIPPED'; job: JobName; runId: string | null; reason: string; summary?: Summary }
  | { status: 'FAILED'; job: JobName; runId: string | null; error: ClassifiedError; startedAt: Date; finishedAt: Date };

/**
 * One run of a job as docs/architecture.md (Running the jobs) prescribes: warm up the database (else JOB_SKIP and a SKIPPED row),
 * take the job lock, open the run's RUNNING row, register as an active operation, run, record the outcome and the
 * summary in that row, and log the completion action with the summary, or JOB_FAIL with the error's class. A
 * scheduled run that finds the lock taken leaves no row: another instance is running that slot.
 */
export async function executeJob<Summary extends object>(deps: JobExecutionDeps, request: JobExecution<Summary>): Promise<JobRunResult<Summary>> {
  const { logger, clock } = deps;
  const job = request.name;
  const origin = { jobName: job, trigger: request.trigger, triggeredBy: request.triggeredBy };

  try {
    await deps.warmup.warmUp();
  } catch (error) {
    const reason = `database not ready: ${messageOf(error)}`;
    logger.warn('JOB_SKIP', { job, reason });
    const startedAt = clock.now();
    const runId = await recordWhole(deps, request.onRecorded, { ...origin, startedAt, status: 'SKIPPED', processedCount: 0, errorMessage: reason, summary: { reason }, finishedAt: startedAt });
    return { status: 'SKIPPED', job, runId, reason };
  }

  const held = await deps.lock.tryAcquire(job, request.lockTtlMs);
  if (!held) {
    if (request.trigger === 'manual') {
      throw new DomainError('JOB.ALREADY_RUNNING', `job ${job} is already running`, { job });
    }
    const reason = 'another run holds the job lock';
    logger.info('JOB_SKIP', { job, reason });
    return { status: 'SKIPPED', job, runId: null, reason };
  }

  try {
    return await deps.activeOperations.track(job, async () => {
      const startedAt = clock.now();
      const runId = await startRun(deps, { ...origin, startedAt });
      if (runId !== null) request.onRecorded?.(runId);
      return runLocked(deps, request, { ...origin, startedAt }, runId);
    });
  } finally {
    await held.release().catch((error: unknown) => logger.warn('JOB_LOCK_RELEASE_FAIL', { job, error: messageOf(error) }));
  }
}

async function runLocked<Summary extends object>(
  deps: JobExecutionDeps,
  request: JobExecution<Summary>,
  start: CronRunStart,
  runId: string | null,
): Promise<JobRunResult<Summary>> {
  const { logger, clock } = deps;
  const job = request.name;
  const { startedAt } = start;
  let summary: Summary;
  try {
    summary = await request.run();
  } catch (error) {
    const classified = classify(deps.classifyError, error);
    const finishedAt = clock.now();
    const failure = { job, errorType: classified.errorType, errorCode: classified.errorCode, error: classified.message };
    logger.error('JOB_FAIL', failure);
    const id = await finishRun(deps, request.onRecorded, start, runId, {
      status: 'FAILED',
      processedCount: 0,
      errorMessage: `${classified.errorType}: ${classified.message}`,
      summary: failure,
      finishedAt,
    });
    return { status: 'FAILED', job, runId: id, error: classified, startedAt, finishedAt };
  }

  const finishedAt = clock.now();
  const skippedReason = request.skippedReason?.(summary) ?? null;
  const status: FinishedRunStatus = skippedReason ? 'SKIPPED' : 'SUCCESS';
  if (skippedReason) logger.info('JOB_SKIP', { job, reason: skippedReason });
  else logger.info(JOBS[job].completeAction, summary as Record<string, unknown>);
  const id = await finishRun(deps, request.onRecorded, start, runId, {
    status,
    processedCount: request.processedCount(summary),
    errorMessage: skippedReason,
    summary: skippedReason ? { reason: skippedReason, ...summary } : (summary as RunSummary),
    finishedAt,
  });
  return skippedReason ? { status: 'SKIPPED', job, runId: id, reason: skippedReason, summary } : { status: 'SUCCESS', job, runId: id, summary, startedAt, finishedAt };
}

function classify(classifyError: ErrorClassifier, error: unknown): ClassifiedError {
  if (isDomainError(error)) return { errorType: 'UNKNOWN_ERROR', errorCode: error.code, message: error.message };
  return classifyError(error);
}

// The audit must not hide the run's own outcome: a failure to write it is logged, not thrown. A run whose
// RUNNING row could not be opened is recorded whole when it ends, so a blip at the start loses nothing.

async function startRun(deps: JobExecutionDeps, start: CronRunStart): Promise<string | null> {
  try {
    return await deps.cronRuns.start(start);
  } catch (error) {
    deps.logger.error('CRON_RUN_RECORD_FAIL', { job: start.jobName, status: 'RUNNING', error: messageOf(error) });
    return null;
  }
}

async function finishRun(deps: JobExecutionDeps, onRecorded: OnRecorded, start: CronRunStart, runId: string | null, outcome: CronRunOutcome): Promise<string | null> {
  if (runId === null) return recordWhole(deps, onRecorded, { ...start, ...outcome });
  try {
    await deps.cronRuns.finish(runId, outcome);
  } catch (error) {
    deps.logger.error('CRON_RUN_RECORD_FAIL', { job: start.jobName, runId, status: outcome.status, error: messageOf(error) });
  }
  return runId;
}

type OnRecorded = ((runId: string) => void) | undefined;

async function recordWhole(deps: JobExecutionDeps, onRecorded: OnRecorded, run: CronRunStart & CronRunOutcome): Promise<string | null> {
  try {
    const runId = await deps.cronRuns.record(run);
    onRecorded?.(runId);
    return runId;
  } catch (error) {
    deps.logger.error('CRON_RUN_RECORD_FAIL', { job: run.jobName, status: run.status, error: messageOf(error) });
    return null;
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
