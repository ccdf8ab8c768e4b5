export {
  ALLOWANCE_FREQUENCIES,
  ALLOWANCE_STATUSES,
  type AllowanceFrequency,
  type AllowanceStatus,
  type MissedRunsPolicy,
  allowanceOccurrence,
  dueRunsUpTo,
  firstOccurrenceAtOrAfter,
  isAllowanceFrequency,
  isAllowanceOccurrence,
  isAllowanceStatus,
  nextAllowanceRun,
} from './allowance-occurrences';
export {
  type AllowanceSchedule,
  type AllowanceScheduleView,
  type CreateAllowanceInput,
  type UpdateAllowanceInput,
  parseAllowanceAmount,
  parseCreateAllowanceInput,
  parseUpdateAllowanceInput,
  toAllowanceScheduleView,
} from './allowance-schedule';
export {
  type AllowanceRunMessage,
  type ParsedAllowanceMessage,
  allowanceMessageId,
  allowanceRunMessage,
  isAllowanceId,
  parseAllowanceMessage,
} from './allowance-message';
export type {
  AllowanceCreditRequest,
  AllowanceCreditResult,
  AllowanceLedger,
  AllowanceQueue,
  AllowanceRunFailure,
  AllowanceScheduleChanges,
  AllowanceScheduleRepository,
  ClaimDueRunsQuery,
  DueRunsCursor,
  JuniorDirectory,
  NewAllowanceSchedule,
} from './allowance.ports';
export {
  type GuardianScheduleRef,
  createAllowanceSchedule,
  deleteAllowanceSchedule,
  getAllowanceSchedule,
  listAllowanceSchedules,
  updateAllowanceSchedule,
} from './manage-allowance-schedules.use-case';
export {
  type PublishDueAllowanceRunsOptions,
  type PublishDueAllowanceRunsSummary,
  publishDueAllowanceRuns,
} from './publish-due-allowance-runs.use-case';
export {
  type CreditAllowanceRunDeps,
  type CreditAllowanceRunOutcome,
  type RecordAllowanceRunFailureOutcome,
  creditAllowanceRun,
  recordAllowanceRunFailure,
} from './credit-allowance-run.use-case';
export { parseIsoInstant } from './iso-instant';
export type { AllowanceDelivery, AllowanceQueueDepths, AllowanceTransport, DeliveryDisposition, DeliveryHandler } from './allowance-transport.port';
export { handleAllowanceDeliveries } from './handle-allowance-delivery.use-case';
export type { AllowanceWorkerDeps } from './handle-allowance-delivery.use-case';
