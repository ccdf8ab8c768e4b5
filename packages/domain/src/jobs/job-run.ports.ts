import type { Page } from '../kernel/page';

/** The audit of every job run (`cron_runs`, docs/architecture.md, Running the jobs). A run holding its lock is RUNNING until it ends. */
export const CRON_RUN_STATUSES = ['RUNNING', 'SUCCESS', 'FAILED', 'SKIPPED'] as const;
export type CronRunStatus = (typeof CRON_RUN_STATUSES)[number];
export type FinishedRunStatus = Exclude<CronRunStatus, 'RUNNING'>;

/** How a run began: by the scheduler's clock, or by a person (CLI, admin API, `runJob`). */
export const RUN_TRIGGERS = ['schedule', 'manual'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** What a run did, as JSON: the completion payload, the failure, or the reason it skipped. */
export type RunSummary = Readonly<Record<string, unknown>>;

export interface CronRunStart {
  jobName: string;
  trigger: RunTrigger;
  /** The user id of a manual run; `SYSTEM` for the scheduler. */
  triggeredBy: string;
  startedAt: Date;
}

export interface CronRunOutcome {
  status: FinishedRunStatus;
  processedCount: number;
  errorMessage: string | null;
  summary: RunSummary | null;
  finishedAt: Date;
}

/** A run as the history keeps it. Rows older than the history columns have `trigger`, `triggeredBy` and `summary` null. */
export interface CronRunRecord {
  /** Decimal digits: the row's key. */
  id: string;
  jobName: string;
  status: CronRunStatus;
  trigger: RunTrigger | null;
  triggeredBy: string | null;
  processedCount: number;
  errorMessage: string | null;
  summary: RunSummary | null;
  startedAt: Date;
  /** Null while RUNNING. */
  finishedAt: Date | null;
}

/** A page of the history, newest first (`startedAt`, then `id`, descending). `from` is inclusive, `to` exclusive, on `startedAt`. */
export interface CronRunQuery {
  jobName?: string;
  status?: CronRunStatus;
  trigger?: RunTrigger;
  from?: Date;
  to?: Date;
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** What a run that ended without finishing (its process stopped) is recorded as, once the next run of its job holds the lock. */
export const ABANDONED_RUN_MESSAGE = 'ABANDONED: the run ended without finishing (its process stopped before recording an outcome)';

/** The summary an abandoned run is closed with, shaped as a JOB_FAIL payload. */
export const abandonedRunSummary = (job: string): RunSummary => ({ job, errorType: 'UNKNOWN_ERROR', errorCode: 'JOB.ABANDONED', error: ABANDONED_RUN_MESSAGE });

export interface CronRunRepository {
  /**
   * Opens the RUNNING row of a run that holds its job lock and returns its id. Any other RUNNING row of
   * the same job belongs to a run that can no longer be running (the lock is held here), and is closed
   * FAILED with {@link ABANDONED_RUN_MESSAGE}.
   */
  start(run: CronRunStart): Promise<string>;
  /** Records the outcome of a started run (whatever the row says now: the run's own outcome wins). */
  finish(id: string, outcome: CronRunOutcome): Promise<void>;
  /** Records a run whole, start and outcome at once (a run skipped before it held the lock). Returns its id. */
  record(run: CronRunStart & CronRunOutcome): Promise<string>;
  /** The latest run of each job that has run, by job name. */
  latestByJob(): Promise<Record<string, CronRunRecord>>;
  /** When each job last succeeded, by job name (jobs that never did are absent). */
  lastSuccessByJob(): Promise<Record<string, Date>>;
  findById(id: string): Promise<CronRunRecord | null>;
  /** Throws VALIDATION.INVALID_INPUT for a cursor this list did not give out. */
  list(query: CronRunQuery): Promise<Page<CronRunRecord>>;
  /**
   * Deletes up to `batchSize` finished runs that started before `cutoff`, never the latest run of a job (the jobs list
   * keeps showing it), and returns how many went.
   */
  deleteFinishedBefore(cutoff: Date, batchSize: number): Promise<number>;
}

/** Makes sure the database answers before a run (`SELECT 1` with bounded retries and back-off in adapters). */
export interface DatabaseWarmup {
  warmUp(): Promise<void>;
}

/** The infrastructure error classes (docs/architecture.md, Running the jobs). */
export const ERROR_TYPES = ['DB_UNREACHABLE', 'POOLER_TIMEOUT', 'POOLER_WAIT_TIMEOUT', 'QUERY_TIMEOUT', 'UNKNOWN_ERROR'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export interface ClassifiedError {
  errorType: ErrorType;
  /** The driver's or the domain's code (`57014`, `ECONNREFUSED`, `TIME.INVALID_MONTH`), null when none. */
  errorCode: string | null;
  message: string;
}

/** Maps a thrown error to its class; adapters know their drivers' errors. */
export type ErrorClassifier = (error: unknown) => ClassifiedError;
