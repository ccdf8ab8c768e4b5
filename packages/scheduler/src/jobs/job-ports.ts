import type { PostgresRepositories } from '@banca/adapters-postgres';
import type { MissedRunsPolicy } from '@banca/domain';
import type { ActiveOperations, AllowanceQueue, Clock, JobLock, Logger } from '@banca/domain/ports';

/**
 * What running the jobs needs, whatever backends the composition root chose: every repository of
 * the database adapter (a repository added there is at a job's hand), and the process's clock,
 * logger, job lock, active operations and allowance queue.
 */
export type JobPorts = PostgresRepositories & {
  clock: Clock;
  logger: Logger;
  jobLock: JobLock;
  activeOperations: ActiveOperations;
  allowanceQueue: AllowanceQueue;
};

/** Job settings taken from the configuration. */
export interface JobSettings {
  activityLogRetentionDays: number;
  cronRunRetentionDays: number;
  allowance: { leaseMs: number; missedRuns: MissedRunsPolicy };
}
