import type { JobName } from '@banca/domain';
import type { Clock } from '@banca/domain/ports';
import type { JobPorts, JobSettings } from './job-ports';

/** What a run of a job is given: the ports of the configured backends, the run's clock and options. */
export interface JobContext {
  ports: JobPorts;
  settings: JobSettings;
  /** The run's clock: the system's, or a `--now` backfill's. */
  clock: Clock;
  options: RunJobOptions;
}

/** How a job is run, by the scheduler or by hand. */
export interface RunJobOptions {
  /** `schedule` runs honour switches like settlement's `enabled`; a manual run (the default by hand) does not. */
  trigger?: 'schedule' | 'manual';
  /** Who asked for a manual run; recorded as settled_by / closed_by. */
  userId?: string | null;
  /** `YYYY-MM`, for monthly-closing only; the previous CR month when absent. */
  month?: string;
  /** The clock of this run (a backfill or a rehearsal); the system clock when absent. */
  now?: Date;
  /** Told the run's `cron_runs` id as soon as it has one, while the run goes on (an admin trigger that answers at once). */
  onRecorded?: (runId: string) => void;
  /** Reports progress of long runs (closing), for a progress bar. */
  onProgress?: (progress: { done: number; total?: number; label: string }) => void;
}

/**
 * One job: its name (a row of the domain's JOBS table), how long its lock lives, how it runs over the
 * ports it needs, and what `cron_runs` records of its summary. A file of `definitions/` holds each.
 */
export interface JobDefinition<Summary extends object = object> {
  name: JobName;
  lockTtlMs: number;
  run(context: JobContext): Promise<Summary>;
  /** What `cron_runs.processed_count` records. */
  processedCount(summary: Summary): number;
  /** A reason when the job decided not to act (settlement disabled): the run is recorded SKIPPED. */
  skippedReason?(summary: Summary): string | null;
}

/** Types a definition by its own summary; the runner only needs summaries as objects. */
export const defineJob = <Summary extends object>(definition: JobDefinition<Summary>): JobDefinition =>
  definition as unknown as JobDefinition;

export const MINUTE = 60_000;
