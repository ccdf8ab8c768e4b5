// @banca/domain/ports: what the adapters implement (repositories, the job lock, the allowance queue and
// transport, the clock and logger), and the use cases, functions of those ports, that the processes run.

// Time, logs, locks and work in flight
export { systemClock, fixedClock } from './kernel/clock.port';
export type { Clock } from './kernel/clock.port';
export { createLogger, memoryLogger } from './kernel/logger.port';
export type { Logger, LogEntry, LogLevel } from './kernel/logger.port';
export type { JobLock, HeldLock } from './kernel/job-lock.port';
export { createActiveOperations } from './kernel/active-operations';
export type { ActiveOperations } from './kernel/active-operations';

// Keyset-paged reads
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, assertPageLimit, decodeCursor, encodeCursor, pageOf } from './kernel/page';
export type { CursorField, CursorKey, Page } from './kernel/page';

// Running a job: warm-up, lock, audit, error classes
export { ABANDONED_RUN_MESSAGE, CRON_RUN_STATUSES, ERROR_TYPES, RUN_TRIGGERS, abandonedRunSummary } from './jobs/job-run.ports';
export type {
  ClassifiedError,
  CronRunOutcome,
  CronRunQuery,
  CronRunRecord,
  CronRunRepository,
  CronRunStart,
  CronRunStatus,
  DatabaseWarmup,
  ErrorClassifier,
  ErrorType,
  FinishedRunStatus,
  RunSummary,
  RunTrigger,
} from './jobs/job-run.ports';
export { executeJob } from './jobs/execute-job.use-case';
export type { JobExecution, JobExecutionDeps, JobRunResult } from './jobs/execute-job.use-case';

// Sorteos
export type { CreateManyResult, LoteriaForAutoCreate, LoteriaRepository, SorteoRepository } from './sorteos/sorteos.ports';
export { autoOpenSorteos } from './sorteos/auto-open.use-case';
export type { AutoOpenSummary } from './sorteos/auto-open.use-case';
export { autoCreateSorteos } from './sorteos/auto-create.use-case';
export type { AutoCreateDeps, AutoCreateSummary } from './sorteos/auto-create.use-case';
export { autoCloseSorteos } from './sorteos/auto-close.use-case';
export type { AutoCloseSummary } from './sorteos/auto-close.use-case';

// Settlement
export type { CarryForwardResult, SettleBatchResult, SettleEligibleCommand, SettlementConfigRepository, StatementRepository } from './settlement/settlement.ports';
export { settleStatements } from './settlement/settle-statements.use-case';
export type { SettleStatementsDeps, SettleStatementsOptions, SettlementSummary } from './settlement/settle-statements.use-case';
export { updateSettlementConfig } from './settlement/update-settlement-config.use-case';

// Monthly closing
export type { CloseDimensionBatchCommand, CloseDimensionBatchResult, MonthlyClosingRepository } from './closing/closing.ports';
export { DEFAULT_CLOSING_BATCH_SIZE, MAX_CLOSING_BATCH_SIZE, closeMonth } from './closing/monthly-closing.use-case';
export type { CloseMonthDeps, CloseMonthOptions, ClosingProgress, DimensionOutcome, MonthlyClosingSummary } from './closing/monthly-closing.use-case';

// Operators' reads of closings
export { CLOSING_SORTS, SORT_ORDERS } from './closing/closing-reads.ports';
export type { ClosingEntry, ClosingListing, ClosingPosition, ClosingReadRepository, ClosingSort, ClosingTotals, SortOrder } from './closing/closing-reads.ports';
export { CLOSING_EXPORT_BATCH_SIZE, exportClosings, listClosings, positionOfEntry, toClosingView } from './closing/read-closings.use-case';
export type { ClosingListingOptions, ClosingPage, ClosingView, ListClosingsOptions } from './closing/read-closings.use-case';

// Operators' reads of the statement chain
export type { StatementChainEntry, StatementChainQuery, StatementChainReadRepository } from './settlement/statement-chain-reads.ports';
export { MAX_STATEMENT_RANGE_DAYS, readStatementChain, toStatementChainLinkView } from './settlement/read-statement-chain.use-case';
export type { ReadStatementChainOptions, StatementChainLinkView, StatementChainPage, StatementChainStatus } from './settlement/read-statement-chain.use-case';

