import type { AllowanceRunMessage } from './allowance-message';
import type { AllowanceFrequency, AllowanceStatus } from './allowance-occurrences';
import type { AllowanceSchedule, AllowanceScheduleRecord } from './allowance-schedule';

export interface NewAllowanceSchedule {
  guardianId: string;
  juniorId: string;
  amount: string;
  frequency: AllowanceFrequency;
  status: AllowanceStatus;
  anchorAt: Date;
  nextRunAt: Date;
  /** Also the first updatedAt. */
  createdAt: Date;
}

/** Only the given fields change; the others keep their stored values. */
export interface AllowanceScheduleChanges {
  amount?: string;
  frequency?: AllowanceFrequency;
  status?: AllowanceStatus;
  anchorAt?: Date;
  nextRunAt?: Date;
  updatedAt: Date;
}

export interface DueRunsCursor {
  nextRunAt: Date;
  id: string;
}

export interface ClaimDueRunsQuery {
  /** The job's clock, not the database's: a backfill or a test runs at any instant. */
  now: Date;
  /** The last schedule of the previous page; null for the first page. */
  after: DueRunsCursor | null;
  limit: number;
  leaseUntil: Date;
}

/** An operator's search: the schedules of one guardian or of one junior (exactly one of the two). */
export interface AllowanceScheduleQuery {
  guardianId?: string;
  juniorId?: string;
  /** The last schedule of the page before, in (createdAt, id) order; null for the first page. */
  after: { createdAt: Date; id: string } | null;
  limit: number;
}

/** A run credited: the money moved for one occurrence (`allowance_credits`). */
export interface AllowanceCredit {
  scheduleId: string;
  runAt: Date;
  amount: string;
  transactionId: string;
  creditedAt: Date;
}

export interface AllowanceCreditQuery {
  scheduleId: string;
  /** Only credits of runs before this one (the last of the page before); null for the newest. */
  beforeRunAt: Date | null;
  limit: number;
}

/**
 * The schedules, always scoped to their guardian on the API side. Every guardian-scoped method
 * treats another guardian's schedule exactly like a missing one.
 */
export interface AllowanceScheduleRepository {
  /**
   * Creates the schedule of one of the guardian's juniors, checking that the junior is the guardian's
   * in the same step as the write (PostgreSQL: one INSERT … SELECT FROM juniors … RETURNING).
   * - The junior does not exist, is another guardian's, or its id names nothing the store could hold:
   *   throws DomainError JUNIOR.NOT_FOUND ('junior not found', `{ juniorId }`), nothing written.
   * - The (guardianId, juniorId) pair has a live schedule already: throws DomainError
   *   ALLOWANCE.ALREADY_EXISTS, nothing written.
   * When both would apply, JUNIOR.NOT_FOUND.
   */
  create(schedule: NewAllowanceSchedule): Promise<AllowanceSchedule>;
  findForGuardian(guardianId: string, id: string): Promise<AllowanceSchedule | null>;
  /** Ordered by createdAt, then id. */
  listForGuardian(guardianId: string): Promise<AllowanceSchedule[]>;
  /** The updated schedule, or null when the guardian has no such schedule. */
  update(guardianId: string, id: string, changes: AllowanceScheduleChanges): Promise<AllowanceSchedule | null>;
  /** True when a schedule was deleted. Its credits stay (they are the audit of money moved). */
  delete(guardianId: string, id: string): Promise<boolean>;
  /** The worker's read, unscoped. */
  findById(id: string): Promise<AllowanceSchedule | null>;
  /**
   * One page of due schedules, claimed in one statement: status ON, next_run_at <= now, no live lease
   * (lease_until null or <= now, or a lease spent: next_run_at past leased_through), (next_run_at, id)
   * after the cursor; ordered by (next_run_at, id), at most `limit`; each gets lease_until = leaseUntil
   * and leased_through = its next_run_at: the lease covers the first run it will publish. Concurrent
   * claims never return the same schedule (PostgreSQL: UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
   * LOCKED) RETURNING).
   */
  claimDueRuns(query: ClaimDueRunsQuery): Promise<AllowanceSchedule[]>;
  /**
   * After their runs were published, for the schedules that got more than their first run (missed
   * runs) or another one (`latest`): each schedule's lease (still `leaseUntil`) covers its runs up to
   * `publishedThrough`, so crediting one of them does not free the others to be published again.
   */
  markPublished(leaseUntil: Date, published: ReadonlyArray<{ id: string; publishedThrough: Date }>): Promise<void>;
  /**
   * A publish failed: gives back the leases still `leaseUntil` of these schedules, so the next producer
   * run publishes their runs again. Returns how many were given back.
   */
  releaseLeases(leaseUntil: Date, ids: readonly string[]): Promise<number>;
  /**
   * An operator's read, unscoped, deleted schedules included (with `deletedAt`): the schedules of the
   * guardian or of the junior, oldest first (createdAt, then id), after the cursor, at most `limit`.
   */
  findSchedules(query: AllowanceScheduleQuery): Promise<AllowanceScheduleRecord[]>;
  /** An operator's read of one schedule, deleted or not. */
  findRecordById(id: string): Promise<AllowanceScheduleRecord | null>;
  /**
   * A schedule's credits, newest run first, before the cursor, at most `limit`. A run is credited once
   * (unique per schedule and run), so the run orders them totally. Credits of a deleted schedule stay.
   */
  listCredits(query: AllowanceCreditQuery): Promise<AllowanceCredit[]>;
}

