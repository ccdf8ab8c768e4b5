import type { SettlementConfig, SettlementConfigPatch } from './settlement-config';

/** The single settlement configuration row; a change is read by the next run without a restart. */
export interface SettlementConfigRepository {
  /** The stored configuration, created with DEFAULT_SETTLEMENT_CONFIG when missing. */
  get(): Promise<SettlementConfig>;
  /**
   * Saves an update already checked by validateSettlementConfigUpdate and returns the whole
   * configuration; `updatedBy` (the admin's user id) is recorded with the change.
   */
  update(patch: SettlementConfigPatch, updatedBy?: string | null): Promise<SettlementConfig>;
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
  /** Days picked whose statement another writer holds: left, with the entity's later days, to the next run. */
  skippedCount: number;
  /** Days that could not be settled; the rest of the batch still settles. */
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
 *
 * The settlement chain (see docs/decisions.md): each entity's statements in date order, where every
 * settled statement and every statement without activity follows from the one before it
 * (chainBreaks finds those that do not). A day is eligible when it is before the cutoff, after the
 * entity's latest settled statement, and has an unsettled statement with activity or movements not
 * reversed (with or without a statement). Earlier days are drift, reported by reconciliation and
 * never settled.
 */
export interface StatementRepository {
  /**
   * How many eligible days the next runs have to settle. With `atMost`, counting stops there: the
   * answer is min(eligible, atMost), read from the oldest days the way a batch reads them, so its cost
   * follows `atMost` instead of the backlog. Without it, every eligible day is counted. `atMost` is a
   * non-negative integer; anything else is a RangeError.
   */
  countEligible(cutoff: string, atMost?: number): Promise<number>;

  /**
   * Settles the oldest `batchSize` eligible days, ordered by date, dimension, then entity id. Per
   * entity, from the remaining balance of the statement before its first day (0 when none): each day
   * gets total_paid / total_collected from its movements not reversed (the most specific id on the
   * movement), remaining_balance = previous + balance − collected + paid, is_settled = true,
   * can_edit = false, settled_at, settled_by; a day with movements only gets its statement (zero
   * tickets) settled the same way. The statements without activity after each day, up to the next
   * statement with activity, take the new balance in the same step. A statement is never settled
   * twice, a settled one never rewritten, and two runs at once give the result of one after the other.
   * Days whose statement another writer holds are skipped with the entity's later days.
   */
  settleEligible(command: SettleEligibleCommand): Promise<SettleBatchResult>;

  /**
   * For every active entity (vendedor; ventana with vendedor null; banca with both null) with no
   * statement on `today` whose latest earlier statement has a non-zero remaining balance: creates
   * today's statement with zero activity, that remaining balance, is_settled false and can_edit
   * true. Concurrent runs create each statement once (the unique entity + date wins), and never
   * from a balance a settlement running at the same time is changing.
   */
  carryForward(command: { today: string }): Promise<CarryForwardResult>;
}
