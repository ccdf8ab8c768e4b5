export { DomainError, isDomainError, DOMAIN_ERROR_CODES } from './shared/domain-error';
export type { DomainErrorCode } from './shared/domain-error';
export type { Clock } from './shared/clock.port';
export { systemClock, fixedClock } from './shared/clock.port';
export type { Logger, LogEntry, LogLevel } from './shared/logger.port';
export { createLogger, memoryLogger } from './shared/logger.port';
export type { JobLock, HeldLock } from './shared/job-lock.port';
export type { ActiveOperations } from './shared/active-operations';
export { createActiveOperations } from './shared/active-operations';
export { Money, formatMoney } from './money/money';
export {
  CR_ZONE,
  toCRDateString,
  postgresDateToCRString,
  crDayRange,
  crLocalToInstant,
  addCRDays,
  previousCRMonth,
  crMonthOf,
  crMonthRange,
  addMonths,
  assertCRDate,
  assertMonth,
} from './time/cr-time';
export { parseCron, assertValidCron, nextCronRun } from './jobs/cron';
export type { CronRule } from './jobs/cron';
export { JOBS, JOB_NAMES, MAX_USER_ID_LENGTH, SYSTEM_USER, isJobName, assertJobName, assertUserId, jobActionPrefix } from './jobs/jobs';
export type { JobName } from './jobs/jobs';
export { ERROR_TYPES } from './jobs/job-run.ports';
export type {
  ClassifiedError,
  CronRunRecord,
  CronRunRepository,
  CronRunStatus,
  DatabaseWarmup,
  ErrorClassifier,
  ErrorType,
} from './jobs/job-run.ports';
export { executeJob } from './jobs/execute-job.use-case';
export type { JobRunDeps, JobRunRequest, JobRunResult } from './jobs/execute-job.use-case';

export * from './sorteos';
export * from './settlement';
export * from './closing';
export * from './cleanup';
export * from './allowance';
export * from './reconciliation';