// Reconciliation
export type { ReconciliationFindings, ReconciliationQuery, ReconciliationRepository } from './reconciliation/reconciliation.ports';
export { DEFAULT_RECONCILIATION_LIMIT, MAX_RECONCILIATION_LIMIT, reconcileMonth } from './reconciliation/reconcile-month.use-case';
export type { ReconcileMonthOptions, ReconciliationReport } from './reconciliation/reconcile-month.use-case';

// Activity logs
export type { ActivityLogBatch, ActivityLogRepository } from './cleanup/activity-log.ports';
export { DEFAULT_ACTIVITY_LOG_CLEANUP_BATCH_SIZE, MAX_ACTIVITY_LOG_CLEANUP_BATCH_SIZE, cleanupActivityLogs } from './cleanup/cleanup-activity-logs.use-case';
export type { ActivityLogCleanupSummary, CleanupActivityLogsDeps, CleanupActivityLogsOptions } from './cleanup/cleanup-activity-logs.use-case';

// Allowances
export type {
  AllowanceCredit,
  AllowanceCreditQuery,
  AllowanceCreditRequest,
  AllowanceCreditResult,
  AllowanceLedger,
  AllowanceQueue,
  AllowanceRunFailure,
  AllowanceScheduleChanges,
  AllowanceScheduleQuery,
  AllowanceScheduleRepository,
  ClaimDueRunsQuery,
  DueRunsCursor,
  NewAllowanceSchedule,
} from './allowance/allowance.ports';
export type {
  AllowanceDelivery,
  AllowanceQueueDepths,
  AllowanceTransport,
  DeadLetterHandler,
  DeadLetterMessage,
  DeliveryDisposition,
  DeliveryHandler,
} from './allowance/allowance-transport.port';
export { createAllowanceSchedule, deleteAllowanceSchedule, getAllowanceSchedule, listAllowanceSchedules, updateAllowanceSchedule } from './allowance/manage-allowance-schedules.use-case';
export type { GuardianScheduleRef } from './allowance/manage-allowance-schedules.use-case';
export { publishDueAllowanceRuns } from './allowance/publish-due-allowance-runs.use-case';
export type { PublishDueAllowanceRunsOptions, PublishDueAllowanceRunsSummary } from './allowance/publish-due-allowance-runs.use-case';
export { creditAllowanceRun, recordAllowanceRunFailure } from './allowance/credit-allowance-run.use-case';
export type { CreditAllowanceRunDeps, CreditAllowanceRunOutcome, RecordAllowanceRunFailureOutcome } from './allowance/credit-allowance-run.use-case';
export { findAllowanceSchedules, listAllowanceCredits, listGuardianAllowanceCredits } from './allowance/read-allowances.use-case';
export type { PageRequest } from './allowance/read-allowances.use-case';
export { handleAllowanceDeliveries, WORKER_ERROR_CODE } from './allowance/handle-allowance-delivery.use-case';
export type { AllowanceWorkerDeps } from './allowance/handle-allowance-delivery.use-case';

// Allowance dead letters
export type { DeadLetterListPosition, DeadLetterListQuery, DeadLetterReplayClaim, DeadLetterStore } from './allowance/dead-letter.ports';
export { recordDeadLetter } from './allowance/record-dead-letter.use-case';
export type { RecordDeadLetterDeps } from './allowance/record-dead-letter.use-case';
export { DEAD_LETTER_LIST_STATUSES, getDeadLetter, listDeadLetters } from './allowance/list-dead-letters.use-case';
export type { DeadLetterListStatus, ListDeadLettersOptions } from './allowance/list-dead-letters.use-case';
export { replayDeadLetters } from './allowance/replay-dead-letters.use-case';
export type { DeadLetterNotReplayedReason, DeadLetterReplayResult, ReplayDeadLettersDeps } from './allowance/replay-dead-letters.use-case';
export { purgeDeadLetters } from './allowance/purge-dead-letters.use-case';
export type { DeadLetterNotPurgedReason, DeadLetterPurgeResult } from './allowance/purge-dead-letters.use-case';
