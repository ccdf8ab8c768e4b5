export { CLOSING_DIMENSIONS, computeMonthBalance } from './month-balance';
export type { ClosingDimension, ClosingTicket, MonthBalance, MonthBalanceInput } from './month-balance';
export type { CloseDimensionBatchCommand, CloseDimensionBatchResult, MonthlyClosingRepository } from './closing.ports';
export { DEFAULT_CLOSING_BATCH_SIZE, MAX_CLOSING_BATCH_SIZE, assertMonthEnded, closeMonth } from './monthly-closing.use-case';
export type {
  CloseMonthDeps,
  CloseMonthOptions,
  ClosingProgress,
  DimensionOutcome,
  MonthlyClosingSummary,
} from './monthly-closing.use-case';
