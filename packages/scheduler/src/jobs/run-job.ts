import { assertJobName, assertMonth, assertMonthEnded, assertUserId, DomainError, executeJob, fixedClock, type JobName, type JobRunResult } from '@banca/domain';
import { jobRequest, type JobRunOptions } from './job-catalog';
import type { JobPorts, JobSettings } from './job-ports';

export interface RunJobOptions {
  userId?: string | null;
  /** `YYYY-MM`, for monthly closing. */
  month?: string;
  /** The clock of this run (a backfill or a rehearsal); the system clock when absent. */
  now?: Date;
  trigger?: 'schedule' | 'manual';
  onProgress?: JobRunOptions['onProgress'];
}

/**
 * Runs one job now, as the scheduler would but on request: the typed entry point behind the CLI
 * and the admin endpoint. Bad input (job name, user, month, `now`) is refused before anything runs.
 */
export async function runJobWith(ports: JobPorts, settings: JobSettings, name: string, options: RunJobOptions = {}): Promise<JobRunResult<object>> {
  const job: JobName = assertJobName(name);
  if (options.userId !== undefined && options.userId !== null) assertUserId(options.userId);
  if (options.month !== undefined) {
    assertMonth(options.month);
    if (job !== 'monthly-closing') {
      throw new DomainError('JOB.INVALID_OPTIONS', `--month applies to monthly-closing only, not to ${job}`, { job, month: options.month });
    }
  }
  if (options.now !== undefined && (!(options.now instanceof Date) || Number.isNaN(options.now.getTime()))) {
    throw new DomainError('TIME.INVALID_INSTANT', `invalid instant for now: ${String(options.now)}`, { value: String(options.now) });
  }
  const clock = options.now ? fixedClock(options.now) : ports.clock;
  // A month still running in CR time is refused as bad input, before the run is recorded.
  if (options.month !== undefined) assertMonthEnded(options.month, clock.now());
  const trigger = options.trigger ?? 'manual';
  const request = jobRequest(job, ports, settings, clock, {
    trigger,
    ...(options.userId === undefined ? {} : { userId: options.userId }),
    ...(options.month === undefined ? {} : { month: options.month }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  // The audit keeps real start and finish times; only the use case runs at the requested instant.
  return executeJob({ ...ports, lock: ports.jobLock }, request);
}
