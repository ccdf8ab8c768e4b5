import { ACCOUNT_DIMENSIONS, type AccountDimension } from '../settlement/account-entity';
import { DomainError } from '../kernel/domain-error';
import { addMonths, crMonthRange } from '../time/cr-time';
import type { Discrepancy, DiscrepancyKind, ReconciliationRepository } from './reconciliation.ports';
import { DISCREPANCY_KINDS } from './reconciliation.ports';

export const DEFAULT_RECONCILIATION_LIMIT = 100;
export const MAX_RECONCILIATION_LIMIT = 1000;

export interface ReconcileMonthOptions {
  /** `YYYY-MM`. */
  month: string;
  dimension?: AccountDimension | null;
  /** One entity; needs `dimension`. */
  entityId?: string | null;
  /** 1..1000, default 100. */
  limit?: number;
}

export interface ReconciliationReport {
  month: string;
  dimension: AccountDimension | null;
  entityId: string | null;
  clean: boolean;
  /** Every discrepancy found, of each kind. */
  counts: Record<DiscrepancyKind, number>;
  total: number;
  /** The first `limit` of them. */
  discrepancies: Discrepancy[];
  /** More were found than returned. */
  truncated: boolean;
}

/**
 * Reconciles a month, or one entity's month: lists each discrepancy between the statement chain,
 * the movements and the month balances with its figures. Reads only. Bad input is refused before
 * anything is read (TIME.INVALID_MONTH, VALIDATION.INVALID_INPUT).
 */
export async function reconcileMonth(deps: { reconciliation: ReconciliationRepository }, options: ReconcileMonthOptions): Promise<ReconciliationReport> {
  const { firstDay, lastDay } = crMonthRange(options.month);
  const dimension = options.dimension ?? null;
  const entityId = options.entityId ?? null;
  const limit = options.limit ?? DEFAULT_RECONCILIATION_LIMIT;
  if (dimension !== null && !ACCOUNT_DIMENSIONS.includes(dimension)) {
    throw invalid('dimension', dimension, 'expected vendedor, ventana or banca');
  }
  if (entityId !== null && dimension === null) throw invalid('entityId', entityId, 'an entity needs its dimension');
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_RECONCILIATION_LIMIT) {
    throw invalid('limit', limit, `expected an integer from 1 to ${MAX_RECONCILIATION_LIMIT}`);
  }
  const findings = await deps.reconciliation.findDiscrepancies({
    month: options.month,
    previousMonth: addMonths(options.month, -1),
    firstDay,
    lastDay,
    dimension,
    entityId,
    limit,
  });
  const total = DISCREPANCY_KINDS.reduce((sum, kind) => sum + findings.counts[kind], 0);
  return {
    month: options.month,
    dimension,
    entityId,
    clean: total === 0,
    counts: findings.counts,
    total,
    discrepancies: findings.discrepancies,
    truncated: total > findings.discrepancies.length,
  };
}

function invalid(field: string, value: unknown, reason: string): DomainError {
  return new DomainError('VALIDATION.INVALID_INPUT', `invalid ${field} ${JSON.stringify(value)}: ${reason}`, { field, value: String(value) });
}
