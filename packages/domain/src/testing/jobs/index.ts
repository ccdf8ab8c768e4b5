export { InMemoryJobLock } from './in-memory-job-lock';
export { InMemoryCronRunRepository } from './in-memory-cron-runs';
export { jobLockContract } from './job-lock.contract';
export type { JobLockContractHarness } from './job-lock.contract';
export { cronRunContract, readAllPages } from './cron-runs.contract';
export type { CronRunContractHarness } from './cron-runs.contract';
