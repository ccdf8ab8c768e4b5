import type { Clock } from '../kernel/clock.port';
import { DomainError } from '../kernel/domain-error';
import type { Logger } from '../kernel/logger.port';
import { type AllowanceRunMessage, allowanceRunMessage } from './allowance-message';
import { dueRunsUpTo, type MissedRunsPolicy } from './allowance-occurrences';
import type { AllowanceQueue, AllowanceScheduleRepository, DueRunsCursor } from './allowance.ports';

export interface PublishDueAllowanceRunsOptions {
  /** Schedules per page; default 500. */
  batchSize?: number;
  /**
   * How long a published schedule is not published again. Keep it longer than the worker's whole
   * retry span (ALLOWANCE_MAX_RETRIES × ALLOWANCE_RETRY_DELAY_MS): a lease that expires first only
   * costs a duplicate message, which the unique (schedule, runAt) credit turns into a no-op.
   */
  leaseMs: number;
  /** ALLOWANCE_MISSED_RUNS; default 'all'. */
  missedRuns?: MissedRunsPolicy;
  /** Cap on runs published per schedule per page under 'all'; the rest follow once it catches up. Default 100. */
  maxRunsPerSchedule?: number;
}

export interface PublishDueAllowanceRunsSummary {
  publishedCount: number;
  schedulesCount: number;
  pagesCount: number;
  errorsCount: number;
  missedRuns: MissedRunsPolicy;
  /** ISO instant of the run's clock. */
  executedAt: string;
}

/**
 * The `allowance.enqueue` job: claims due schedules page by page on a (next_run_at, id) cursor and
 * publishes one message per due run. It never moves money. The lease of each schedule then covers
 * every run published, so the runs still in flight are not published again when one of them is
 * credited. A schedule whose runs cannot be computed counts in errorsCount and the others proceed.
 * The next page is claimed while the broker confirms the previous one. A broker failure gives the
 * leases of the pages in flight back (the next run publishes those runs again at once) and is thrown:
 * the job run is FAILED. The job runner logs the summary as ALLOWANCE_ENQUEUE_COMPLETE.
 */
export async function publishDueAllowanceRuns(
  deps: {
    schedules: Pick<AllowanceScheduleRepository, 'claimDueRuns' | 'markPublished' | 'releaseLeases'>;
    queue: AllowanceQueue;
    clock: Clock;
    logger: Logger;
  },
  options: PublishDueAllowanceRunsOptions,
): Promise<PublishDueAllowanceRunsSummary> {
  const { batchSize = 500, leaseMs, missedRuns = 'all', maxRunsPerSchedule = 100 } = options;
  assertPositiveInteger('batchSize', batchSize);
  assertPositiveInteger('leaseMs', leaseMs);
  assertPositiveInteger('maxRunsPerSchedule', maxRunsPerSchedule);
  const executedAt = deps.clock.now();
  const leaseUntil = new Date(executedAt.getTime() + leaseMs);
  const summary: PublishDueAllowanceRunsSummary = {
    publishedCount: 0,
    schedulesCount: 0,
    pagesCount: 0,
    errorsCount: 0,
    missedRuns,
    executedAt: executedAt.toISOString(),
  };
  let after: DueRunsCursor | null = null;
  // At most two pages are in flight: the next page is claimed and sent while the broker confirms
  // the previous one; once confirmed, schedules that got more than their first run are marked.
  const inFlight: Array<Promise<void>> = [];
  try {
    for (;;) {
      const page = await deps.schedules.claimDueRuns({ now: executedAt, after, limit: batchSize, leaseUntil });
      if (page.length === 0) break;
      summary.pagesCount += 1;
      summary.schedulesCount += page.length;
      const messages: AllowanceRunMessage[] = [];
      const leased: string[] = [];
      // The claim's lease covers each schedule's first due run; only the others need marking.
      const extended: Array<{ id: string; publishedThrough: Date }> = [];
      for (const schedule of page) {
        try {
          const runs = dueRunsUpTo(schedule.anchorAt, schedule.frequency, schedule.nextRunAt, executedAt, missedRuns, maxRunsPerSchedule);
          if (runs.length === 0) throw new DomainError('ALLOWANCE.INVALID_SCHEDULE', 'next_run_at is due but no occurrence is', { nextRunAt: schedule.nextRunAt.toISOString() });
          for (const runAt of runs) messages.push(allowanceRunMessage(schedule.id, runAt, schedule));
          const publishedThrough = runs[runs.length - 1]!;
          leased.push(schedule.id);
          if (publishedThrough.getTime() !== schedule.nextRunAt.getTime()) extended.push({ id: schedule.id, publishedThrough });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          summary.errorsCount += 1;
          deps.logger.warn('ALLOWANCE_ENQUEUE_SCHEDULE_ERROR', { scheduleId: schedule.id, errorCode: error.code, error: error.message });
        }
      }
      const publishing = publishPage(deps, messages, leaseUntil, leased, extended).then(() => {
        summary.publishedCount += messages.length;
      });
      // Awaited below; until then a failure must not count as unhandled.
      publishing.catch(() => undefined);
      inFlight.push(publishing);
      if (inFlight.length > 1) await inFlight.shift();
      const last = page[page.length - 1]!;
      after = { nextRunAt: last.nextRunAt, id: last.id };
      if (page.length < batchSize) break;
    }
    while (inFlight.length > 0) await inFlight.shift();
  } catch (error) {
    // A page still in flight gives its leases back or marks them before the run ends.
    await Promise.allSettled(inFlight);
    throw error;
  }
  return summary;
}

async function publishPage(
  deps: { schedules: Pick<AllowanceScheduleRepository, 'markPublished' | 'releaseLeases'>; queue: AllowanceQueue; logger: Logger },
  messages: readonly AllowanceRunMessage[],
  leaseUntil: Date,
  leased: readonly string[],
  extended: ReadonlyArray<{ id: string; publishedThrough: Date }>,
): Promise<void> {
  if (messages.length > 0) await publishOrGiveBack(deps, messages, leaseUntil, leased);
  if (extended.length > 0) await deps.schedules.markPublished(leaseUntil, extended);
}

/** Publishes a page; when the broker fails, the page's leases are given back before the failure is thrown. */
async function publishOrGiveBack(
  deps: { schedules: Pick<AllowanceScheduleRepository, 'releaseLeases'>; queue: AllowanceQueue; logger: Logger },
  messages: readonly AllowanceRunMessage[],
  leaseUntil: Date,
  ids: readonly string[],
): Promise<void> {
  try {
    await deps.queue.publish(messages);
  } catch (error) {
    try {
      const released = await deps.schedules.releaseLeases(leaseUntil, ids);
      deps.logger.warn('ALLOWANCE_LEASES_RELEASED', { released, reason: error instanceof Error ? error.message : String(error) });
    } catch (releaseError) {
      // The leases then expire on their own; the publish failure is what the run reports.
      deps.logger.error('ALLOWANCE_LEASE_RELEASE_FAIL', { error: releaseError instanceof Error ? releaseError.message : String(releaseError) });
    }
    throw error;
  }
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new DomainError('VALIDATION.INVALID_INPUT', `${name} must be a positive integer`, { field: name, value });
  }
}
