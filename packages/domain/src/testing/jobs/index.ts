export { InMemoryJobLock } from './in-memory-job-lock';
export { InMemoryCronRunRepository } from './in-memory-cron-runs';
export { jobLockContract } from './job-lock.contract';
export type { JobLockContractHarness } from './job-lock.contract';
