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
  assertCRDate,
  assertMonth,
} from './time/cr-time';
export { parseCron, assertValidCron, nextCronRun } from './jobs/cron';
export type { CronRule } from './jobs/cron';
