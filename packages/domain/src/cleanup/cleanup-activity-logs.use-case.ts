import type { Clock } from '../shared/clock.port';
import { DomainError } from '../shared/domain-error';
import { toCRZoned } from '../time/cr-time';
import type { ActivityLogRepository } from './activity-log.ports';

export const DEFAULT_ACTIVITY_LOG_RETENTION_DAYS = 45;
export const DEFAULT_ACTIVITY_LOG_CLEANUP_BATCH_SIZE = 20_000;
/** Bounds that keep a typo from emptying the log or from one delete locking a large table. */
export const MAX_ACTIVITY_LOG_RETENTION_DAYS = 36500;
export const MAX_ACTIVITY_LOG_CLEANUP_BATCH_SIZE = 50_000;

export interface CleanupActivityLogsDeps {
  activityLogs: ActivityLogRepository;
  clock: Clock;
}

export interface CleanupActivityLogsOptions {
  retentionDays?: number;
  batchSize?: number;
}

/** ACTIVITY_LOG_CLEANUP_COMPLETE carries deletedCount and retentionDays (docs/architecture.md, Running the jobs). */
export interface ActivityLogCleanupSummary {
  deletedCount: number;
  retentionDays: number;
  /** ISO instants, as in the other job summaries. */
  cutoff: string;
  executedAt: string;
}

/**
 * Deletes activity logs older than the retention, batch after batch until a batch deletes fewer
 * rows than its limit. The cutoff is the same CR local time `retentionDays` calendar days before now.
 * Throws CLEANUP.INVALID_RETENTION (not an integer from 1 to 36500) or VALIDATION.INVALID_INPUT (batch size).
 */
export async function cleanupActivityLogs(
  deps: CleanupActivityLogsDeps,
  options: CleanupActivityLogsOptions = {},
): Promise<ActivityLogCleanupSummary> {
  const retentionDays = options.retentionDays ?? DEFAULT_ACTIVITY_LOG_RETENTION_DAYS;
  const batchSize = options.batchSize ?? DEFAULT_ACTIVITY_LOG_CLEANUP_BATCH_SIZE;
  assertRetention(retentionDays);
  assertBatchSize(batchSize);
  const now = deps.clock.now();
  const cutoff = activityLogCutoff(now, retentionDays);

  let deletedCount = 0;
  for (;;) {
    const deleted = await deps.activityLogs.deleteOlderThan(cutoff, batchSize);
    // A repository answering anything but a count would otherwise loop forever.
    if (!Number.isInteger(deleted) || deleted < 0 || deleted > batchSize) {
      throw new Error(`activity log repository returned ${String(deleted)} deleted rows for a batch of ${batchSize}`);
    }
    deletedCount += deleted;
    if (deleted < batchSize) break;
  }
  return { deletedCount, retentionDays, cutoff: cutoff.toISOString(), executedAt: now.toISOString() };
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
