import type { SettlementConfig, SettlementConfigPatch } from './settlement-config';

/** The single settlement configuration row; a change is read by the next run without a restart. */
export interface SettlementConfigRepository {
  /** The stored configuration, created with DEFAULT_SETTLEMENT_CONFIG when missing. */
  get(): Promise<SettlementConfig>;
  /** Saves an update already checked by validateSettlementConfigUpdate and returns the whole configuration. */
  update(patch: SettlementConfigPatch): Promise<SettlementConfig>;
}

export interface SettleEligibleCommand {
  /** CR date; statements strictly before it may settle. */
  cutoff: string;
  /** Already clamped by effectiveBatchSize. */
  batchSize: number;
  settledAt: Date;
  settledBy: string | null;
}

export interface SettleBatchResult {
  settledCount: number;
  /** Rows picked but held by another run (or settled by it meanwhile): left to that run. */
  skippedCount: number;
  /** Rows that could not be settled; the rest of the batch still settles. */
  errorCount: number;
}

export interface CarryForwardResult {
  createdCount: number;
  /** Candidates that already had a statement today (including one created by a concurrent run). */
  skippedCount: number;
  errorCount: number;
}

/**
 * Account statements, written set-based: an adapter settles a whole batch in a few statements
 * (e.g. `FOR UPDATE SKIP LOCKED` and window functions), never row by row from the domain.
 */
export interface StatementRepository {
  /** How many statements isEligibleForSettlement would accept for this cutoff. */
  countEligible(cutoff: string): Promise<number>;

  /**
   * Settles at most `batchSize` eligible statements, oldest date first (then id). For each one, in
   * date order per entity: total_paid / total_collected are recomputed from the non-reversed
   * account movements of that entity (the most specific id on the movement) and date;
   * remaining_balance = remaining of the entity's previous statement (as just recomputed when it is
   * in the same batch; 0 when none) + balance − collected + paid; then is_settled = true,
   * can_edit = false, settled_at, settled_by. Rows another run holds are skipped; a statement is
   * never settled twice, and ineligible rows are not touched.
   */
  settleEligible(command: SettleEligibleCommand): Promise<SettleBatchResult>;

  /**
   * For every active entity (vendedor; ventana with vendedor null; banca with both null) with no
   * statement on `today` whose latest earlier statement has a non-zero remaining balance: creates
   * today's statement with zero activity, that remaining balance, is_settled false and can_edit
   * true. Concurrent runs create each statement once (the unique entity + date wins).
   */
  carryForward(command: { today: string }): Promise<CarryForwardResult>;
}