/** Persistent publishing with confirms: resolves once the broker has confirmed every message. */
export interface AllowanceQueue {
  publish(messages: readonly AllowanceRunMessage[]): Promise<void>;
}

/**
 * A run to credit, with the schedule's terms the run was checked against (guardian, junior, amount,
 * frequency, anchor): the credit happens only while the stored schedule still has all of them.
 */
export interface AllowanceCreditRequest {
  scheduleId: string;
  runAt: Date;
  amount: string;
  guardianId: string;
  juniorId: string;
  frequency: AllowanceFrequency;
  anchorAt: Date;
  /** The first occurrence after runAt. */
  nextRunAt: Date;
  creditedAt: Date;
}

export type AllowanceCreditResult =
  | { outcome: 'credited'; transactionId: string }
  | { outcome: 'duplicate' }
  | { outcome: 'insufficient_funds' }
  /** The schedule is missing, deleted or OFF: nothing is written. */
  | { outcome: 'not_live' }
  /** The schedule is live but its terms are no longer those of the request: nothing is written. */
  | { outcome: 'changed' };

export interface AllowanceRunFailure {
  scheduleId: string;
  runAt: Date;
  reason: string;
  nextRunAt: Date;
  failedAt: Date;
}

/**
 * The money side, each call one database transaction: all of it happens, or none of it.
 *
 * `creditRun`: insert the credit row (unique (scheduleId, runAt); a conflict → `duplicate`, nothing
 * else written); refuse a schedule that is missing, deleted or no longer ON (→ `not_live`) or whose
 * guardian, junior, amount, frequency or anchor differ from the request's (→ `changed`), nothing written;
 * debit the guardian's account only if its balance stays >= 0 (else `insufficient_funds`,
 * everything rolled back); credit the junior's account; write the transaction; set
 * last_run_at = max(last_run_at, runAt), next_run_at = max(next_run_at, nextRunAt) (runs may be
 * credited out of order, a schedule never moves back) → `credited`. The lease stays: it is spent
 * once next_run_at is past every run it covers.
 *
 * `recordRunFailure`: a run given up for good: remember runAt and reason on the schedule, set
 * next_run_at = max(next_run_at, nextRunAt). No money moves; a missing schedule is a no-op.
 */
export interface AllowanceLedger {
  creditRun(request: AllowanceCreditRequest): Promise<AllowanceCreditResult>;
  recordRunFailure(failure: AllowanceRunFailure): Promise<void>;
}
