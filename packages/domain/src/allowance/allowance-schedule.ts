import { Money } from '../money/money';
import { DomainError, withField } from '../kernel/domain-error';
import { toCRZoned } from '../time/cr-time';
import { type AllowanceFrequency, type AllowanceStatus, isAllowanceFrequency, isAllowanceStatus } from './allowance-occurrences';
import { parseIsoInstant } from './iso-instant';
import { invalidInput, strictObject } from './strict-object';

/** A guardian's allowance for one junior (`allowance_schedules`, docs/architecture.md, Allowance). */
export interface AllowanceSchedule {
  readonly id: string;
  readonly guardianId: string;
  readonly juniorId: string;
  /** Decimal string with two decimals, e.g. "1500.00". */
  readonly amount: string;
  readonly frequency: AllowanceFrequency;
  readonly status: AllowanceStatus;
  /** Occurrence 0: creation time or the requested startAt; re-set when the frequency changes. */
  readonly anchorAt: Date;
  readonly nextRunAt: Date;
  /** The latest occurrence credited. */
  readonly lastRunAt: Date | null;
  /**
   * While in the future, the producer has published this schedule's due runs and does not publish
   * them again, until every run it covers is done: see `leasedThrough`.
   */
  readonly leaseUntil: Date | null;
  /** The latest run published under the lease; once next_run_at is past it, the lease is spent. */
  readonly leasedThrough: Date | null;
  readonly lastFailedRunAt: Date | null;
  readonly lastFailureReason: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A schedule as an operator sees it: deleted ones too. */
export interface AllowanceScheduleRecord extends AllowanceSchedule {
  /** When its guardian deleted it; null while it lives. Its credits stay either way. */
  readonly deletedAt: Date | null;
}

/** What the guardian API returns: no anchor or lease internals, instants as ISO strings. */
export interface AllowanceScheduleView {
  id: string;
  guardianId: string;
  juniorId: string;
  amount: string;
  frequency: AllowanceFrequency;
  status: AllowanceStatus;
  nextRunAt: string;
  lastRunAt: string | null;
  /** The latest run given up for good (never credited), and why; null when none was. */
  lastFailedRunAt: string | null;
  lastFailureReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the admin API returns: the guardian's view, and whether the schedule was deleted. */
export interface AdminAllowanceScheduleView extends AllowanceScheduleView {
  deletedAt: string | null;
}

/** A credited run as the APIs show it. */
export interface AllowanceCreditView {
  runAt: string;
  amount: string;
  creditedAt: string;
  transactionId: string;
}

export function toAllowanceScheduleView(schedule: AllowanceSchedule): AllowanceScheduleView {
  return {
    id: schedule.id,
    guardianId: schedule.guardianId,
    juniorId: schedule.juniorId,
    amount: schedule.amount,
    frequency: schedule.frequency,
    status: schedule.status,
    nextRunAt: schedule.nextRunAt.toISOString(),
    lastRunAt: schedule.lastRunAt?.toISOString() ?? null,
    lastFailedRunAt: schedule.lastFailedRunAt?.toISOString() ?? null,
    lastFailureReason: schedule.lastFailureReason,
    createdAt: schedule.createdAt.toISOString(),
    updatedAt: schedule.updatedAt.toISOString(),
  };
}

export function toAdminAllowanceScheduleView(record: AllowanceScheduleRecord): AdminAllowanceScheduleView {
  return { ...toAllowanceScheduleView(record), deletedAt: record.deletedAt?.toISOString() ?? null };
}

export function toAllowanceCreditView(credit: { runAt: Date; amount: string; creditedAt: Date; transactionId: string }): AllowanceCreditView {
  return { runAt: credit.runAt.toISOString(), amount: credit.amount, creditedAt: credit.creditedAt.toISOString(), transactionId: credit.transactionId };
}

export interface CreateAllowanceInput {
  amount: string;
  frequency: AllowanceFrequency;
  status: AllowanceStatus;
  startAt: Date | null;
}

export interface UpdateAllowanceInput {
  amount?: string;
  frequency?: AllowanceFrequency;
  status?: AllowanceStatus;
}

/**
 * Validates `POST /guardians/me/allowances/:juniorId`: `{ amount, frequency, status, startAt? }`.
 * `startAt` may equal `now` but not precede it, nor lie more than a year (CR calendar) ahead.
 * Amounts are normalised to two decimals.
 */
export function parseCreateAllowanceInput(body: unknown, now: Date): CreateAllowanceInput {
  const record = strictObject(body, 'allowance', { required: ['amount', 'frequency', 'status'], optional: ['startAt'] });
  const input: CreateAllowanceInput = {
    amount: parseAllowanceAmount(record['amount']),
    frequency: parseFrequency(record['frequency']),
    status: parseStatus(record['status']),
    startAt: null,
  };
  if (record['startAt'] !== undefined) {
    const startAt = parseIsoInstant(record['startAt'], 'startAt');
    if (startAt.getTime() < now.getTime()) {
      throw new DomainError('ALLOWANCE.START_IN_PAST', 'startAt must not be in the past', {
        field: 'startAt',
        startAt: startAt.toISOString(),
        now: now.toISOString(),
      });
    }
    const latest = latestStartAt(now);
    if (startAt.getTime() > latest.getTime()) {
      throw new DomainError('ALLOWANCE.START_TOO_FAR', 'startAt must be at most one year ahead', {
        field: 'startAt',
        startAt: startAt.toISOString(),
        latest: latest.toISOString(),
      });
    }
    input.startAt = startAt;
  }
  return input;
}

/**
 * The latest first run a schedule may ask for: the same CR wall time one year on. Further out is a
 * typo (9999 for 2025) more often than a plan.
 */
export function latestStartAt(now: Date): Date {
  return new Date(toCRZoned(now).plusYears(1).toInstant().toEpochMilli());
}

/** Validates an update: any of `{ amount, frequency, status }`, at least one. */
export function parseUpdateAllowanceInput(body: unknown): UpdateAllowanceInput {
  const record = strictObject(body, 'allowance update', { required: [], optional: ['amount', 'frequency', 'status'] });
  const input: UpdateAllowanceInput = {};
  if (record['amount'] !== undefined) input.amount = parseAllowanceAmount(record['amount']);
  if (record['frequency'] !== undefined) input.frequency = parseFrequency(record['frequency']);
  if (record['status'] !== undefined) input.status = parseStatus(record['status']);
  if (Object.keys(input).length === 0) {
    throw invalidInput('an allowance update needs at least one of amount, frequency, status', { fields: ['amount', 'frequency', 'status'] });
  }
  return input;
}

/** A positive amount with at most two decimals up to 99999999.99, as "1500.00"; MONEY.INVALID_AMOUNT. */
export function parseAllowanceAmount(value: unknown): string {
  return withField('amount', () => Money.parsePositive(value).toString());
}

function parseFrequency(value: unknown): AllowanceFrequency {
  if (isAllowanceFrequency(value)) return value;
  throw new DomainError('ALLOWANCE.INVALID_FREQUENCY', 'frequency must be DAILY, WEEKLY or MONTHLY', { field: 'frequency', value: describe(value) });
}

function parseStatus(value: unknown): AllowanceStatus {
  if (isAllowanceStatus(value)) return value;
  throw new DomainError('ALLOWANCE.INVALID_STATUS', 'status must be ON or OFF', { field: 'status', value: describe(value) });
}

const describe = (value: unknown): string => (typeof value === 'string' ? value : value === null ? 'null' : typeof value);
