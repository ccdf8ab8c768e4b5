import type { ClosingDimension } from './month-balance';

export interface CloseDimensionBatchCommand {
  /** `YYYY-MM` being closed. */
  month: string;
  /** The month before, whose closing rows give each entity's opening balance. */
  previousMonth: string;
  /** First and last CR dates of the month (inclusive), compared with tickets.business_date and movements.date. */
  firstDay: string;
  lastDay: string;
  dimension: ClosingDimension;
  /** Keyset cursor: only entities with an id greater than this one; null for the first batch. */
  afterEntityId: string | null;
  limit: number;
  closedAt: Date;
  closedBy: string | null;
}

export interface CloseDimensionBatchResult {
  /** Entities whose closing row was written. */
  processed: number;
  /** Entities of the batch that could not be closed; the others still are. */
  errors: number;
  /** Greatest entity id of the batch (the next cursor), null when no entity was left. */
  lastEntityId: string | null;
  /** Rows of later closed months whose opening (and so remaining) balance changed with this one. */
  laterRowsUpdated: number;
}

/**
 * Monthly closing, set-based and batched: an adapter aggregates tickets and movements of the
 * month for a page of entities in a few statements and never loads every entity or ticket.
 */
export interface MonthlyClosingRepository {
  /**
   * Closes the next `limit` ACTIVE entities of `dimension` ordered by id after the cursor: for each,
   * computeMonthBalance over the month's tickets under it (status CANCELLED/EXCLUDED left out) and
   * its own non-reversed movements, with the previous month's remaining balance as opening (else 0),
   * upserted into monthly_closing_balances unique per month + dimension + entity: re-running
   * replaces the row, never duplicates it. The entity's rows of the later months already closed,
   * contiguous from the month after, follow in the same step: each opens with the remaining balance
   * of the month before it, so opening(M+1) = remaining(M) always holds.
   */
  closeDimensionBatch(command: CloseDimensionBatchCommand): Promise<CloseDimensionBatchResult>;
}
