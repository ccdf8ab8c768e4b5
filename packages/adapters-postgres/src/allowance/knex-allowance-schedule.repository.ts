import { type AllowanceSchedule, type AllowanceScheduleRecord, DomainError, Money } from '@banca/domain';
import {
  type AllowanceCredit,
  type AllowanceCreditQuery,
  type AllowanceScheduleChanges,
  type AllowanceScheduleQuery,
  type AllowanceScheduleRepository,
  type ClaimDueRunsQuery,
  type NewAllowanceSchedule,
} from '@banca/domain/ports';
import type { Knex } from 'knex';
import { type AllowanceScheduleRow, isUuid, SCHEDULE_COLUMN_LIST, SCHEDULE_COLUMNS, toAllowanceSchedule } from './allowance-schedule.row';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
/** The partial unique index of 006: one live schedule per (guardian, junior). */
const PAIR_KEY = 'allowance_schedules_pair_key';

type ScheduleRows = { rows: AllowanceScheduleRow[] };

/**
 * Deleted schedules (`deleted_at` set) are kept for the money audit and are invisible to every read
 * but an operator's (`findSchedules`, `findRecordById`, `listCredits`).
 */
export class KnexAllowanceScheduleRepository implements AllowanceScheduleRepository {
  constructor(private readonly db: Knex) {}

  /**
   * One statement: the row is inserted only when the junior is the guardian's, so no row back means
   * JUNIOR.NOT_FOUND (and a pair that has a schedule already but is another guardian's is that too).
   */
  async create(schedule: NewAllowanceSchedule): Promise<AllowanceSchedule> {
    if (!isUuid(schedule.guardianId) || !isUuid(schedule.juniorId)) throw juniorNotFound(schedule.juniorId);
    let inserted: AllowanceScheduleRow | undefined;
    try {
      const { rows } = await this.db.raw<ScheduleRows>(
        `INSERT INTO allowance_schedules (guardian_id, junior_id, amount, frequency, status, anchor_at, next_run_at, created_at, updated_at)
         SELECT guardian_id, id, ?::numeric, ?::text, ?::text, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::timestamptz
         FROM juniors WHERE id = ? AND guardian_id = ?
         RETURNING ${SCHEDULE_COLUMN_LIST}`,
        [
          Money.parsePositive(schedule.amount).toString(),
          schedule.frequency,
          schedule.status,
          schedule.anchorAt,
          schedule.nextRunAt,
          schedule.createdAt,
          schedule.createdAt,
          schedule.juniorId,
          schedule.guardianId,
        ],
      );
      inserted = rows[0];
    } catch (error) {
      throw translateCreateError(error, schedule.juniorId);
    }
    if (inserted === undefined) throw juniorNotFound(schedule.juniorId);
    return toAllowanceSchedule(inserted);
  }

  async findForGuardian(guardianId: string, id: string): Promise<AllowanceSchedule | null> {
    if (!isUuid(guardianId) || !isUuid(id)) return null;
    const { rows } = await this.db.raw<ScheduleRows>(
      `SELECT ${SCHEDULE_COLUMN_LIST} FROM allowance_schedules WHERE id = ? AND guardian_id = ? AND deleted_at IS NULL`,
      [id, guardianId],
    );
    return rows[0] ? toAllowanceSchedule(rows[0]) : null;
  }

  async listForGuardian(guardianId: string): Promise<AllowanceSchedule[]> {
    if (!isUuid(guardianId)) return [];
    const { rows } = await this.db.raw<ScheduleRows>(
      `SELECT ${SCHEDULE_COLUMN_LIST} FROM allowance_schedules WHERE guardian_id = ? AND deleted_at IS NULL ORDER BY created_at, id`,
      [guardianId],
    );
    return rows.map(toAllowanceSchedule);
  }

  async update(guardianId: string, id: string, changes: AllowanceScheduleChanges): Promise<AllowanceSchedule | null> {
    if (!isUuid(guardianId) || !isUuid(id)) return null;
    const rows: AllowanceScheduleRow[] = await this.db('allowance_schedules')
      .where({ id, guardian_id: guardianId })
      .whereNull('deleted_at')
      .update(columnsOf(changes))
      .returning([...SCHEDULE_COLUMNS]);
    return rows[0] ? toAllowanceSchedule(rows[0]) : null;
  }

