import {
  autoCloseSorteos,
  autoCreateSorteos,
  autoOpenSorteos,
  cleanupActivityLogs,
  closeMonth,
  publishDueAllowanceRuns,
  settleStatements,
  type ActivityLogCleanupSummary,
  type AutoCloseSummary,
  type AutoCreateSummary,
  type AutoOpenSummary,
  type Clock,
  type JobName,
  type JobRunRequest,
  type MonthlyClosingSummary,
  type PublishDueAllowanceRunsSummary,
  type SettlementSummary,
} from '@banca/domain';
import type { JobPorts, JobSettings } from './job-ports';

export interface JobRunOptions {
  trigger: 'schedule' | 'manual';
  /** Who asked for a manual run; recorded as settled_by / closed_by. */
  userId?: string | null;
  /** `YYYY-MM` for monthly closing; the previous CR month when absent. */
  month?: string;
  /** Reports progress of long runs (closing), for a progress bar. */
  onProgress?: (progress: { done: number; total?: number; label: string }) => void;
}

const MINUTE = 60_000;

/** How long each job's lock lives; the allowance producer's stays under its 5-minute interval. */
export const LOCK_TTL_MS: Record<JobName, number> = {
  'sorteos.auto-open': 10 * MINUTE,
  'sorteos.auto-create': 10 * MINUTE,
  'sorteos.auto-close': 10 * MINUTE,
  settlement: 30 * MINUTE,
  'monthly-closing': 120 * MINUTE,
  'activity-log.cleanup': 60 * MINUTE,
  'allowance.enqueue': 4 * MINUTE,
};

/**
 * The use case behind each job name, bound to its ports and options, with what `cron_runs`
 * records as its processed count. `clock` is the run's clock (a `--now` backfill fixes it).
 */
export function jobRequest(name: JobName, ports: JobPorts, settings: JobSettings, clock: Clock, options: JobRunOptions): JobRunRequest<object> {
  const base = { name, trigger: options.trigger, lockTtlMs: LOCK_TTL_MS[name] };
  const userId = options.userId ?? null;
  switch (name) {
    case 'sorteos.auto-open':
      return typed<AutoOpenSummary>({ ...base, run: () => autoOpenSorteos({ sorteos: ports.sorteos, clock }), processedCount: (s) => s.openedCount });
    case 'sorteos.auto-create':
      return typed<AutoCreateSummary>({
        ...base,
        run: () => autoCreateSorteos({ loterias: ports.loterias, sorteos: ports.sorteos, clock, logger: ports.logger }),
        processedCount: (s) => s.createdCount,
      });
    case 'sorteos.auto-close':
      return typed<AutoCloseSummary>({ ...base, run: () => autoCloseSorteos({ sorteos: ports.sorteos, clock }), processedCount: (s) => s.closedCount });
    case 'settlement':
      return typed<SettlementSummary>({
        ...base,
        run: () =>
          settleStatements({ config: ports.settlementConfig, statements: ports.statements, clock, logger: ports.logger }, { trigger: options.trigger, userId }),
        processedCount: (s) => s.settledCount + s.carryForward.createdCount,
        skippedReason: (s) => (s.disabled ? 'settlement is disabled in its configuration' : null),
      });
    case 'monthly-closing':
      return typed<MonthlyClosingSummary>({
        ...base,
        run: () =>
          closeMonth(
            { closing: ports.closing, clock },
            {
              ...(options.month === undefined ? {} : { month: options.month }),
              userId,
              onProgress: (p) => options.onProgress?.({ done: p.success + p.errors, label: `${p.month} ${p.dimension}` }),
            },
          ),
        processedCount: (s) => s.totalSuccess,
      });
    case 'activity-log.cleanup':
      return typed<ActivityLogCleanupSummary>({
        ...base,
        run: () => cleanupActivityLogs({ activityLogs: ports.activityLogs, clock }, { retentionDays: settings.activityLogRetentionDays }),
        processedCount: (s) => s.deletedCount,
      });
    case 'allowance.enqueue':
      return typed<PublishDueAllowanceRunsSummary>({
        ...base,
        run: () =>
          publishDueAllowanceRuns(
            { schedules: ports.allowanceSchedules, queue: ports.allowanceQueue, clock, logger: ports.logger },
            { leaseMs: settings.allowance.leaseMs, missedRuns: settings.allowance.missedRuns },
          ),
        processedCount: (s) => s.publishedCount,
      });
  }
}

/** Each request is typed by its own summary; the runner only needs them as objects. */
const typed = <Summary extends object>(request: JobRunRequest<Summary>): JobRunRequest<object> => request as unknown as JobRunRequest<object>;
