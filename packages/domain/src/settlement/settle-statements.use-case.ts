import type { Clock } from '../kernel/clock.port';
import type { Logger } from '../kernel/logger.port';
import { toCRDateString } from '../time/cr-time';
import { SYSTEM_USER } from '../jobs/jobs';
import type { CarryForwardResult, SettlementConfigRepository, StatementRepository } from './settlement.ports';
import { SETTLEMENT_PENDING_COUNT_LIMIT, effectiveBatchSize, settlementCutoff } from './settlement.rules';

export interface SettleStatementsDeps {
  config: SettlementConfigRepository;
  statements: StatementRepository;
  clock: Clock;
  logger: Logger;
}

export interface SettleStatementsOptions {
  userId?: string | null;
  /** Scheduled runs honour `enabled`; a manual run settles even when disabled. */
  trigger: 'schedule' | 'manual';
}

/** The SETTLEMENT_COMPLETE payload (docs/architecture.md, Running the jobs), plus what a caller needs to report the run. */
export interface SettlementSummary {
  cutoffDateCR: string;
  settlementAgeDays: number;
  batchSize: number;
  totalProcessed: number;
  settledCount: number;
  skippedCount: number;
  errorCount: number;
  carryForward: CarryForwardResult;
  /** ISO instant, as in the other job summaries. */
  executedAt: string;
  /** The user id of a manual run, `SYSTEM` for a scheduled one. */
  executedBy: string;
  /** True when a scheduled run found settlement disabled and did nothing. */
  disabled: boolean;
  /**
   * Eligible statements found before this run settled its batch, counted up to
   * SETTLEMENT_PENDING_COUNT_LIMIT: when `totalPendingCapped`, at least this many.
   */
  totalPending: number;
  /** The count stopped at SETTLEMENT_PENDING_COUNT_LIMIT: more may be eligible. */
  totalPendingCapped: boolean;
  /** More were eligible than one batch takes; the next run continues. */
  moreRecordsAvailable: boolean;
}

/**
 * One settlement run: settles the oldest eligible statements (one batch), then carries forward
 * non-zero balances to today. Does not log the summary: the job runner logs SETTLEMENT_COMPLETE.
 */
export async function settleStatements(deps: SettleStatementsDeps, options: SettleStatementsOptions): Promise<SettlementSummary> {
  const now = deps.clock.now();
  const config = await deps.config.get();
  const cutoffDateCR = settlementCutoff(now, config.settlementAgeDays);
  const batchSize = effectiveBatchSize(config.batchSize);
  const base = {
    cutoffDateCR,
    settlementAgeDays: config.settlementAgeDays,
    batchSize,
    executedAt: now.toISOString(),
    executedBy: options.userId ?? SYSTEM_USER,
  };
  if (options.trigger === 'schedule' && !config.enabled) {
    return { ...base, ...nothingDone(), disabled: true };
  }

  // The limit is above the largest batch, so a capped count still tells whether one batch is enough.
  const totalPending = await deps.statements.countEligible(cutoffDateCR, SETTLEMENT_PENDING_COUNT_LIMIT);
  const totalPendingCapped = totalPending >= SETTLEMENT_PENDING_COUNT_LIMIT;
  const moreRecordsAvailable = totalPending > batchSize;
  if (moreRecordsAvailable) {
    const eligible = totalPendingCapped ? `At least ${totalPending} statements are eligible (the count stops there)` : `${totalPending} statements are eligible`;
    deps.logger.warn('SETTLEMENT_MORE_RECORDS_AVAILABLE', {
      batchSize,
      totalPending,
      message: `${eligible}; this run settles at most ${batchSize}, the next runs continue`,
    });
  }
  const settled =
    totalPending === 0
      ? { settledCount: 0, skippedCount: 0, errorCount: 0 }
      : await deps.statements.settleEligible({ cutoff: cutoffDateCR, batchSize, settledAt: now, settledBy: options.userId ?? null });
  const carryForward = await deps.statements.carryForward({ today: toCRDateString(now) });
  return {
    ...base,
    totalProcessed: settled.settledCount + settled.skippedCount + settled.errorCount,
    ...settled,
    carryForward,
    disabled: false,
    totalPending,
    totalPendingCapped,
    moreRecordsAvailable,
  };
}

const nothingDone = () => ({
  totalProcessed: 0,
  settledCount: 0,
  skippedCount: 0,
  errorCount: 0,
  carryForward: { createdCount: 0, skippedCount: 0, errorCount: 0 },
  totalPending: 0,
  totalPendingCapped: false,
  moreRecordsAvailable: false,
});
