import { Money } from '../money/money';
import { DomainError } from '../kernel/domain-error';
import { addCRDays, toCRDateString } from '../time/cr-time';
import { MAX_SETTLEMENT_AGE_DAYS } from './settlement-config';

/** Batch size used when none is configured, and the bounds the effective size is clamped to (docs/architecture.md, The banca rules). */
export const DEFAULT_SETTLEMENT_BATCH_SIZE = 1000;
export const MIN_SETTLEMENT_BATCH_SIZE = 1;
export const MAX_SETTLEMENT_BATCH_SIZE = 2000;

/**
 * How far a settlement run counts what is pending: five full batches. Below it `totalPending` is exact;
 * at it the run reports this number with `totalPendingCapped`, meaning at least this many. The count then
 * reads about as many rows as a few batches, however large the backlog (docs/decisions.md, The settlement
 * backlog).
 */
export const SETTLEMENT_PENDING_COUNT_LIMIT = 5 * MAX_SETTLEMENT_BATCH_SIZE;

/**
 * The `atMost` of StatementRepository.countEligible, checked as every implementation must: a
 * non-negative integer, or a RangeError.
 */
export function assertEligibleCountLimit(atMost: number): void {
  if (!(Number.isSafeInteger(atMost) && atMost >= 0)) throw new RangeError(`atMost must be a non-negative integer, got ${atMost}`);
}

/**
 * The first CR date that is too recent to settle: todayCR − ageDays. A statement is eligible
 * only when its date is strictly before the cutoff. Throws SETTLEMENT.INVALID_CONFIG for an age
 * that is not an integer from 0 to 3650, TIME.INVALID_INSTANT for an invalid `now`.
 */
export function settlementCutoff(now: Date, ageDays: number): string {
  if (!Number.isSafeInteger(ageDays) || ageDays < 0 || ageDays > MAX_SETTLEMENT_AGE_DAYS) {
    throw new DomainError('SETTLEMENT.INVALID_CONFIG', `invalid settlementAgeDays ${String(ageDays)}: expected an integer from 0 to ${MAX_SETTLEMENT_AGE_DAYS}`, {
      field: 'settlementAgeDays',
      value: String(ageDays),
    });
  }
  return addCRDays(toCRDateString(now), -ageDays);
}

/**
 * The batch size a run uses. A missing or NaN value means the default (1000); a fractional value
 * is rounded down; the result is clamped to 1..2000 (so 0, negatives and -Infinity give 1, and
 * +Infinity gives 2000). A stored value never stops a run: it is bounded here instead.
 */
export function effectiveBatchSize(configured?: number | null): number {
  if (configured === null || configured === undefined || Number.isNaN(configured)) return DEFAULT_SETTLEMENT_BATCH_SIZE;
  return Math.min(MAX_SETTLEMENT_BATCH_SIZE, Math.max(MIN_SETTLEMENT_BATCH_SIZE, Math.floor(configured)));
}

export interface SettlementCandidate {
  isSettled: boolean;
  date: string;
  ticketCount: number;
  totalPaid: string;
  totalCollected: string;
}

/**
 * Not settled, older than the cutoff, and with some activity. A balance need not be zero to
 * settle; a day with no tickets and no money moved is left alone (carry-forward rows are such days).
 */
export function isEligibleForSettlement(s: SettlementCandidate, cutoff: string): boolean {
  if (s.isSettled || !(s.date < cutoff)) return false;
  return s.ticketCount > 0 || isPositive(s.totalPaid) || isPositive(s.totalCollected);
}

export interface MovementLike {
  type: 'payment' | 'collection';
  amount: string;
  isReversed: boolean;
}

/** Totals of payments and collections, reversed movements left out; decimal strings. */
export function movementTotals(movements: Iterable<MovementLike>): { totalPaid: string; totalCollected: string } {
  let paid = Money.ZERO;
  let collected = Money.ZERO;
  for (const m of movements) {
    if (m.isReversed) continue;
    const amount = Money.parseUnbounded(m.amount);
    if (m.type === 'payment') paid = paid.plus(amount);
    else collected = collected.plus(amount);
  }
  return { totalPaid: paid.toString(), totalCollected: collected.toString() };
}

/** balance = sales − payouts − commissions; positive means the entity owes the banca. */
export function statementBalance(s: { totalSales: string; totalPayouts: string; totalCommissions: string }): string {
  return money(s.totalSales).minus(money(s.totalPayouts)).minus(money(s.totalCommissions)).toString();
}

export interface DayActivity {
  balance: string;
  totalCollected: string;
  totalPaid: string;
}

/** remaining(D) = remaining(previous statement, else 0) + balance(D) − collected(D) + paid(D). */
export function nextRemainingBalance(previousRemaining: string | null | undefined, day: DayActivity): string {
  const previous = previousRemaining === null || previousRemaining === undefined ? Money.ZERO : money(previousRemaining);
  return previous.plus(money(day.balance)).minus(money(day.totalCollected)).plus(money(day.totalPaid)).toString();
}

/** The remaining balance after each of consecutive days of one entity, oldest first. */
export function runningRemainingBalances(previousRemaining: string | null | undefined, days: Iterable<DayActivity>): string[] {
  const result: string[] = [];
  let remaining = previousRemaining ?? null;
  for (const day of days) {
    remaining = nextRemainingBalance(remaining, day);
    result.push(remaining);
  }
  return result;
}

const money = (value: string): Money => Money.parseUnbounded(value);
const isPositive = (value: string): boolean => money(value).cents > 0n;
