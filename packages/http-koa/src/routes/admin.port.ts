import type { JobName, SettlementConfig } from '@banca/domain';
import type { AllowanceQueueDepths, CronRunRecord, FinishedRunStatus } from '@banca/domain/ports';

export type AdminRunStatus = FinishedRunStatus;

/** One job of the jobs table (docs/architecture.md, Time) as the scheduler runs it: its rule (settlement's from its config), next and last run. */
export interface AdminJobView {
  name: JobName;
  /** UTC cron rule. */
  cron: string;
  crTime: string;
  description: string;
  /** ISO instant; null when the job is not scheduled in this process. */
  nextRun: string | null;
  /** The latest `cron_runs` row of the job (RUNNING while one is in progress). */
  lastRun: CronRunRecord | null;
}

/** The outcome of a manual run. A FAILED run is a run that happened: its `error` says why it failed. */
export interface AdminJobRunResult {
  status: AdminRunStatus;
  job: string;
  /** The run's `cron_runs` id; null when the audit could not be written. */
  runId: string | null;
  summary?: object;
  reason?: string;
  error?: { errorType: string; errorCode: string | null; message: string };
}

/** A run started and recorded, still going: follow it at `GET /admin/runs/:runId`. */
export interface AdminAcceptedRun {
  accepted: true;
  job: string;
  runId: string;
  status: CronRunRecord['status'];
}

/**
 * What the admin API (docs/architecture.md, HTTP) needs from the running service; the composition root implements
 * it over the job runner, the settlement config repository and the allowance queues. Refusals are
 * domain errors, which the HTTP layer maps to their statuses.
 */
export interface AdminOperations {
  listJobs(): Promise<AdminJobView[]>;
  /**
   * Runs a job now on behalf of `userId`. Throws JOB.UNKNOWN, TIME.INVALID_MONTH, JOB.INVALID_OPTIONS
   * (a month for a job other than monthly-closing) and JOB.ALREADY_RUNNING (another run holds the lock).
   * With `wait: false` it answers as soon as the run is recorded (`{ accepted }`), and the run goes on.
   */
  triggerJob(name: string, options: { month?: string; userId: string; wait: boolean }): Promise<AdminJobRunResult | AdminAcceptedRun>;
  getSettlementConfig(): Promise<SettlementConfig>;
  /** Validates and saves; throws SCHEDULE.INVALID_CRON or SETTLEMENT.INVALID_CONFIG and saves nothing. */
  updateSettlementConfig(patch: unknown, userId: string): Promise<SettlementConfig>;
  allowanceQueueDepths(): Promise<AllowanceQueueDepths>;
  /** Replays up to `limit` open dead letters, oldest first, on behalf of `userId` (a replay of all, bounded). */
  replayAllowanceDlq(options: { limit: number; userId: string }): Promise<{ replayed: number }>;
}