  async delete(guardianId: string, id: string): Promise<boolean> {
    if (!isUuid(guardianId) || !isUuid(id)) return false;
    const { rows } = await this.db.raw<{ rows: unknown[] }>(
      `UPDATE allowance_schedules SET deleted_at = now(), lease_until = NULL
       WHERE id = ? AND guardian_id = ? AND deleted_at IS NULL
       RETURNING id`,
      [id, guardianId],
    );
    return rows.length > 0;
  }

  async findById(id: string): Promise<AllowanceSchedule | null> {
    if (!isUuid(id)) return null;
    const { rows } = await this.db.raw<ScheduleRows>(
      `SELECT ${SCHEDULE_COLUMN_LIST} FROM allowance_schedules WHERE id = ? AND deleted_at IS NULL`,
      [id],
    );
    return rows[0] ? toAllowanceSchedule(rows[0]) : null;
  }

  /**
   * A lease is live while unexpired and not spent (next_run_at not yet past leased_through, or nothing
   * marked published yet). SKIP LOCKED lets concurrent producers page past each other's rows instead of waiting on them, and a
   * row whose lease another claim committed meanwhile is re-checked and left out: a claim racing another
   * may return fewer than `limit`, never a schedule already claimed.
   */
  async claimDueRuns({ now, after, limit, leaseUntil }: ClaimDueRunsQuery): Promise<AllowanceSchedule[]> {
    if (limit < 1) return [];
    if (after !== null && !isUuid(after.id)) throw new Error(`claimDueRuns: the cursor id ${after.id} is not a schedule id`);
    const cursor = after === null ? '' : 'AND (next_run_at, id) > (?::timestamptz, ?::uuid)';
    const { rows } = await this.db.raw<ScheduleRows>(
      `UPDATE allowance_schedules SET lease_until = ?, leased_through = next_run_at
       WHERE id IN (
         SELECT id FROM allowance_schedules
         WHERE status = 'ON' AND deleted_at IS NULL AND next_run_at <= ?
           AND (lease_until IS NULL OR lease_until <= ? OR next_run_at > leased_through)
           ${cursor}
         ORDER BY next_run_at, id
         LIMIT ?
         FOR UPDATE SKIP LOCKED
       )
       RETURNING ${SCHEDULE_COLUMN_LIST}`,
      [leaseUntil, now, now, ...(after === null ? [] : [after.nextRunAt, after.id]), Math.floor(limit)],
    );
    return rows.map(toAllowanceSchedule).sort(byCursor);
  }

  async markPublished(leaseUntil: Date, published: ReadonlyArray<{ id: string; publishedThrough: Date }>): Promise<void> {
    const valid = published.filter((p) => isUuid(p.id));
    if (valid.length === 0) return;
    // Only the lease this claim took: a later claim's lease is not this run's to describe. The lease
    // comes in as a column of the page, so it is checked on each row found by its primary key: as a
    // constant, the planner would filter the whole table on lease_until (statistics taken before
    // any lease promise one row), and join each match to the page, a scan per page.
    const lease = leaseUntil.toISOString();
    await this.db.raw(
      `UPDATE allowance_schedules s SET leased_through = p.through
       FROM unnest(?::uuid[], ?::timestamptz[], ?::timestamptz[]) AS p(id, through, lease)
       WHERE s.id = p.id AND s.lease_until = p.lease`,
      [valid.map((p) => p.id), valid.map((p) => p.publishedThrough.toISOString()), valid.map(() => lease)],
    );
  }

