import type { Clock } from '../kernel/clock.port';
import { DomainError } from '../kernel/domain-error';
import { SYSTEM_USER } from '../jobs/jobs';
import { assertMonth, crMonthRange, previousCRMonth } from '../time/cr-time';
import type { MonthlyClosingRepository } from './closing.ports';
import type { ClosingDimension } from './month-balance';
import { CLOSING_DIMENSIONS } from './month-balance';

export const DEFAULT_CLOSING_BATCH_SIZE = 500;
export const MAX_CLOSING_BATCH_SIZE = 5000;

export interface CloseMonthDeps {
  closing: MonthlyClosingRepository;
  clock: Clock;
}

export interface ClosingProgress {
  month: string;
  dimension: ClosingDimension;
  success: number;
  errors: number;
  lastEntityId: string | null;
}

export interface CloseMonthOptions {
  /** `YYYY-MM`; defaults to the CR month before now. */
  month?: string;
  userId?: string | null;
  /** Entities per batch, 1..5000; default 500. */
  batchSize?: number;
  /** Called after each batch with the dimension's running totals. */
  onProgress?: (progress: ClosingProgress) => void;
}

export interface DimensionOutcome {
  success: number;
  errors: number;
}

/**
 * The MONTHLY_CLOSING_COMPLETE payload, in the original system's names: `vendedores`, `ventanas` and
 * `bancas` at the top level, `executedBy` the user id or `SYSTEM`.
 */
export interface MonthlyClosingSummary {
  closingMonth: string;
  totalSuccess: number;
  totalErrors: number;
  vendedores: DimensionOutcome;
  ventanas: DimensionOutcome;
  bancas: DimensionOutcome;
  /** Rows of later closed months whose opening and remaining balances followed this month's. */
  laterRowsUpdated: number;
  executedBy: string;
  /** ISO instant, as in the other job summaries. */
  executedAt: string;
}

/**
 * Refuses to close a month that has not ended in CR time at `now` (CLOSING.MONTH_NOT_ENDED): its
 * balances would miss the rest of the month. Returns the month.
 */
export function assertMonthEnded(month: string, now: Date): string {
  const { end } = crMonthRange(assertMonth(month));
  if (now.getTime() < end.getTime()) {
    throw new DomainError('CLOSING.MONTH_NOT_ENDED', `month ${month} has not ended in Costa Rica yet: it can be closed from ${end.toISOString()}`, {
      month,
      endsAt: end.toISOString(),
    });
  }
  return month;
}

/**
 * Closes a month for every active vendedor, ventana and banca, one page of entities at a time.
 * The month and batch size are checked before anything is written (TIME.INVALID_MONTH,
 * CLOSING.MONTH_NOT_ENDED, VALIDATION.INVALID_INPUT). Re-running a month replaces its rows and
 * brings the later closed months along.
 */
export async function closeMonth(deps: CloseMonthDeps, options: CloseMonthOptions = {}): Promise<MonthlyClosingSummary> {
  const now = deps.clock.now();
  const month = options.month === undefined ? previousCRMonth(now) : assertMonthEnded(options.month, now);
  const limit = closingBatchSize(options.batchSize);
  const { firstDay, lastDay, start } = crMonthRange(month);
  const previousMonth = previousCRMonth(start);
  const executedBy = options.userId ?? null;

  const dimensions = {} as Record<ClosingDimension, DimensionOutcome>;
  let laterRowsUpdated = 0;
  for (const dimension of CLOSING_DIMENSIONS) {
    const outcome = { success: 0, errors: 0 };
    let afterEntityId: string | null = null;
    for (;;) {
      const batch = await deps.closing.closeDimensionBatch({
        month, previousMonth, firstDay, lastDay, dimension, afterEntityId, limit, closedAt: now, closedBy: executedBy,
      });
      outcome.success += batch.processed;
      outcome.errors += batch.errors;
      laterRowsUpdated += batch.laterRowsUpdated;
      options.onProgress?.({ month, dimension, ...outcome, lastEntityId: batch.lastEntityId });
      // A short page is the last one; a cursor that does not move would loop for ever.
      if (batch.lastEntityId === null || batch.processed + batch.errors < limit || batch.lastEntityId === afterEntityId) break;
      afterEntityId = batch.lastEntityId;
    }
    dimensions[dimension] = outcome;
  }
  const totals = Object.values(dimensions);
  return {
    closingMonth: month,
    totalSuccess: totals.reduce((sum, d) => sum + d.success, 0),
    totalErrors: totals.reduce((sum, d) => sum + d.errors, 0),
    vendedores: dimensions.vendedor,
    ventanas: dimensions.ventana,
    bancas: dimensions.banca,
    laterRowsUpdated,
    executedBy: executedBy ?? SYSTEM_USER,
    executedAt: now.toISOString(),
  };
}

function closingBatchSize(batchSize: number | undefined): number {
  if (batchSize === undefined) return DEFAULT_CLOSING_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_CLOSING_BATCH_SIZE) {
    throw new DomainError('VALIDATION.INVALID_INPUT', `invalid closing batch size ${String(batchSize)}: expected an integer from 1 to ${MAX_CLOSING_BATCH_SIZE}`, {
      field: 'batchSize',
      value: String(batchSize),
    });
  }
  return batchSize;
}
