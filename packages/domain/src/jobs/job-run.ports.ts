/** The audit of every job run (`cron_runs`, docs/architecture.md, Running the jobs). */
export type CronRunStatus = 'SUCCESS' | 'FAILED' | 'SKIPPED';

export interface CronRunRecord {
  jobName: string;
  status: CronRunStatus;
  processedCount: number;
  errorMessage: string | null;
  startedAt: Date;
  finishedAt: Date;
}

export interface CronRunRepository {
  record(run: CronRunRecord): Promise<void>;
  /** The latest run of each job that has run, by job name. */
  latestByJob(): Promise<Record<string, CronRunRecord>>;
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
