export { ACCOUNT_DIMENSIONS, accountOwner, sameAccountEntity } from './account-entity';
export type { AccountDimension, AccountEntity, AccountIds } from './account-entity';
export {
  DEFAULT_SETTLEMENT_BATCH_SIZE,
  MAX_SETTLEMENT_BATCH_SIZE,
  MIN_SETTLEMENT_BATCH_SIZE,
  effectiveBatchSize,
  isEligibleForSettlement,
  movementTotals,
  nextRemainingBalance,
  runningRemainingBalances,
  settlementCutoff,
  statementBalance,
} from './settlement.rules';
export type { DayActivity, MovementLike, SettlementCandidate } from './settlement.rules';
export { chainBreaks, chainedRemaining, hasStatementActivity, isChainBound } from './settlement-chain';
export type { ChainBreak, ChainLink } from './settlement-chain';
export {
  DEFAULT_SETTLEMENT_CONFIG,
  MAX_SETTLEMENT_AGE_DAYS,
  applySettlementConfigUpdate,
  validateSettlementConfigUpdate,
} from './settlement-config';
export type { SettlementConfig, SettlementConfigPatch } from './settlement-config';
export type {
  CarryForwardResult,
  SettleBatchResult,
  SettleEligibleCommand,
  SettlementConfigRepository,
  StatementRepository,
} from './settlement.ports';
export { settleStatements } from './settle-statements.use-case';
export type { SettleStatementsDeps, SettleStatementsOptions, SettlementSummary } from './settle-statements.use-case';
export { updateSettlementConfig } from './update-settlement-config.use-case';
