// The product surface of @banca/domain, for every banca service: Costa Rica time, exact money, the
// rules of sorteos, settlement, closing and allowances, and the errors they throw. Plain values at
// the boundary (`Date`, `YYYY-MM-DD` strings, decimal strings); js-joda stays inside. What the
// adapters implement and the use cases that run over them are in `@banca/domain/ports`; in-memory
// references and contract suites in `@banca/domain/testing`.

// Errors
export { DomainError, isDomainError, DOMAIN_ERROR_CODES } from './kernel/domain-error';
export type { DomainErrorCode } from './kernel/domain-error';

// Money
export { Money, formatMoney } from './money/money';

// Costa Rica time
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
export { parseIsoInstant } from './allowance/iso-instant';

// The jobs and their schedules
export { JOBS, JOB_NAMES, MAX_USER_ID_LENGTH, SYSTEM_USER, isJobName, assertJobName, assertUserId, jobActionPrefix } from './jobs/jobs';
export type { JobName } from './jobs/jobs';
export { parseCron, assertValidCron, nextCronRun, previousCronRun } from './jobs/cron';
export type { CronRule } from './jobs/cron';

// Sorteos
export { DRAW_FREQUENCIES, parseDrawSchedules } from './sorteos/draw-schedule-rules';
export type { DrawFrequency, DrawSchedule, LoteriaRules } from './sorteos/draw-schedule-rules';
export { autoCreateWindow, expandDrawSchedule } from './sorteos/draw-schedule';
export type { DrawOccurrence, TimeWindow } from './sorteos/draw-schedule';
export { SORTEO_STATUSES, TICKET_STATUSES_NOT_SOLD, assertTransition, canTransition, isSoldTicketStatus, isSorteoStatus } from './sorteos/sorteo-lifecycle';
export type { SorteoStatus } from './sorteos/sorteo-lifecycle';

// Accounts and settlement
export { ACCOUNT_DIMENSIONS, accountOwner, sameAccountEntity } from './settlement/account-entity';
export type { AccountDimension, AccountEntity, AccountIds } from './settlement/account-entity';
export {
  DEFAULT_SETTLEMENT_BATCH_SIZE,
  MAX_SETTLEMENT_BATCH_SIZE,
  MIN_SETTLEMENT_BATCH_SIZE,
  SETTLEMENT_PENDING_COUNT_LIMIT,
  assertEligibleCountLimit,
  effectiveBatchSize,
  isEligibleForSettlement,
  movementTotals,
  nextRemainingBalance,
  runningRemainingBalances,
  settlementCutoff,
  statementBalance,
} from './settlement/settlement.rules';
export type { DayActivity, MovementLike, SettlementCandidate } from './settlement/settlement.rules';
export { chainBreaks, chainedRemaining, hasStatementActivity, isChainBound } from './settlement/settlement-chain';
export type { ChainBreak, ChainLink } from './settlement/settlement-chain';
export {
  DEFAULT_SETTLEMENT_CONFIG,
  MAX_SETTLEMENT_AGE_DAYS,
  applySettlementConfigUpdate,
  validateSettlementConfigUpdate,
} from './settlement/settlement-config';
export type { SettlementConfig, SettlementConfigPatch } from './settlement/settlement-config';

// Monthly closing and reconciliation
export { CLOSING_DIMENSIONS, computeMonthBalance } from './closing/month-balance';
export type { ClosingDimension, ClosingTicket, MonthBalance, MonthBalanceInput } from './closing/month-balance';
export { assertMonthEnded } from './closing/monthly-closing.use-case';
export { CLOSING_TOTAL_FIELDS, DISCREPANCY_KINDS } from './reconciliation/reconciliation.ports';
export type { ClosingTotalField, Discrepancy, DiscrepancyKind } from './reconciliation/reconciliation.ports';

// Activity logs
export { DEFAULT_ACTIVITY_LOG_RETENTION_DAYS, MAX_ACTIVITY_LOG_RETENTION_DAYS, activityLogCutoff } from './cleanup/cleanup-activity-logs.use-case';

// Allowances
export {
  ALLOWANCE_FREQUENCIES,
  ALLOWANCE_STATUSES,
  allowanceOccurrence,
  dueRunsUpTo,
  firstOccurrenceAtOrAfter,
  isAllowanceFrequency,
  isAllowanceOccurrence,
  isAllowanceStatus,
  nextAllowanceRun,
} from './allowance/allowance-occurrences';
export type { AllowanceFrequency, AllowanceStatus, MissedRunsPolicy } from './allowance/allowance-occurrences';
export {
  parseAllowanceAmount,
  parseCreateAllowanceInput,
  parseUpdateAllowanceInput,
  toAdminAllowanceScheduleView,
  toAllowanceCreditView,
  toAllowanceScheduleView,
} from './allowance/allowance-schedule';
export type {
  AdminAllowanceScheduleView,
  AllowanceCreditView,
  AllowanceSchedule,
  AllowanceScheduleRecord,
  AllowanceScheduleView,
  CreateAllowanceInput,
  UpdateAllowanceInput,
} from './allowance/allowance-schedule';
export { allowanceMessageBody, allowanceMessageId, allowanceRunMessage, isAllowanceId, parseAllowanceMessage } from './allowance/allowance-message';
export type { AllowanceRunMessage, AllowanceRunTerms, ParsedAllowanceMessage, ParsedAllowanceRunTerms } from './allowance/allowance-message';
export { traceContextOf } from './allowance/trace-context';
export type { TraceContext } from './allowance/trace-context';
export {
  DEAD_LETTER_STATUSES,
  MAX_DEAD_LETTER_BODY_CHARS,
  MAX_DEAD_LETTER_IDS,
  MAX_DEAD_LETTER_REASON_CHARS,
  MAX_PURGE_REASON_CHARS,
  STALE_REPLAY_CLAIM_MS,
  deadLetterOf,
  isDeadLetterId,
  isDeadLetterReasonCode,
} from './allowance/dead-letter';
export type { DeadLetter, DeadLetterStatus, NewDeadLetter } from './allowance/dead-letter';
export { deadLetterIdsOf, purgeRequestOf, replayTargetOf } from './allowance/dead-letter-request';
export type { DeadLetterReplayTarget } from './allowance/dead-letter-request';