  async releaseLeases(leaseUntil: Date, ids: readonly string[]): Promise<number> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return 0;
    const { rows } = await this.db.raw<{ rows: unknown[] }>(
      'UPDATE allowance_schedules SET lease_until = NULL, leased_through = NULL WHERE id = ANY(?::uuid[]) AND lease_until = ? RETURNING id',
      [valid, leaseUntil],
    );
    return rows.length;
  }

  async findSchedules({ guardianId, juniorId, after, limit }: AllowanceScheduleQuery): Promise<AllowanceScheduleRecord[]> {
    const [column, owner] = guardianId !== undefined ? ['guardian_id', guardianId] : ['junior_id', juniorId];
    if (owner === undefined || !isUuid(owner) || (after !== null && !isUuid(after.id)) || limit < 1) return [];
    const { rows } = await this.db.raw<{ rows: Array<AllowanceScheduleRow & { deleted_at: Date | null }> }>(
      `SELECT ${SCHEDULE_COLUMN_LIST}, deleted_at FROM allowance_schedules
       WHERE ${column} = ? ${after === null ? '' : 'AND (created_at, id) > (?::timestamptz, ?::uuid)'}
       ORDER BY created_at, id
       LIMIT ?`,
      [owner, ...(after === null ? [] : [after.createdAt, after.id]), Math.floor(limit)],
    );
    return rows.map(toScheduleRecord);
  }

  async findRecordById(id: string): Promise<AllowanceScheduleRecord | null> {
    if (!isUuid(id)) return null;
    const { rows } = await this.db.raw<{ rows: Array<AllowanceScheduleRow & { deleted_at: Date | null }> }>(
      `SELECT ${SCHEDULE_COLUMN_LIST}, deleted_at FROM allowance_schedules WHERE id = ?`,
      [id],
    );
    return rows[0] ? toScheduleRecord(rows[0]) : null;
  }

  /** Newest run first on the unique (schedule_id, run_at), read backwards. */
  async listCredits({ scheduleId, beforeRunAt, limit }: AllowanceCreditQuery): Promise<AllowanceCredit[]> {
    if (!isUuid(scheduleId) || limit < 1) return [];
    const { rows } = await this.db.raw<{ rows: Array<{ schedule_id: string; run_at: Date; amount: string; transaction_id: string; credited_at: Date }> }>(
      `SELECT schedule_id, run_at, amount, transaction_id, credited_at FROM allowance_credits
       WHERE schedule_id = ? ${beforeRunAt === null ? '' : 'AND run_at < ?'}
       ORDER BY run_at DESC
       LIMIT ?`,
      [scheduleId, ...(beforeRunAt === null ? [] : [beforeRunAt]), Math.floor(limit)],
    );
    return rows.map((row) => ({ scheduleId: row.schedule_id, runAt: row.run_at, amount: row.amount, transactionId: row.transaction_id, creditedAt: row.credited_at }));
  }
}

const toScheduleRecord = (row: AllowanceScheduleRow & { deleted_at: Date | null }): AllowanceScheduleRecord => ({ ...toAllowanceSchedule(row), deletedAt: row.deleted_at });

function columnsOf(changes: AllowanceScheduleChanges): Record<string, unknown> {
  const columns: Record<string, unknown> = { updated_at: changes.updatedAt };
  if (changes.amount !== undefined) columns['amount'] = Money.parsePositive(changes.amount).toString();
  if (changes.frequency !== undefined) columns['frequency'] = changes.frequency;
  if (changes.status !== undefined) columns['status'] = changes.status;
  if (changes.anchorAt !== undefined) columns['anchor_at'] = changes.anchorAt;
  if (changes.nextRunAt !== undefined) columns['next_run_at'] = changes.nextRunAt;
  return columns;
}

/** uuids order in PostgreSQL as their lowercase text does, so the page keeps the SQL order. */
function byCursor(a: AllowanceSchedule, b: AllowanceSchedule): number {
  return a.nextRunAt.getTime() - b.nextRunAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function translateCreateError(error: unknown, juniorId: string): unknown {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  if (code === UNIQUE_VIOLATION && constraint === PAIR_KEY) {
    return new DomainError('ALLOWANCE.ALREADY_EXISTS', 'this junior already has an allowance schedule', { juniorId });
  }
  // The composite key to juniors (id, guardian_id): the junior was deleted between the SELECT's read and the insert.
  if (code === FOREIGN_KEY_VIOLATION) return juniorNotFound(juniorId);
  return error;
}

const juniorNotFound = (juniorId: string): DomainError => new DomainError('JUNIOR.NOT_FOUND', 'junior not found', { juniorId });
