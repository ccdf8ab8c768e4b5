import type { AllowanceFrequency, AllowanceSchedule, AllowanceStatus } from '@banca/domain';

/** The `allowance_schedules` columns an AllowanceSchedule is read from. */
export const SCHEDULE_COLUMNS = [
  'id',
  'guardian_id',
  'junior_id',
  'amount',
  'frequency',
  'status',
  'anchor_at',
  'next_run_at',
  'last_run_at',
  'lease_until',
  'leased_through',
  'last_failed_run_at',
  'last_failure_reason',
  'created_at',
  'updated_at',
] as const;

export const SCHEDULE_COLUMN_LIST = SCHEDULE_COLUMNS.join(', ');

export interface AllowanceScheduleRow {
  id: string;
  guardian_id: string;
  junior_id: string;
  /** numeric(14,2) read as its exact text, e.g. "12.50". */
  amount: string;
  frequency: AllowanceFrequency;
  status: AllowanceStatus;
  anchor_at: Date;
  next_run_at: Date;
  last_run_at: Date | null;
  lease_until: Date | null;
  leased_through: Date | null;
  last_failed_run_at: Date | null;
  last_failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export function toAllowanceSchedule(row: AllowanceScheduleRow): AllowanceSchedule {
  return {
    id: row.id,
    guardianId: row.guardian_id,
    juniorId: row.junior_id,
    amount: row.amount,
    frequency: row.frequency,
    status: row.status,
    anchorAt: row.anchor_at,
    nextRunAt: row.next_run_at,
    lastRunAt: row.last_run_at,
    leaseUntil: row.lease_until,
    leasedThrough: row.leased_through,
    lastFailedRunAt: row.last_failed_run_at,
    lastFailureReason: row.last_failure_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids reach these adapters from URLs and messages; one that is not a uuid names nothing stored, and
 * checking first keeps PostgreSQL's cast error (22P02) from ever surfacing as a failure.
 */
export const isUuid = (value: string): boolean => UUID.test(value);
