import type { AccountDimension } from '../settlement/account-entity';

/**
 * The four ways the books can disagree (see docs/decisions.md, "Reconciliation"):
 * - `STATEMENT_CHAIN`: a settled statement, or one without activity, that does not follow from the
 *   statement before it;
 * - `STATEMENT_MOVEMENTS`: a settled day whose paid or collected differ from its movements not
 *   reversed, or a day before the entity's latest settled statement whose movements no settled
 *   statement counts (`settled` false);
 * - `CLOSING_OPENING`: a month balance whose opening differs from the previous month's remaining
 *   (0 when that month has no balance for the entity);
 * - `CLOSING_TOTALS`: a month balance whose sales, payouts, commissions, paid or collected differ
 *   from the sum of that month's statements of the entity, one discrepancy per figure.
 */
export const DISCREPANCY_KINDS = ['STATEMENT_CHAIN', 'STATEMENT_MOVEMENTS', 'CLOSING_OPENING', 'CLOSING_TOTALS'] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

export const CLOSING_TOTAL_FIELDS = ['totalSales', 'totalPayouts', 'totalCommissions', 'totalPaid', 'totalCollected'] as const;
export type ClosingTotalField = (typeof CLOSING_TOTAL_FIELDS)[number];

interface OfEntity {
  dimension: AccountDimension;
  entityId: string;
  /** The vendedor's, ventana's or banca's name, where the store knows it. */
  entityName: string | null;
}

/** Amounts are two-decimal strings, dates `YYYY-MM-DD`, months `YYYY-MM`. */
export type Discrepancy =
  | (OfEntity & {
      kind: 'STATEMENT_CHAIN';
      date: string;
      /** The statement before it, null for the entity's first. */
      previousDate: string | null;
      previousRemaining: string;
      expectedRemaining: string;
      storedRemaining: string;
    })
  | (OfEntity & {
      kind: 'STATEMENT_MOVEMENTS';
      date: string;
      /** False when no settled statement covers the day (its movements are outside the chain). */
      settled: boolean;
      storedPaid: string;
      movementsPaid: string;
      storedCollected: string;
      movementsCollected: string;
    })
  | (OfEntity & { kind: 'CLOSING_OPENING'; month: string; openingBalance: string; previousRemaining: string })
  | (OfEntity & { kind: 'CLOSING_TOTALS'; month: string; field: ClosingTotalField; closing: string; statements: string });

export interface ReconciliationQuery {
  month: string;
  previousMonth: string;
  /** First and last CR dates of the month, inclusive. */
  firstDay: string;
  lastDay: string;
  dimension: AccountDimension | null;
  entityId: string | null;
  /** At most this many discrepancies are returned; the counts cover them all. */
  limit: number;
}

export interface ReconciliationFindings {
  /** Ordered by kind (as DISCREPANCY_KINDS lists them), dimension, entity id, then date or figure. */
  discrepancies: Discrepancy[];
  counts: Record<DiscrepancyKind, number>;
}

/** Read-only: an adapter computes the discrepancies where the data lives, without loading the month. */
export interface ReconciliationRepository {
  findDiscrepancies(query: ReconciliationQuery): Promise<ReconciliationFindings>;
}
