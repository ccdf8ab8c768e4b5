import type { CronRunRepository } from '../jobs/job-run.ports';
import type { Clock } from '../kernel/clock.port';
import { DomainError } from '../kernel/domain-error';
import { toCRZoned } from '../time/cr-time';
import type { ActivityLogBatch, ActivityLogRepository } from './activity-log.ports';

export const DEFAULT_ACTIVITY_LOG_RETENTION_DAYS = 45;
export const DEFAULT_CRON_RUN_RETENTION_DAYS = 90;
export const DEFAULT_ACTIVITY_LOG_CLEANUP_BATCH_SIZE = 20_000;
/** Bounds that keep a typo from emptying the log or from one delete locking a large table. */
export const MAX_ACTIVITY_LOG_RETENTION_DAYS = 36500;
export const MAX_ACTIVITY_LOG_CLEANUP_BATCH_SIZE = 50_000;

export interface CleanupActivityLogsDeps {
  activityLogs: ActivityLogRepository;
  /** The run history, whose old rows go with the same nightly run. */
  cronRuns?: Pick<CronRunRepository, 'deleteFinishedBefore'>;
  clock: Clock;
}

export interface CleanupActivityLogsOptions {
  retentionDays?: number;
  /** How long the run history keeps a run (`CRON_RUNS_RETENTION_DAYS`), 90 days by default. */
  cronRunRetentionDays?: number;
  batchSize?: number;
}

/** ACTIVITY_LOG_CLEANUP_COMPLETE carries deletedCount and retentionDays (docs/architecture.md, Running the jobs). */
export interface ActivityLogCleanupSummary {
  deletedCount: number;
  retentionDays: number;
  /** ISO instants, as in the other job summaries. */
  cutoff: string;
  executedAt: string;
  /** The run history's share of the night: finished runs older than their retention (the latest run of each job stays). */
  cronRuns?: { deletedCount: number; retentionDays: number; cutoff: string };
}

/**
 * Deletes activity logs older than the retention, batch after batch until the repository is done. The cutoff is the same CR local time `retentionDays` calendar days before now.
 * Throws CLEANUP.INVALID_RETENTION (not an integer from 1 to 36500) or VALIDATION.INVALID_INPUT (batch size).
 */
export async function cleanupActivityLogs(
  deps: CleanupActivityLogsDeps,
  options: CleanupActivityLogsOptions = {},
): Promise<ActivityLogCleanupSummary> {
  const retentionDays = options.retentionDays ?? DEFAULT_ACTIVITY_LOG_RETENTION_DAYS;
  const cronRunRetentionDays = options.cronRunRetentionDays ?? DEFAULT_CRON_RUN_RETENTION_DAYS;
  const batchSize = options.batchSize ?? DEFAULT_ACTIVITY_LOG_CLEANUP_BATCH_SIZE;
  assertRetention(retentionDays);
  assertRetention(cronRunRetentionDays);
  assertBatchSize(batchSize);
  const now = deps.clock.now();
  const cutoff = activityLogCutoff(now, retentionDays);

  const deletedCount = await deleteInBatches('activity log', (size) => deps.activityLogs.deleteOlderThan(cutoff, size), batchSize);
  const summary: ActivityLogCleanupSummary = { deletedCount, retentionDays, cutoff: cutoff.toISOString(), executedAt: now.toISOString() };
  if (deps.cronRuns) {
    const { cronRuns } = deps;
    const cronRunCutoff = activityLogCutoff(now, cronRunRetentionDays);
    const cronRunsDeleted = await deleteInBatches(
      'cron run',
      async (size) => {
        const deleted = await cronRuns.deleteFinishedBefore(cronRunCutoff, size);
        return { deleted, done: deleted < size };
      },
      batchSize,
    );
    summary.cronRuns = { deletedCount: cronRunsDeleted, retentionDays: cronRunRetentionDays, cutoff: cronRunCutoff.toISOString() };
  }
  return summary;
}

/** Deletes batch after batch until the repository says it is done. */
async function deleteInBatches(what: string, deleteBatch: (batchSize: number) => Promise<ActivityLogBatch>, batchSize: number): Promise<number> {
  let deletedCount = 0;
  for (;;) {
    const batch = await deleteBatch(batchSize);
    // A repository answering anything but a count and a verdict would otherwise loop forever.
    const deleted = (batch as Partial<ActivityLogBatch> | null)?.deleted;
    if (typeof deleted !== 'number' || !Number.isInteger(deleted) || deleted < 0 || deleted > batchSize || typeof batch.done !== 'boolean') {
      throw new Error(`${what} repository returned ${JSON.stringify(batch)} for a batch of ${batchSize}: expected { deleted: 0..${batchSize}, done: boolean }`);
    }
    deletedCount += deleted;
    if (batch.done) return deletedCount;
  }
}

/** The instant `retentionDays` CR calendar days before `now`; logs strictly older are deleted. */
export function activityLogCutoff(now: Date, retentionDays: number): Date {
  assertRetention(retentionDays);
  return new Date(toCRZoned(now).minusDays(retentionDays).toInstant().toEpochMilli());
}

function assertRetention(retentionDays: number): void {
  if (!Number.isSafeInteger(retentionDays) || retentionDays < 1 || retentionDays > MAX_ACTIVITY_LOG_RETENTION_DAYS) {
    throw new DomainError(
      'CLEANUP.INVALID_RETENTION',
      `invalid retention ${String(retentionDays)}: expected a whole number of days from 1 to ${MAX_ACTIVITY_LOG_RETENTION_DAYS}`,
      { value: String(retentionDays) },
    );
  }
}

function assertBatchSize(batchSize: number): void {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_ACTIVITY_LOG_CLEANUP_BATCH_SIZE) {
    throw new DomainError(
      'VALIDATION.INVALID_INPUT',
      `invalid cleanup batch size ${String(batchSize)}: expected an integer from 1 to ${MAX_ACTIVITY_LOG_CLEANUP_BATCH_SIZE}`,
      { field: 'batchSize', value: String(batchSize) },
    );
  }
}
